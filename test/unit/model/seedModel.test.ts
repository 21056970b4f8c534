// Golden model of the team's real runbook: every section, playbook, code block and typed table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook, allSections } from '../../../src/core/model/parseRunbook';
import { readSeed, SEED_MISSING } from '../../helpers/seed';

const seed = readSeed();
const model = seed ? parseRunbook(seed) : undefined;

test('seed: metadata', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assert.equal(model.metadata.title, 'Operations Runbook');
  assert.equal(model.metadata.lastUpdated, '2026-01-21');
  assert.equal(model.metadata.owner, 'Platform Engineering');
  assert.equal(model.metadata.onCallEscalation, 'ops@flashfusion.co');
  assert.equal(model.lineCount, 605);
  assert.deepEqual(model.diagnostics, []);
});

test('seed: every top section and sub-section with its line', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assert.deepEqual(model.sections.map((s) => [s.title, s.line + 1]), [
    ['Table of Contents', 7], ['Deployment Procedures', 19], ['Monitoring & Alerting', 111], ['Incident Response Playbooks', 175],
    ['Rollback Procedures', 365], ['Health Checks', 413], ['Secrets Management', 466], ['Performance Baselines', 512],
    ['Emergency Contacts', 552], ['Appendix: Common Commands', 563],
  ]);
  const deployment = model.sections[1];
  assert.deepEqual(deployment.children.map((s) => s.title), ['Pre-Deployment Checklist', 'Standard Deployment Flow', 'Deployment Commands', 'Blue-Green Deployment Strategy']);
  assert.deepEqual(deployment.children[2].children.map((s) => [s.title, s.level, s.line + 1]), [['Frontend Deployment', 4, 54], ['Edge Functions Deployment', 4, 66], ['Database Migrations', 4, 78]]);
  assert.equal(allSections(model.sections).length, 43);
  assert.equal(model.sections[2].id, 'monitoring--alerting');
  assert.equal(deployment.endLine + 1, 110);
});

test('seed: the five playbooks with symptoms, diagnosis and mitigation', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assert.deepEqual(model.playbooks.map((p) => p.name), [
    'Database Connection Exhaustion', 'Edge Function Failures', 'Authentication Failures', 'Content Generation Failures', 'OAuth Integration Failures',
  ]);
  for (const p of model.playbooks) {
    assert.ok(p.symptoms && p.symptoms.items.length === 3, `${p.name} symptoms`);
    assert.ok(p.diagnosis && p.diagnosis.items.length === 1 && p.diagnosis.items[0].kind === 'snippet', `${p.name} diagnosis`);
    assert.ok(p.mitigation && p.mitigation.items.length === 4, `${p.name} mitigation`);
    assert.ok(p.mitigation.items.every((i) => i.kind === 'step'));
  }
  const db = model.playbooks[0];
  assert.equal(db.line + 1, 234);
  assert.equal(db.diagnosis!.line + 1, 241);
  assert.deepEqual(db.mitigation!.items.map((i) => (i.kind === 'step' ? [i.ordinal, i.text, i.line + 1] : null)), [
    [1, 'Kill idle connections older than 10 minutes', 260], [2, 'Increase connection pool size temporarily', 261],
    [3, 'Identify and fix connection leaks in code', 262], [4, 'Consider pgBouncer for connection pooling', 263],
  ]);
});

test('seed: every code block with language and exact lines', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  assert.deepEqual(model.snippets.map((s) => [s.language, s.startLine + 1, s.endLine + 1]), [
    ['', 23, 31], ['mermaid', 35, 50], ['bash', 55, 64], ['bash', 67, 76], ['bash', 79, 88], ['yaml', 126, 142], ['', 155, 171],
    ['', 188, 232], ['sql', 242, 257], ['bash', 273, 279], ['sql', 295, 304], ['sql', 320, 329], ['sql', 345, 355],
    ['bash', 369, 378], ['bash', 382, 389], ['sql', 393, 400], ['typescript', 417, 433], ['yaml', 446, 462], ['bash', 500, 508],
    ['json', 516, 530], ['bash', 567, 579], ['sql', 583, 600],
  ]);
  assert.ok(model.snippets.every((s) => s.closed));
  const diag = model.snippets[8];
  assert.equal(diag.label, 'Check active connections');
  assert.equal(diag.playbookId, 'playbook-database-connection-exhaustion');
  assert.equal(diag.partLabel, 'Diagnosis');
  assert.ok(diag.body.startsWith('-- Check active connections\nSELECT count(*) FROM pg_stat_activity;'));
  assert.deepEqual(model.snippets[11].placeholders.map((p) => [p.name, p.line + 1, p.column]), [['org_id', 322, 44]]);
  assert.deepEqual(model.snippets[14].placeholders.map((p) => p.name), ['function_name', 'function_name', 'function_name']);
  assert.equal(model.snippets[0].category, 'checklist');
  assert.equal(model.checklists.length, 7);
  assert.equal(model.checklists[0].text, 'All CI checks pass (tests, lint, typecheck)');
  assert.equal(model.mermaid.length, 1);
  assert.equal(model.mermaid[0].diagramType, 'graph');
});

