// The health verdicts come from the runbook's own tables: the seed's thresholds give the seed's verdicts, and a
// runbook with other thresholds gives other verdicts for the same measurements. Each verdict names its row, the
// threshold crossed, the Action and what was measured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { planChecks, DEFAULT_TIMING } from '../../../src/core/health/checkPlan';
import { judgeMetric, metricRow } from '../../../src/core/health/metricRules';
import { judgeDatabase } from '../../../src/core/health/judgeDatabase';
import { judgeTraffic } from '../../../src/core/health/judgeTraffic';
import { healthDetails, judgeEndpointAttempt } from '../../../src/core/health/judgeEndpoint';
import { judgeManagementApi } from '../../../src/core/health/judgeManagementApi';
import { findPlaybook } from '../../../src/core/health/playbookFinder';
import { healthFunctionBody, parseHealthBody } from '../../../src/core/health/healthFunctionSchema';
import { staleEndpointProblems } from '../../../src/core/health/staleEndpoints';
import { checkRunbook } from '../../../src/core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../../src/core/check/standardCheckers';
import { readSample, readSeed, SEED_MISSING } from '../../helpers/seed';
import type { ProbeAttempt } from '../../../src/core/health/probeOutcome';

const sample = parseRunbook(readSample());

/** The same runbook with other thresholds and timings. */
const strict = parseRunbook(`# Ops

## Critical Metrics Dashboard

| Metric | Warning Threshold | Critical Threshold | Action |
|--------|-------------------|--------------------|--------|
| Error Rate | > 0.5% | > 2% | Page the on-call |
| P95 Latency | > 100ms | > 300ms | Profile the slow path |
| Circuit Breaker Opens | 2+ in 10min | 5+ in 10min | Call the provider |
| Auth Failures | > 2/min | > 5/min | Lock the attacker out |
| Database Connections | > 50% pool | > 70% pool | Add a pooler |
| Edge Function Errors | > 1/min | > 3/min | Roll the function back |

## Monitoring Endpoints

| Endpoint | Purpose | Expected Response |
|----------|---------|-------------------|
| \`/functions/v1/health\` | Functions | \`{ "status": "healthy" }\` |
| \`/auth/v1/health\` | Auth | 200 OK |

## Health Check Frequency

| Check | Interval | Timeout | Retries |
|-------|----------|---------|---------|
| Edge Functions | 10s | 2s | 4 |
| Database | 2m | 20s | 0 |

## Database Query Targets

| Query Type | Target | Alert Threshold |
|------------|--------|-----------------|
| Simple SELECT | < 5ms | > 50ms |
| Aggregations | < 1s | > 30s |
`);

test('the same connections are Critical by the sample runbook and Warning… or not, by another', () => {
  const observation = { latencyMs: 2, connections: { used: 90, max: 100 } };
  const bySample = judgeDatabase(sample.typed, observation);
  assert.equal(bySample.state, 'warning', '90% crosses "> 80% pool" but not "> 95% pool"');
  const rule = bySample.rules.find((r) => r.row === 'Database Connections')!;
  assert.equal(rule.level, 'warning');
  assert.equal(rule.threshold, '> 80% pool');
  assert.equal(rule.action, 'Raise the connection limit');
  assert.equal(rule.observed, '90% (90 of 100 connections)');
  assert.equal(rule.table, 'Critical Metrics Dashboard');
  assert.equal(
    sample.playbooks.find((p) => p.line === findPlaybook(sample, bySample.topic!)!.line)?.name,
    'Database Connection Exhaustion',
  );

  const byStrict = judgeDatabase(strict.typed, observation);
  assert.equal(byStrict.state, 'critical', '90% crosses "> 70% pool"');
  assert.equal(byStrict.rules.find((r) => r.row === 'Database Connections')!.action, 'Add a pooler');

  const low = judgeDatabase(sample.typed, { latencyMs: 2, connections: { used: 40, max: 100 } });
  assert.equal(low.state, 'healthy');
  assert.equal(judgeDatabase(strict.typed, { latencyMs: 2, connections: { used: 60, max: 100 } }).state, 'warning');
});

