// Golden model of the team's real runbook: every section, playbook, code block and typed table.
// The golden file (test/fixtures/golden/seed-runbook.json) was reviewed line by line against the seed; it keeps
// the structure and a hash of each text, since the seed's words are the team's, not ours to ship.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { readSeed, SEED_MISSING } from '../../helpers/seed';
import { assertGolden, hashed } from './goldenModel';

const seed = readSeed();
const model = seed ? parseRunbook(seed) : undefined;

test('seed: metadata', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assert.equal(model.metadata.title, 'Operations Runbook');
  assert.equal(model.metadata.lastUpdated, '2026-01-21');
  assert.equal(model.metadata.owner, 'Platform Engineering');
  assert.equal(model.metadata.onCallEscalation, 'ops@flashfusion.co');
  assert.equal(model.lineCount, 604, 'the seed has 604 lines; its final line break does not start a 605th');
  assert.deepEqual(model.diagnostics, []);
});

test('seed: sections, playbooks, snippets, tables and checklists match the reviewed golden file', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assertGolden(t, 'seed-runbook', model, hashed);
});

test('seed: every snippet label reads as a name in the tree', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  for (const s of model.snippets) {
    assert.match(s.label, /^[\p{L}"(]/u, `snippet at line ${s.startLine + 1}: "${s.label}"`);
    assert.doesNotMatch(s.label, /[{}]$|:$/, `snippet at line ${s.startLine + 1}: "${s.label}"`);
    assert.ok(s.label.length <= 72, s.label);
  }
  assert.equal(model.snippets.find((s) => s.language === 'json')?.label, 'Frontend Budgets (budgets.json)');
  assert.equal(model.snippets.find((s) => s.category === 'mermaid')?.label, 'Standard Deployment Flow');
});

test('seed: every table typed, with units parsed and the text kept', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  const typed = model.typed;
  assert.deepEqual(typed.problems, []);
  assert.equal(model.tables.length, 9);
  const metrics = typed.criticalMetrics!;
  assert.equal(metrics.rows.length, 6);
  assert.deepEqual(metrics.rows[0].warning, { text: '> 1%', comparator: '>', measure: { kind: 'percent', value: 1 } });
  assert.deepEqual(metrics.rows[1].critical, {
    text: '> 2000ms',
    comparator: '>',
    measure: { kind: 'duration', ms: 2000 },
  });
  assert.deepEqual(metrics.rows[2].warning.measure, { kind: 'any' });
  assert.deepEqual(metrics.rows[2].critical, {
    text: '3+ in 5min',
    comparator: '>=',
    measure: { kind: 'count', value: 3, withinMs: 300_000 },
  });
  assert.deepEqual(metrics.rows[3].warning.measure, { kind: 'rate', count: 10, perMs: 60_000 });
  assert.deepEqual(metrics.rows[4].warning.measure, { kind: 'percent', value: 80, of: 'pool' });
  assert.equal(metrics.rows[0].line + 1, 117);

  assert.deepEqual(
    typed.severities!.rows.map((r) => [r.level, r.name, r.responseTime.measure]),
    [
      ['P1', 'Critical', { kind: 'duration', ms: 900_000 }],
      ['P2', 'Major', { kind: 'duration', ms: 3_600_000 }],
      ['P3', 'Minor', { kind: 'duration', ms: 14_400_000 }],
      ['P4', 'Warning', { kind: 'nextBusinessDay' }],
    ],
  );
  assert.deepEqual(typed.severities!.rows[0].examples, ['Auth down', 'DB unavailable']);
  assert.deepEqual(
    typed.monitoringEndpoints!.rows.map((r) => [r.endpoint, r.expected.status, r.expected.json]),
    [
      ['/functions/v1/health', undefined, { status: 'healthy' }],
      ['/rest/v1/', 200, undefined],
      ['/auth/v1/health', 200, undefined],
      ['/storage/v1/', 200, undefined],
    ],
  );
  assert.deepEqual(
    typed.healthCheckFrequency!.rows.map((r) => [r.check, r.interval.measure, r.timeout.measure, r.retries]),
    [
      ['Edge Functions', { kind: 'duration', ms: 30_000 }, { kind: 'duration', ms: 5_000 }, 2],
      ['Database', { kind: 'duration', ms: 60_000 }, { kind: 'duration', ms: 10_000 }, 3],
      ['Storage', { kind: 'duration', ms: 60_000 }, { kind: 'duration', ms: 5_000 }, 2],
      ['External APIs', { kind: 'duration', ms: 300_000 }, { kind: 'duration', ms: 30_000 }, 1],
    ],
  );
  const matrix = typed.rollbackDecisionMatrix!.rows;
  assert.deepEqual(
    matrix.map((r) => r.urgency),
    [
      { kind: 'immediate' },
      { kind: 'within', ms: 900_000 },
      { kind: 'immediate' },
      { kind: 'fixForward', ifUnderMs: 7_200_000 },
    ],
  );
  assert.equal(matrix[0].trigger?.metric, 'Error rate');
  assert.deepEqual(matrix[1].trigger?.threshold.measure, { kind: 'duration', ms: 5000 });
  assert.equal(matrix[2].trigger, undefined);
  assert.deepEqual(
    typed.secretsInventory!.rows.map((r) => [r.name, r.rotation.measure]),
    [
      ['SUPABASE_SERVICE_ROLE_KEY', { kind: 'duration', ms: 90 * 86_400_000 }],
      ['KEYRING_TOKEN', { kind: 'duration', ms: 180 * 86_400_000 }],
      ['GOOGLE_AI_API_KEY', { kind: 'onDemand' }],
      ['OPENAI_API_KEY', { kind: 'onDemand' }],
      ['STRIPE_SECRET_KEY', { kind: 'duration', ms: 90 * 86_400_000 }],
      ['RESEND_API_KEY', { kind: 'duration', ms: 90 * 86_400_000 }],
      ['GOOGLE_OAUTH_CLIENT_SECRET', { kind: 'onDemand' }],
    ],
  );
  assert.deepEqual(typed.apiPerformanceTargets!.rows[1], {
    endpoint: '/generate-content',
    line: 536,
    p50: { text: '2s', measure: { kind: 'duration', ms: 2000 } },
    p95: { text: '5s', measure: { kind: 'duration', ms: 5000 } },
    p99: { text: '10s', measure: { kind: 'duration', ms: 10000 } },
  });
  assert.deepEqual(
    typed.databaseQueryTargets!.rows.map((r) => [
      r.queryType,
      r.target.comparator,
      r.target.measure,
      r.alertThreshold.measure,
    ]),
    [
      ['Simple SELECT', '<', { kind: 'duration', ms: 10 }, { kind: 'duration', ms: 100 }],
      ['Complex JOIN', '<', { kind: 'duration', ms: 100 }, { kind: 'duration', ms: 500 }],
      ['Full-text search', '<', { kind: 'duration', ms: 200 }, { kind: 'duration', ms: 1000 }],
      ['Aggregations', '<', { kind: 'duration', ms: 500 }, { kind: 'duration', ms: 2000 }],
    ],
  );
  assert.deepEqual(
    typed.emergencyContacts!.rows.map((r) => [r.role, r.escalation.measure, r.escalation.note]),
    [
      ['On-Call Engineer', { kind: 'immediate' }, undefined],
      ['Platform Lead', { kind: 'duration', ms: 900_000 }, undefined],
      ['Security Team', { kind: 'duration', ms: 900_000 }, 'security incidents'],
      ['VP Engineering', { kind: 'duration', ms: 1_800_000 }, 'P1 only'],
    ],
  );
  assert.deepEqual(typed.frontendBudgets, {
    snippetIndex: 19,
    line: 515,
    timings: { TTFB: 150, FCP: 1800, LCP: 2500, INP: 200, CLS: 0.08 },
    sizes: { js_per_route_gzip_kb: 180, css_total_gzip_kb: 35 },
  });
});
