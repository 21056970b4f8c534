// Judges one probe attempt of a Monitoring Endpoints row: the status and body the table expects (`200 OK`, or a JSON
// body containing `{ "status": "healthy" }`), bodies that say they are unhealthy although the status is 200
// (Storage's `{"healthy": false}`), and for the `health` function its JSON, validated, with every check and breaker.
import type { CheckDetail, HealthState, JudgingRule } from '../../shared/health/healthView';
import type { CheckSpec } from './checkPlan';
import type { ProbeAttempt } from './probeOutcome';
import { explainProbeError } from './probeErrors';
import { componentState, parseHealthBody, HEALTH_FUNCTION_HELP, type HealthFunctionBody } from './healthFunctionSchema';
import { formatMs } from '../tables/quantity';
import type { PlaybookTopic } from './playbookFinder';
import { maskSecrets } from '../secrets/maskSecrets';

export const MONITORING_ENDPOINTS_TABLE = 'Monitoring Endpoints';

export interface AttemptVerdict {
  state: HealthState;
  /** The attempt answered as the runbook expects. */
  passed: boolean;
  summary: string;
  rules: JudgingRule[];
  details: CheckDetail[];
  /** The health function's answer, when it validated. */
  healthBody?: HealthFunctionBody;
  /** What a Warning or Critical is about, to find its playbook. */
  topic?: PlaybookTopic;
}

export function judgeEndpointAttempt(check: CheckSpec, attempt: ProbeAttempt): AttemptVerdict {
  const endpoint = check.endpoint!;
  const rule = (observed: string): JudgingRule => ({
    table: MONITORING_ENDPOINTS_TABLE,
    row: endpoint.row,
    line: endpoint.line,
    threshold: endpoint.expected.text,
    observed,
  });
  const topic = topicOfPath(endpoint.route.written);
  const fail = (
    state: HealthState,
    summary: string,
    observed: string,
    details: CheckDetail[] = [],
  ): AttemptVerdict => ({
    state,
    passed: false,
    summary,
    rules: [rule(observed)],
    details,
    ...(topic ? { topic } : {}),
  });

  if (attempt.error) {
    const why = explainProbeError(attempt.error, check.timing.timeoutMs);
    return fail('critical', `No answer: ${why}`, attempt.error.code);
  }
  if (attempt.redirect) {
    const where = attempt.redirect.crossOrigin ? 'another origin' : 'another path';
    return fail(
      'critical',
      `Answered ${attempt.status} redirecting to ${where} (${safeLocation(attempt.redirect.location)}); not followed${attempt.redirect.crossOrigin ? ', so the key is never sent there' : ''}`,
      `${attempt.status} redirect`,
    );
  }
  const status = attempt.status ?? 0;
  const statusText = `${status}${attempt.statusText ? ` ${attempt.statusText}` : ''}`;
  const took = ` in ${formatMs(attempt.latencyMs)}`;
  if (status === 401 || status === 403) {
    return fail(
      'unknown',
      `${statusText}: the gateway refused the key. Set the project's anon or publishable key (Runbook: Set Project Secret), or a personal access token to fetch it`,
      statusText,
    );
  }
  if (check.kind === 'healthFunction' && status === 404) return fail('unknown', HEALTH_FUNCTION_HELP, statusText);

  const expected = endpoint.expected;
  const statusOk = expected.status !== undefined ? status === expected.status : status >= 200 && status < 300;
  if (!statusOk) {
    const state: HealthState = status >= 500 || status === 404 || status === 0 ? 'critical' : 'warning';
    return fail(state, `${statusText}${took}; the runbook expects ${expected.text}`, statusText);
  }

  let json: unknown;
  const needsJson = expected.json !== undefined || check.kind === 'healthFunction';
  if (attempt.truncated) {
    if (needsJson)
      return fail(
        'critical',
        `${statusText}${took}, but the body (${formatBytes(attempt.bodyBytes)}) is larger than a health answer can be; it was cut, not read`,
        'body too large',
      );
  } else if (
    attempt.body !== undefined &&
    (needsJson || (/json/i.test(attempt.contentType ?? '') && /"(healthy|status)"/.test(attempt.body)))
  ) {
    try {
      json = JSON.parse(attempt.body);
    } catch {
      if (needsJson)
        return fail(
          'critical',
          `${statusText}${took}, but the body is not JSON: ${excerpt(attempt.body)}`,
          'invalid JSON',
        );
    }
  }

  // Storage's /health and others answer 200 with a body that says otherwise.
  const unhealthy = saysUnhealthy(json);
  if (unhealthy && check.kind !== 'healthFunction')
    return fail('critical', `${statusText}${took}, but the body says ${unhealthy}`, unhealthy);

  if (check.kind === 'healthFunction') return judgeHealthBody(json, statusText, took, rule);

  if (expected.json) {
    const missing = missingFields(expected.json, json);
    if (missing.length)
      return fail('critical', `${statusText}${took}, but the body lacks ${missing.join(', ')}`, missing.join(', '));
  }
  return { state: 'healthy', passed: true, summary: `${statusText}${took}`, rules: [rule(statusText)], details: [] };
}