test('auth failures per minute by the "Auth Failures" row, in its unit', () => {
  // 60 failures in 5 minutes: 12/min.
  const observation = { latencyMs: 1, authFailures: { count: 60, windowMs: 300_000 } };
  const bySample = judgeDatabase(sample.typed, observation);
  assert.equal(bySample.state, 'warning', '12/min > 10/min');
  assert.equal(bySample.topic, 'auth');
  assert.equal(findPlaybook(sample, 'auth')?.name, 'Authentication Failures');
  assert.equal(judgeDatabase(strict.typed, observation).state, 'critical', '12/min > 5/min');
  assert.match(bySample.rules.find((r) => r.row === 'Auth Failures')!.observed!, /^12\/min \(60 in 5 min\)$/);
});

test('long-running queries are measured against the longest alert threshold of Database Query Targets', () => {
  const verdict = judgeDatabase(sample.typed, {
    latencyMs: 1,
    longRunning: { count: 2, longestMs: 240_000, thresholdMs: 2000 },
  });
  assert.equal(verdict.state, 'warning');
  const rule = verdict.rules.find((r) => r.table === 'Database Query Targets')!;
  assert.equal(rule.row, 'Aggregations');
  assert.equal(rule.threshold, '> 2s');
  assert.match(rule.observed!, /2 running longer than 2 s, the longest 4 min/);
});

test('an unreachable database is Critical and says why', () => {
  const verdict = judgeDatabase(sample.typed, {
    latencyMs: 3,
    error: {
      title: 'Too many connections',
      message: 'sorry, too many clients already',
      advice: 'Close idle sessions.',
    },
  });
  assert.equal(verdict.state, 'critical');
  assert.equal(verdict.passed, false);
  assert.match(verdict.summary, /too many clients/);
});

test('error rate and P95 from traffic, by the runbook rows; edge function errors per minute from the logs', () => {
  const traffic = {
    source: 'logs' as const,
    windowMs: 300_000,
    requests: 200,
    errors: 8,
    percentiles: { p50: 80, p95: 620, p99: 900, samples: 200 },
    byFunction: [{ name: 'generate-content', requests: 100, errors: 8 }],
  };
  const verdict = judgeTraffic(sample.typed, traffic);
  // 4% > 1% (warning), P95 620 ms > 500 ms (warning), 1.6/min < 5/min.
  assert.equal(verdict.state, 'warning');
  assert.deepEqual(
    verdict.rules.map((r) => [r.row, r.level ?? 'ok']),
    [
      ['Error Rate', 'warning'],
      ['P95 Latency', 'warning'],
      ['Edge Function Errors', 'ok'],
    ],
  );
  assert.equal(verdict.rules[1].action, 'Add capacity or tune the slow path');
  assert.equal(verdict.rules[1].observed, 'p95 620 ms over 200 requests');
  const byStrict = judgeTraffic(strict.typed, traffic);
  assert.equal(byStrict.state, 'critical', '4% > 2%, 620 ms > 300 ms');
  assert.equal(byStrict.rules.find((r) => r.row === 'Edge Function Errors')?.level, 'warning', '1.6/min > 1/min');
});

test('the circuit breaker row: Any is a warning, 3+ in 5min critical', () => {
  const row = metricRow(sample.typed, 'circuitBreakerOpens')!;
  assert.equal(judgeMetric(row, { kind: 'events', count: 0, overMs: 300_000 }, '0')!.state, 'healthy');
  assert.equal(judgeMetric(row, { kind: 'events', count: 1, overMs: 300_000 }, '1')!.state, 'warning');
  assert.equal(judgeMetric(row, { kind: 'events', count: 3, overMs: 300_000 }, '3')!.state, 'critical');
  const strictRow = metricRow(strict.typed, 'circuitBreakerOpens')!;
  assert.equal(judgeMetric(strictRow, { kind: 'events', count: 1, overMs: 600_000 }, '1')!.state, 'healthy');
  assert.equal(judgeMetric(strictRow, { kind: 'events', count: 3, overMs: 600_000 }, '3')!.state, 'warning');
});

