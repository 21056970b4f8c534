// `runbook-companion health --once`, run as cron and CI run it (node dist/cli.js, built by the build stage), against
// the gateway-shaped stand-in, a real PostgreSQL and a local Management API held to the official document: the
// monitoring-plugins exit codes, each check with its state, threshold row and Action, and no key, token or password
// anywhere in the output.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startPostgres, type StartedPostgres } from '../../../scripts/lib/postgres.mjs';
import {
  LOCAL_ANON_KEY,
  startProjectEndpoints,
  type ProjectEndpoints,
} from '../../../scripts/lib/projectEndpoints.mjs';
import { LOCAL_STACK_ANON_KEY } from '../../../src/core/health/projectKey';
import { ManagementApiServer } from '../../helpers/managementApiServer';
import { PROJECT_ROOT, SAMPLE_PATH } from '../../helpers/seed';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');
// Made up: the Management API stand-in accepts any token of the right shape.
const TOKEN = 'sbp_1111111111111111111111111111111111111111';
const REF = 'healthclitestprojabc';
const PUBLISHABLE = 'sb_publishable_healthclitest_0123456789';

async function health(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, 'health', ...args], {
      env: { ...process.env, SUPABASE_ANON_KEY: '', SUPABASE_ACCESS_TOKEN: '', PGPASSWORD: '', ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let api: ProjectEndpoints;
let db: StartedPostgres;
let management: ManagementApiServer;
let projectStatus = 'ACTIVE_HEALTHY';
let dir: string;

before(async () => {
  api = await startProjectEndpoints({ keys: [LOCAL_ANON_KEY, PUBLISHABLE] });
  db = await startPostgres({ schema: true, password: 'health-cli-secret-pw' });
  management = new ManagementApiServer(TOKEN, {
    'v1-get-services-health': (request) =>
      request.query.getAll('services').map((name) => ({ name, healthy: true, status: 'ACTIVE_HEALTHY' })),
    'v1-get-project': () => ({
      id: REF,
      ref: REF,
      organization_id: 'org',
      organization_slug: 'org',
      name: 'health cli',
      region: 'eu-west-1',
      created_at: '2026-01-01T00:00:00Z',
      status: projectStatus,
      database: { host: 'db', version: '17', postgres_engine: '17', release_channel: 'ga' },
    }),
    'v1-get-project-api-keys': () => [
      { name: 'service_role', api_key: 'service-role-must-never-be-used', type: 'legacy' },
      { name: 'default', api_key: PUBLISHABLE, type: 'publishable' },
    ],
    'v1-get-project-logs': () => ({
      result: Array.from({ length: 40 }, (_, i) => ({
        timestamp: Date.now() * 1000,
        function_id: 'f1',
        execution_time_ms: 100 + i * 20,
        status_code: i < 4 ? 500 : 200,
        pathname: '/functions/v1/generate-content',
      })),
    }),
  });
  await management.start();
  dir = mkdtempSync(join(tmpdir(), 'runbook-health-cli-'));
});

after(async () => {
  await api?.close();
  await db?.stop();
  await management?.close();
  rmSync(dir, { recursive: true, force: true });
});

test("the local stack's default anon key is the one the stand-in accepts", () => {
  assert.equal(LOCAL_STACK_ANON_KEY, LOCAL_ANON_KEY);
});

test('all healthy: exit 0, a first line in the monitoring-plugins form, each check with its row', async () => {
  const { code, stdout } = await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH, '--once']);
  assert.equal(code, 0, stdout);
  assert.match(stdout.split('\n')[0], /^HEALTH OK - /);
  assert.match(stdout, /HEALTHY +Liveness of the edge functions \(\/functions\/v1\/health\): 200 OK/);
  assert.match(stdout, /probed \/storage\/v1\/version instead of \/storage\/v1\//);
  assert.ok(!stdout.includes(LOCAL_ANON_KEY), 'the key never appears');
});

test('a failing endpoint: exit 2, its state, the row it broke and the playbook', async () => {
  api.script('/functions/v1/health', { kind: 'status', status: 503 });
  try {
    const { code, stdout } = await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH, '--once']);
    assert.equal(code, 2, stdout);
    assert.match(stdout.split('\n')[0], /^HEALTH CRITICAL - /);
    assert.match(stdout, /CRITICAL +Liveness of the edge functions.*503 Service Unavailable/);
    assert.match(
      stdout,
      /Monitoring Endpoints "\/functions\/v1\/health" \(.*operations-runbook\.md:153\); expects \{ "status": "healthy" \}/,
    );
    assert.match(stdout, /playbook: Edge Function Failures/);
  } finally {
    api.reset();
  }
});

test('a degraded function: exit 1, WARNING', async () => {
  api.script('/functions/v1/health', { kind: 'json', body: { status: 'degraded' } });
  try {
    const { code, stdout } = await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH, '--once']);
    assert.equal(code, 1, stdout);
    assert.match(stdout.split('\n')[0], /^HEALTH WARNING - /);
  } finally {
    api.reset();
  }
});

test('--db: the database check with the runbook rows; the password never printed, even from the URL', async () => {
  const url = `postgresql://${db.user}:${db.password}@127.0.0.1:${db.port}/${db.database}`;
  const { code, stdout } = await health([
    '--api-url',
    api.origin,
    '--runbook',
    SAMPLE_PATH,
    '--db',
    url,
    '--once',
    '--json',
  ]);
  const report = JSON.parse(stdout);
  assert.equal(code, 0, stdout);
  assert.equal(report.exitCode, 0);
  const database = report.checks.find((c: { id: string }) => c.id === 'database');
  assert.equal(database.state, 'healthy');
  assert.ok(database.rules.some((r: { row: string }) => r.row === 'Database Connections'));
  assert.ok(!stdout.includes(db.password));
  assert.ok(!stdout.includes(LOCAL_ANON_KEY));
});

