// One zod schema per recognised runbook table. Cells arrive as strings keyed by column; the schemas
// turn them into typed rows or say precisely which cell cannot be read.
import * as z from '../schema/zod';
import { parseQuantity, type Quantity, type Comparator } from './quantity';
import { inlineToPlainText } from '../markdown/inlineText';
import type { ExpectedResponse, RollbackUrgency } from './typedTableTypes';

// One transform per cell: the tables are re-read on every keystroke.
const text = z.transformed(z.string(), (raw, ctx) => inlineToPlainText(raw) || z.rejectValue(ctx, 'is empty'));

function codeText(pattern: RegExp, message: string) {
  return z.transformed(z.string(), (raw, ctx) => {
    const value = raw.replace(/`/g, '').trim();
    return pattern.test(value) ? value : z.rejectValue(ctx, message);
  });
}

function quantity(...allowed: Array<Quantity['measure']['kind']>) {
  return z.transformed(z.string(), (raw, ctx): Quantity => {
    const q = parseQuantity(raw);
    if (!q) return z.rejectValue(ctx, `cannot read "${raw.trim()}" as a number with a unit`);
    if (allowed.length > 0 && !allowed.includes(q.measure.kind))
      return z.rejectValue(ctx, `"${raw.trim()}" is a ${q.measure.kind}, expected ${allowed.join(' or ')}`);
    return q;
  });
}

const expectedResponse = z.transformed(z.string(), (raw, ctx): ExpectedResponse => {
  const textValue = raw.replace(/`/g, '').trim();
  const out: ExpectedResponse = { text: textValue };
  const status = /\b([1-5]\d\d)\b/.exec(textValue);
  if (status) out.status = Number(status[1]);
  const jsonStart = textValue.indexOf('{');
  if (jsonStart !== -1) {
    try {
      const parsed: unknown = JSON.parse(textValue.slice(jsonStart));
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) out.json = parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all; the status code or the text is what we have.
    }
  }
  if (out.status === undefined && out.json === undefined)
    return z.rejectValue(ctx, `cannot tell the expected status or body from "${textValue}"`);
  return out;
});

export const criticalMetricRow = z.transformed(
  z.object({
    metric: text,
    warningThreshold: quantity(),
    criticalThreshold: quantity(),
    action: text,
  }),
  (r) => ({
    metric: r.metric,
    warning: r.warningThreshold,
    critical: r.criticalThreshold,
    action: r.action,
  }),
);

export const severityRow = z.transformed(
  z.object({
    severity: text,
    definition: text,
    responseTime: quantity('duration', 'immediate', 'nextBusinessDay'),
    examples: z.string(),
  }),
  (r, ctx) => {
    const m = /^(P\d)\s*[-–—:]?\s*(.*)$/i.exec(r.severity);
    if (!m) return z.rejectValue(ctx, `"${r.severity}" does not start with a level such as P1`, ['severity']);
    return {
      level: m[1].toUpperCase(),
      name: m[2].trim() || m[1].toUpperCase(),
      definition: r.definition,
      responseTime: r.responseTime,
      examples: inlineToPlainText(r.examples)
        .split(/\s*,\s*/)
        .filter(Boolean),
    };
  },
);

export const monitoringEndpointRow = z.transformed(
  z.object({
    endpoint: codeText(/^(\/|https?:\/\/)/, 'must be a path starting with / or a URL'),
    purpose: text,
    expectedResponse,
  }),
  (r) => ({ endpoint: r.endpoint, purpose: r.purpose, expected: r.expectedResponse }),
);

export const healthCheckFrequencyRow = z.object({
  check: text,
  interval: quantity('duration'),
  timeout: quantity('duration'),
  retries: z.transformed(z.string().check(z.trim(), z.regex(/^\d+$/, 'must be a whole number')), Number),
});

const TRIGGER = /^(.*?)\s*(>=|<=|>|<|=)\s*(.+)$/;

export const rollbackRuleRow = z.transformed(
  z.object({
    condition: text,
    action: text,
  }),
  (r) => {
    const rule: {
      condition: string;
      action: string;
      urgency: RollbackUrgency;
      trigger?: { metric: string; comparator: Comparator; threshold: Quantity };
    } = {
      condition: r.condition,
      action: r.action,
      urgency: rollbackUrgency(r.action),
    };
    const m = TRIGGER.exec(r.condition);
    if (m) {
      const threshold = parseQuantity(`${m[2]} ${m[3]}`);
      if (threshold && threshold.comparator)
        rule.trigger = { metric: m[1].trim(), comparator: threshold.comparator, threshold };
    }
    return rule;
  },
);

// Teams word the action freely ("Immediate rollback", "Roll back at once", "Fix forward if the fix
// ships in < 2 hours"): read the intent, not one phrasing.
function rollbackUrgency(action: string): RollbackUrgency {
  const a = action.toLowerCase();
  if (/\bimmediate|\bat once\b|\bright away\b|\bwithout delay\b|\bnow\b/.test(a)) return { kind: 'immediate' };
  const within = /\bwithin\s+(.+)$/.exec(a);
  if (within) {
    const q = parseQuantity(within[1]);
    if (q?.measure.kind === 'duration') return { kind: 'within', ms: q.measure.ms };
  }
  if (/fix(ing)?[ -]forward|roll[ -]forward/.test(a)) {
    const limit = /([<>≤≥]=?\s*\d+(?:\.\d+)?\s*[a-z]+)\s*$/.exec(a);
    const q = limit ? parseQuantity(limit[1]) : undefined;
    return q?.measure.kind === 'duration' ? { kind: 'fixForward', ifUnderMs: q.measure.ms } : { kind: 'fixForward' };
  }
  return { kind: 'other' };
}

export const secretRow = z.transformed(
  z.object({
    secret: codeText(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment-variable name'),
    purpose: text,
    rotationFrequency: quantity('duration', 'onDemand'),
  }),
  (r) => ({ name: r.secret, purpose: r.purpose, rotation: r.rotationFrequency }),
);

export const apiPerformanceRow = z.object({
  endpoint: codeText(/./, 'is empty'),
  p50: quantity('duration'),
  p95: quantity('duration'),
  p99: quantity('duration'),
});

export const databaseQueryRow = z.object({
  queryType: text,
  target: quantity('duration'),
  alertThreshold: quantity('duration'),
});

export const emergencyContactRow = z.transformed(
  z.object({
    role: text,
    contact: text,
    escalationTime: quantity('duration', 'immediate'),
  }),
  (r) => ({ role: r.role, contact: r.contact, escalation: r.escalationTime }),
);

export const frontendBudgetsSchema = z
  .object({
    timings: z.optional(z.record(z.string(), z.number())),
    sizes: z.optional(z.record(z.string(), z.number())),
  })
  .check(z.refine((b) => b.timings !== undefined || b.sizes !== undefined, 'has neither "timings" nor "sizes"'));