function judgeHealthBody(
  json: unknown,
  statusText: string,
  took: string,
  rule: (observed: string) => JudgingRule,
): AttemptVerdict {
  const parsed = parseHealthBody(json);
  if (!parsed.success) {
    const why = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      .join('; ');
    return {
      state: 'critical',
      passed: false,
      summary: `${statusText}${took}, but the body is not the runbook's health JSON (${why})`,
      rules: [rule('schema mismatch')],
      details: [],
      topic: 'functions',
    };
  }
  const body = parsed.data;
  const word = body.status.trim().toLowerCase();
  const state: HealthState = word === 'healthy' ? 'healthy' : word === 'degraded' ? 'warning' : 'critical';
  // A failing component named for content generation points at its playbook; anything else at the functions'.
  let generationFailing = false;
  const checks = body.checks ?? {};
  for (const name in checks)
    if (/generat/i.test(name) && componentState(checks[name]) !== 'ok') generationFailing = true;
  return {
    state,
    // The function answered on purpose: a degraded or unhealthy status is its verdict, not a flake to retry.
    passed: true,
    topic: generationFailing ? 'generation' : 'functions',
    summary: `${statusText}${took}: status "${shown(body.status)}"${body.version ? `, version ${shown(body.version)}` : ''}`,
    rules: [rule(`status "${shown(body.status)}"`)],
    // Drawn from healthBody when the check is shown (healthDetails): most polls are never looked at.
    details: [],
    healthBody: body,
  };
}

/** The playbook topic of an endpoint's path. */
export function topicOfPath(path: string): PlaybookTopic | undefined {
  if (path.startsWith('/functions/')) return /generat/i.test(path) ? 'generation' : 'functions';
  if (path.startsWith('/auth/')) return 'auth';
  if (path.startsWith('/storage/')) return 'storage';
  if (path.startsWith('/rest/')) return 'connections';
  return undefined;
}

/** Every check and circuit breaker of the health function's answer, as the panel lists them. */
export function healthDetails(body: HealthFunctionBody): CheckDetail[] {
  const details: CheckDetail[] = [];
  if (body.version) details.push({ label: 'version', value: shown(body.version) });
  for (const [name, status] of Object.entries(body.checks ?? {}))
    details.push({ label: shown(name), value: shown(status), state: componentHealth(status) });
  for (const [name, status] of Object.entries(body.circuit_breakers ?? {}))
    details.push({ label: `circuit breaker ${shown(name)}`, value: shown(status), state: componentHealth(status) });
  return details;
}

function componentHealth(status: string): HealthState {
  const s = componentState(status);
  return s === 'ok' ? 'healthy' : s === 'degraded' ? 'warning' : 'critical';
}

/** `healthy: false`, or a `status` word of trouble, at the top of a JSON body. */
function saysUnhealthy(json: unknown): string | undefined {
  if (!json || typeof json !== 'object' || Array.isArray(json)) return undefined;
  const body = json as Record<string, unknown>;
  if (body.healthy === false) return '"healthy": false';
  if (typeof body.status === 'string' && /^(unhealthy|down|fail(ed|ing)?|error|critical)$/i.test(body.status))
    return `"status": "${body.status}"`;
  return undefined;
}

/** Fields of the expected JSON that the body lacks or has with another value (strings compared case-insensitively). */
function missingFields(expected: Record<string, unknown>, json: unknown): string[] {
  const body = json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : {};
  return Object.entries(expected)
    .filter(([key, want]) => {
      const got = body[key];
      if (typeof want === 'string' && typeof got === 'string') return want.toLowerCase() !== got.toLowerCase();
      return JSON.stringify(want) !== JSON.stringify(got);
    })
    .map(([key, want]) => `"${key}": ${JSON.stringify(want)}`);
}

/** A location without its query string, which could carry a token. */
function safeLocation(location: string): string {
  try {
    const url = new URL(location);
    return `${url.origin}${url.pathname}`;
  } catch {
    return location.split('?')[0];
  }
}

function excerpt(body: string): string {
  const text = maskSecrets(body.replace(/\s+/g, ' ').trim());
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
}

/**
 * Text from an endpoint as the panel and the report show it: anything shaped like a credential masked (a health
 * function that echoes its environment must not put a key on screen). Short words cannot be one and skip the scan.
 */
function shown(value: string): string {
  const cut = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return cut.length < 20 ? cut : maskSecrets(cut);
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return 'unknown size';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