test('a database that is down is CRITICAL; without --db the database is not run at all (not UNKNOWN)', async () => {
  const down = await health([
    '--api-url',
    api.origin,
    '--runbook',
    SAMPLE_PATH,
    '--db',
    'postgresql://postgres@127.0.0.1:1/postgres',
    '--once',
  ]);
  assert.equal(down.code, 2);
  assert.match(down.stdout, /CRITICAL +Database: Connection refused/);
  const without = await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH, '--once', '--json']);
  assert.ok(!JSON.parse(without.stdout).checks.some((c: { id: string }) => c.id === 'database'));
});

test('with a token and --ref: the key from api-keys (publishable, never service_role), the Management API and real traffic', async () => {
  const { code, stdout } = await health(
    [
      '--api-url',
      api.origin,
      '--runbook',
      SAMPLE_PATH,
      '--ref',
      REF,
      '--management-api-url',
      management.url,
      '--once',
      '--json',
    ],
    { SUPABASE_ACCESS_TOKEN: TOKEN },
  );
  const report = JSON.parse(stdout);
  assert.deepEqual(management.rejected, []);
  assert.equal(report.keySource, 'the Management API (publishable key)');
  assert.ok(api.requests.some((r) => r.apikey === PUBLISHABLE));
  assert.ok(!api.requests.some((r) => r.apikey === 'service-role-must-never-be-used'));
  const services = report.checks.find((c: { kind: string }) => c.kind === 'managementApi');
  assert.equal(services.state, 'healthy');
  const traffic = report.checks.find((c: { kind: string }) => c.kind === 'traffic');
  // 4 of 40 invocations failed: 10% > 5% is critical by the sample's Error Rate row.
  assert.equal(traffic.state, 'critical', traffic.summary);
  assert.equal(traffic.playbook.name, 'Content Generation Failures');
  assert.equal(report.percentiles.source, 'logs');
  assert.equal(code, 2);
  assert.ok(!stdout.includes(TOKEN) && !stdout.includes(PUBLISHABLE));
});

test('a project in maintenance: MAINTENANCE, not an outage, exit 1 even with failing endpoints', async () => {
  projectStatus = 'UPGRADING';
  api.script('/auth/v1/health', { kind: 'status', status: 503 });
  try {
    const { code, stdout } = await health(
      [
        '--api-url',
        api.origin,
        '--runbook',
        SAMPLE_PATH,
        '--ref',
        REF,
        '--management-api-url',
        management.url,
        '--once',
      ],
      { SUPABASE_ACCESS_TOKEN: TOKEN, SUPABASE_ANON_KEY: LOCAL_ANON_KEY },
    );
    assert.match(stdout, /maintenance, not an outage/);
    assert.match(stdout, /MAINTENANCE +Liveness of the auth service/);
    assert.ok(!/CRITICAL +Liveness of the auth service/.test(stdout));
    assert.equal(code, 1, stdout);
  } finally {
    projectStatus = 'ACTIVE_HEALTHY';
    api.reset();
  }
});

test('keys come from the environment, never a flag; a service role key in SUPABASE_ANON_KEY is refused; usage errors are UNKNOWN (3)', async () => {
  const flag = await health(['--api-url', api.origin, '--key', 'abc', '--once']);
  assert.equal(flag.code, 3);
  assert.match(flag.stderr, /never from a flag/);
  // Made up: {"role":"service_role"} with the signature "signature-not-checked"; it only has to look privileged.
  const serviceRole =
    'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJyb2xlIjoic2VydmljZV9yb2xlIn0.c2lnbmF0dXJlLW5vdC1jaGVja2Vk';
  const privileged = await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH, '--once'], {
    SUPABASE_ANON_KEY: serviceRole,
  });
  assert.equal(privileged.code, 3);
  assert.match(privileged.stderr, /service role or secret key/);
  assert.ok(!privileged.stderr.includes(serviceRole));
  assert.equal((await health(['--api-url', api.origin, '--runbook', SAMPLE_PATH])).code, 3, 'without --once');
  assert.equal((await health(['--once'])).code, 3, 'without --api-url');
});

test('a runbook with other thresholds gives other verdicts for the same project', async () => {
  const file = join(dir, 'RUNBOOK.md');
  writeFileSync(
    file,
    `# Ops

## Critical Metrics Dashboard

| Metric | Warning Threshold | Critical Threshold | Action |
|---|---|---|---|
| P95 Latency | > 1ms | > 2ms | Buy faster servers |

## Monitoring Endpoints

| Endpoint | Purpose | Expected Response |
|---|---|---|
| \`/auth/v1/health\` | Auth | 200 OK |
`,
  );
  api.script('/auth/v1/health', { kind: 'json', body: { name: 'GoTrue' }, delayMs: 20 });
  try {
    // Run from the folder with the runbook: found without --runbook.
    const here = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile(
        process.execPath,
        [CLI, 'health', '--api-url', api.origin, '--once'],
        { cwd: dir, env: { ...process.env, SUPABASE_ANON_KEY: '' } },
        (error, out) => resolve({ code: (error as { code?: number } | null)?.code ?? 0, stdout: out }),
      ),
    );
    assert.equal(here.code, 2, here.stdout);
    assert.match(here.stdout, /Critical Metrics Dashboard "P95 Latency".*critical > 2ms.*Action: Buy faster servers/);
  } finally {
    api.reset();
  }
});