test('timings come from Health Check Frequency by the check name; a check without a row gets the default', () => {
  const checks = planChecks(sample, { database: true, managementApi: false });
  const byId = new Map(checks.map((c) => [c.id, c]));
  const fn = byId.get('endpoint:/functions/v1/health')!;
  assert.equal(fn.kind, 'healthFunction');
  assert.deepEqual([fn.timing.intervalMs, fn.timing.timeoutMs, fn.timing.retries], [30_000, 5000, 2]);
  assert.equal(fn.timing.source, 'Health Check Frequency: Edge Functions');
  const storage = byId.get('endpoint:/storage/v1/')!;
  assert.deepEqual([storage.timing.intervalMs, storage.timing.timeoutMs, storage.timing.retries], [60_000, 5000, 2]);
  assert.equal(storage.endpoint!.route.probed, '/storage/v1/version');
  const auth = byId.get('endpoint:/auth/v1/health')!;
  assert.equal(auth.timing.source, 'default');
  assert.equal(auth.timing.intervalMs, DEFAULT_TIMING.intervalMs);
  const db = byId.get('database')!;
  assert.deepEqual([db.timing.intervalMs, db.timing.timeoutMs, db.timing.retries], [60_000, 10_000, 3]);

  const other = new Map(planChecks(strict, { database: true, managementApi: false }).map((c) => [c.id, c]));
  assert.deepEqual(
    [
      other.get('endpoint:/functions/v1/health')!.timing.intervalMs,
      other.get('endpoint:/functions/v1/health')!.timing.retries,
    ],
    [10_000, 4],
  );
  assert.equal(other.get('database')!.timing.intervalMs, 120_000);
});

test('settings override a row by its name, and the default by "default"', () => {
  const checks = planChecks(sample, {
    database: true,
    managementApi: true,
    overrides: { 'Edge Functions': { intervalSeconds: 5 }, default: { timeoutSeconds: 3 } },
  });
  const fn = checks.find((c) => c.id === 'endpoint:/functions/v1/health')!;
  assert.equal(fn.timing.intervalMs, 5000);
  assert.equal(fn.timing.timeoutMs, 5000, 'the row keeps its timeout');
  assert.match(fn.timing.source, /setting/);
  assert.equal(checks.find((c) => c.id === 'endpoint:/auth/v1/health')!.timing.timeoutMs, 3000);
  // The Management API is never polled faster than once a minute, whatever the runbook says.
  assert.ok(checks.find((c) => c.kind === 'managementApi')!.timing.intervalMs >= 60_000);
  assert.ok(checks.find((c) => c.kind === 'traffic')!.timing.intervalMs >= 60_000);
});

function attempt(partial: Partial<ProbeAttempt>): ProbeAttempt {
  return { startedAt: 0, latencyMs: 12, status: 200, statusText: 'OK', body: '', ...partial };
}