test('seed: every table typed, with units parsed and the text kept', (t) => {
  if (!model) return t.skip(SEED_MISSING);
  const typed = model.typed;
  assert.deepEqual(typed.problems, []);
  assert.equal(model.tables.length, 9);
  const metrics = typed.criticalMetrics!;
  assert.equal(metrics.rows.length, 6);
  assert.deepEqual(metrics.rows[0].warning, { text: '> 1%', comparator: '>', measure: { kind: 'percent', value: 1 } });
  assert.deepEqual(metrics.rows[1].critical, { text: '> 2000ms', comparator: '>', measure: { kind: 'duration', ms: 2000 } });
  assert.deepEqual(metrics.rows[2].warning.measure, { kind: 'any' });
  assert.deepEqual(metrics.rows[2].critical, { text: '3+ in 5min', comparator: '>=', measure: { kind: 'count', value: 3, withinMs: 300_000 } });
  assert.deepEqual(metrics.rows[3].warning.measure, { kind: 'rate', count: 10, perMs: 60_000 });
  assert.deepEqual(metrics.rows[4].warning.measure, { kind: 'percent', value: 80, of: 'pool' });
  assert.equal(metrics.rows[0].line + 1, 117);

  assert.deepEqual(typed.severities!.rows.map((r) => [r.level, r.name, r.responseTime.measure]), [
    ['P1', 'Critical', { kind: 'duration', ms: 900_000 }], ['P2', 'Major', { kind: 'duration', ms: 3_600_000 }],
    ['P3', 'Minor', { kind: 'duration', ms: 14_400_000 }], ['P4', 'Warning', { kind: 'nextBusinessDay' }],
  ]);
  assert.deepEqual(typed.severities!.rows[0].examples, ['Auth down', 'DB unavailable']);
  assert.deepEqual(typed.monitoringEndpoints!.rows.map((r) => [r.endpoint, r.expected.status, r.expected.json]), [
    ['/functions/v1/health', undefined, { status: 'healthy' }], ['/rest/v1/', 200, undefined], ['/auth/v1/health', 200, undefined], ['/storage/v1/', 200, undefined],
  ]);
  assert.deepEqual(typed.healthCheckFrequency!.rows.map((r) => [r.check, r.interval.measure, r.timeout.measure, r.retries]), [
    ['Edge Functions', { kind: 'duration', ms: 30_000 }, { kind: 'duration', ms: 5_000 }, 2],
    ['Database', { kind: 'duration', ms: 60_000 }, { kind: 'duration', ms: 10_000 }, 3],
    ['Storage', { kind: 'duration', ms: 60_000 }, { kind: 'duration', ms: 5_000 }, 2],
    ['External APIs', { kind: 'duration', ms: 300_000 }, { kind: 'duration', ms: 30_000 }, 1],
  ]);
  const matrix = typed.rollbackDecisionMatrix!.rows;
  assert.deepEqual(matrix.map((r) => r.urgency), [{ kind: 'immediate' }, { kind: 'within', ms: 900_000 }, { kind: 'immediate' }, { kind: 'fixForward', ifUnderMs: 7_200_000 }]);
  assert.equal(matrix[0].trigger?.metric, 'Error rate');
  assert.deepEqual(matrix[1].trigger?.threshold.measure, { kind: 'duration', ms: 5000 });
  assert.equal(matrix[2].trigger, undefined);
  assert.deepEqual(typed.secretsInventory!.rows.map((r) => [r.name, r.rotation.measure]), [
    ['SUPABASE_SERVICE_ROLE_KEY', { kind: 'duration', ms: 90 * 86_400_000 }], ['KEYRING_TOKEN', { kind: 'duration', ms: 180 * 86_400_000 }],
    ['GOOGLE_AI_API_KEY', { kind: 'onDemand' }], ['OPENAI_API_KEY', { kind: 'onDemand' }], ['STRIPE_SECRET_KEY', { kind: 'duration', ms: 90 * 86_400_000 }],
    ['RESEND_API_KEY', { kind: 'duration', ms: 90 * 86_400_000 }], ['GOOGLE_OAUTH_CLIENT_SECRET', { kind: 'onDemand' }],
  ]);
  assert.deepEqual(typed.apiPerformanceTargets!.rows[1], {
    endpoint: '/generate-content', line: 536,
    p50: { text: '2s', measure: { kind: 'duration', ms: 2000 } }, p95: { text: '5s', measure: { kind: 'duration', ms: 5000 } }, p99: { text: '10s', measure: { kind: 'duration', ms: 10000 } },
  });
  assert.deepEqual(typed.databaseQueryTargets!.rows.map((r) => [r.queryType, r.target.comparator, r.target.measure, r.alertThreshold.measure]), [
    ['Simple SELECT', '<', { kind: 'duration', ms: 10 }, { kind: 'duration', ms: 100 }], ['Complex JOIN', '<', { kind: 'duration', ms: 100 }, { kind: 'duration', ms: 500 }],
    ['Full-text search', '<', { kind: 'duration', ms: 200 }, { kind: 'duration', ms: 1000 }], ['Aggregations', '<', { kind: 'duration', ms: 500 }, { kind: 'duration', ms: 2000 }],
  ]);
  assert.deepEqual(typed.emergencyContacts!.rows.map((r) => [r.role, r.escalation.measure, r.escalation.note]), [
    ['On-Call Engineer', { kind: 'immediate' }, undefined], ['Platform Lead', { kind: 'duration', ms: 900_000 }, undefined],
    ['Security Team', { kind: 'duration', ms: 900_000 }, 'security incidents'], ['VP Engineering', { kind: 'duration', ms: 1_800_000 }, 'P1 only'],
  ]);
  assert.deepEqual(typed.frontendBudgets, { snippetIndex: 19, line: 515, timings: { TTFB: 150, FCP: 1800, LCP: 2500, INP: 200, CLS: 0.08 }, sizes: { js_per_route_gzip_kb: 180, css_total_gzip_kb: 35 } });
});