test('the health function: its status maps to states, its JSON is validated, a 404 says how to add one', () => {
  const fn = planChecks(sample, { database: false, managementApi: false }).find((c) => c.kind === 'healthFunction')!;
  const body = (status: string) =>
    JSON.stringify({ status, version: '2.0.1', checks: { database: 'ok' }, circuit_breakers: { openai: 'closed' } });
  assert.equal(judgeEndpointAttempt(fn, attempt({ body: body('healthy') })).state, 'healthy');
  assert.equal(judgeEndpointAttempt(fn, attempt({ body: body('degraded') })).state, 'warning');
  assert.equal(judgeEndpointAttempt(fn, attempt({ body: body('on fire') })).state, 'critical');
  const healthy = judgeEndpointAttempt(fn, attempt({ body: body('healthy') }));
  assert.deepEqual(
    healthDetails(healthy.healthBody!).map((d) => `${d.label}: ${d.value}`),
    ['version: 2.0.1', 'database: ok', 'circuit breaker openai: closed'],
  );
  const schema = judgeEndpointAttempt(fn, attempt({ body: JSON.stringify({ version: 3 }) }));
  assert.equal(schema.state, 'critical');
  assert.match(schema.summary, /not the runbook's health JSON/);
  const invalid = judgeEndpointAttempt(fn, attempt({ body: '{"status": "heal' }));
  assert.match(invalid.summary, /not JSON/);
  const missing = judgeEndpointAttempt(fn, attempt({ status: 404, statusText: 'Not Found' }));
  assert.equal(missing.state, 'unknown');
  assert.match(missing.summary, /No `health` Edge Function is deployed.*supabase functions new health/);
});

test('a plain endpoint: the expected status, a body that says unhealthy, a refused key, a redirect', () => {
  const auth = planChecks(sample, { database: false, managementApi: false }).find(
    (c) => c.id === 'endpoint:/auth/v1/health',
  )!;
  const ok = judgeEndpointAttempt(auth, attempt({ body: '{"name":"GoTrue"}' }));
  assert.equal(ok.state, 'healthy');
  assert.equal(ok.rules[0].table, 'Monitoring Endpoints');
  assert.equal(ok.rules[0].threshold, '200 OK');
  assert.equal(
    judgeEndpointAttempt(auth, attempt({ status: 503, statusText: 'Service Unavailable' })).state,
    'critical',
  );
  const says = judgeEndpointAttempt(auth, attempt({ body: '{"healthy": false}', contentType: 'application/json' }));
  assert.equal(says.state, 'critical');
  assert.match(says.summary, /body says "healthy": false/);
  assert.equal(judgeEndpointAttempt(auth, attempt({ status: 401 })).state, 'unknown');
  const redirect = judgeEndpointAttempt(
    auth,
    attempt({ status: 302, redirect: { location: 'https://evil.example/x?token=1', crossOrigin: true } }),
  );
  assert.match(redirect.summary, /another origin \(https:\/\/evil\.example\/x\).*never sent there/);
  assert.ok(!redirect.summary.includes('token=1'));
});

test('the Management API: maintenance is not an outage; an unhealthy service is Critical', () => {
  const upgrading = judgeManagementApi({
    projectStatus: 'UPGRADING',
    services: [{ name: 'db', status: 'UNHEALTHY' }],
  });
  assert.equal(upgrading.state, 'maintenance');
  assert.match(upgrading.summary, /maintenance, not an outage/);
  const down = judgeManagementApi({
    projectStatus: 'ACTIVE_HEALTHY',
    services: [{ name: 'auth', status: 'UNHEALTHY', error: 'timeout' }],
  });
  assert.equal(down.state, 'critical');
  assert.equal(down.topic, 'auth');
});

test('playbooks are found by title first, symptoms second, in any runbook', () => {
  assert.equal(findPlaybook(sample, 'functions')?.name, 'Edge Function Failures');
  assert.equal(findPlaybook(sample, 'generation')?.name, 'Content Generation Failures');
  const renamed = parseRunbook(`# Ops

### Playbook: Postgres out of slots

**Symptoms:**
- "Connection pool exhausted" errors

**Diagnosis:**
\`\`\`sql
select count(*) from pg_stat_activity;
\`\`\`

**Mitigation:**
1. Kill idle sessions
`);
  const link = findPlaybook(renamed, 'connections')!;
  assert.equal(link.name, 'Postgres out of slots');
  assert.equal(renamed.snippets[link.diagnosisSnippetIndex!].category, 'sql');
});

test('stale Monitoring Endpoints rows are runbook problems, in check and the Problems panel', () => {
  const problems = staleEndpointProblems(sample);
  assert.deepEqual(
    problems.map((p) => sample.typed.monitoringEndpoints!.rows.find((r) => r.line === p.line)?.endpoint),
    ['/rest/v1/', '/storage/v1/'],
  );
  assert.match(problems[1].message, /Storage has no root route.*\/storage\/v1\/version/);
  const all = checkRunbook(sample, readSample(), STANDARD_CHECKERS).filter((p) => p.code === 'health-endpoint-stale');
  assert.equal(all.length, 2);
});

test('the seed runbook gives the same checks and rules', (t) => {
  const seed = readSeed();
  if (!seed) return t.skip(SEED_MISSING);
  const runbook = parseRunbook(seed);
  const verdict = judgeDatabase(runbook.typed, { latencyMs: 1, connections: { used: 96, max: 100 } });
  assert.equal(verdict.state, 'critical');
  assert.equal(verdict.rules[0].action, 'Scale connections');
  assert.equal(findPlaybook(runbook, verdict.topic!)?.name, 'Database Connection Exhaustion');
  assert.deepEqual(
    staleEndpointProblems(runbook).map((p) => p.line + 1),
    [149, 151],
  );
});

test('the fast path of the health JSON check agrees with the zod schema on every shape', () => {
  const bodies: unknown[] = [
    { status: 'healthy' },
    { status: 'healthy', version: '1', timestamp: 't', checks: { db: 'ok' }, circuit_breakers: { openai: 'closed' } },
    { status: 'healthy', checks: { db: { status: 'ok', latency_ms: 3 } } },
    { status: 'healthy', checks: { db: true, cache: false } },
    { status: '' },
    { status: 3 },
    { version: '1' },
    { status: 'healthy', version: 2 },
    { status: 'healthy', checks: ['ok'] },
    { status: 'healthy', circuit_breakers: { openai: 1 } },
    [],
    null,
    'healthy',
  ];
  for (const body of bodies) {
    const fast = parseHealthBody(body);
    const slow = healthFunctionBody.safeParse(body);
    assert.equal(fast.success, slow.success, JSON.stringify(body));
    if (fast.success && slow.success) assert.deepEqual(fast.data, slow.data, JSON.stringify(body));
  }
});
