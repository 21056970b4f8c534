// The command line, run as users run it: node dist/cli.js (built by the build stage) on real files and a real database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { promisify } from 'node:util';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import { PROJECT_ROOT, SAMPLE_PATH, SEED_PATH, readSeed, SEED_MISSING } from '../../helpers/seed';

const run = promisify(execFile);
const CLI = join(PROJECT_ROOT, 'dist', 'cli.js');

async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CLI, ...args], {
      env: { ...process.env, ...env },
      maxBuffer: 32 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
before(async () => {
  pg = await startPostgres({ schema: true });
});
after(async () => {
  await pg?.stop();
});

test("inspect --json lists the seed's five playbooks, every snippet with its lines, and every typed table", async (t) => {
  if (!readSeed()) return t.skip(SEED_MISSING);
  const { code, stdout } = await cli(['inspect', SEED_PATH, '--json']);
  assert.equal(code, 0);
  const model = JSON.parse(stdout);
  assert.equal(model.playbooks.length, 5);
  assert.equal(model.snippets.length, 22);
  assert.ok(
    model.snippets.every(
      (s: { startLine: number; endLine: number; language: string }) =>
        typeof s.startLine === 'number' && s.endLine > s.startLine,
    ),
  );
  assert.deepEqual(
    Object.keys(model.typed)
      .filter((k) => k !== 'problems')
      .sort(),
    [
      'apiPerformanceTargets',
      'criticalMetrics',
      'databaseQueryTargets',
      'emergencyContacts',
      'frontendBudgets',
      'healthCheckFrequency',
      'monitoringEndpoints',
      'rollbackDecisionMatrix',
      'secretsInventory',
      'severities',
    ],
  );
});

test('inspect prints a readable outline of our sample', async () => {
  const { code, stdout } = await cli(['inspect', SAMPLE_PATH]);
  assert.equal(code, 0);
  assert.match(stdout, /▶ Playbook: Database Connection Exhaustion/);
  assert.match(stdout, /5 playbooks, 22 code blocks, 9 tables \(10 typed/);
});

test('check reports problems as file:line and exits 1', async (t) => {
  if (!readSeed()) return t.skip(SEED_MISSING);
  const { code, stdout } = await cli(['check', SEED_PATH]);
  assert.equal(code, 1);
  assert.match(
    stdout,
    /operations-runbook\.md:275: error: `supabase functions logs` no longer exists in Supabase CLI 3\.1 \[cli-unknown-command\]\n {4}`supabase functions logs` is not a command/,
  );
  // Self-describing placeholders and untagged diagrams or checklists are not problems.
  assert.doesNotMatch(stdout, /<org_id>|without a language/);
});

test("check --db runs the seed's read-only SQL and names the stale snippet with file:line", async (t) => {
  const seed = readSeed();
  if (!seed) return t.skip(SEED_MISSING);
  const url = `postgresql://${pg!.user}@${pg!.host}:${pg!.port}/${pg!.database}?sslmode=disable`;
  const { code, stdout } = await cli(
    ['check', SEED_PATH, '--db', url, '--param', 'org_id=11111111-1111-1111-1111-111111111111'],
    { PGPASSWORD: pg!.password },
  );
  assert.equal(code, 1);
  const staleLine = seed.split('\n').findIndex((l) => l.startsWith('SELECT query, calls, mean_time')) + 1;
  assert.match(
    stdout,
    new RegExp(
      `operations-runbook\\.md:${staleLine}: error: SQL fails on the database: column "mean_time" does not exist \\(SQLSTATE 42703\\) — This snippet may predate a rename: mean_time is now mean_exec_time \\(pg_stat_statements, PostgreSQL 13\\+\\)\\. \\[sql-fails\\]`,
    ),
  );
  assert.match(stdout, /info: not run: it (writes|changes the schema)/);
  const summary = /database: (\d+) of (\d+) read-only statements ran, (\d+) failed/.exec(stdout);
  assert.ok(summary, stdout);
  assert.equal(Number(summary[3]), 1, 'only the stale pg_stat_statements query fails');
  assert.ok(Number(summary[2]) >= 10);
});

test('check --db --json carries the advice of each failure', async (t) => {
  if (!readSeed()) return t.skip(SEED_MISSING);
  const url = `postgresql://${pg!.user}@${pg!.host}:${pg!.port}/${pg!.database}?sslmode=disable`;
  const { code, stdout } = await cli(['check', SEED_PATH, '--db', url, '--json'], { PGPASSWORD: pg!.password });
  assert.equal(code, 1);
  const failures = JSON.parse(stdout).database.failures as Array<{ code: string; advice?: string }>;
  const stale = failures.find((f) => f.code === '42703');
  assert.match(stale?.advice ?? '', /mean_time is now mean_exec_time/);
});

test('check --db binds a placeholder without --param to NULL, and to the value given with --param', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-cli-'));
  try {
    const file = join(dir, 'RUNBOOK.md');
    writeFileSync(
      file,
      "# Null check\n\n```sql\n-- Fails unless the placeholder arrives as SQL NULL\nSELECT 1 / (CASE WHEN '<org_id>'::text IS NULL THEN 1 ELSE 0 END) AS null_bound;\n```\n",
    );
    const url = `postgresql://${pg!.user}:${encodeURIComponent(pg!.password)}@${pg!.host}:${pg!.port}/${pg!.database}?sslmode=disable`;
    const withoutParam = JSON.parse((await cli(['check', file, '--db', url, '--json'])).stdout);
    assert.deepEqual(
      [withoutParam.database.ran, withoutParam.database.passed, withoutParam.database.failures.length],
      [1, 1, 0],
      JSON.stringify(withoutParam.database),
    );
    const withParam = JSON.parse(
      (await cli(['check', file, '--db', url, '--json', '--param', 'org_id=11111111-1111-1111-1111-111111111111']))
        .stdout,
    );
    assert.equal(
      withParam.database.failures[0]?.code,
      '22012',
      'with a value, the division by zero shows it was bound',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('check --db ends every statement with a rollback, single reads included', async () => {
  // A database of its own, so its transaction counters count only what the check did.
  const admin = new Client({
    host: pg!.host,
    port: pg!.port,
    user: pg!.user,
    password: pg!.password,
    database: pg!.database,
  });
  await admin.connect();
  try {
    await admin.query('DROP DATABASE IF EXISTS check_rollback');
    await admin.query('CREATE DATABASE check_rollback');
    const counters = async () => {
      await admin.query('SELECT pg_stat_clear_snapshot()');
      const { rows } = await admin.query<{ commits: string; rollbacks: string }>(
        "SELECT xact_commit AS commits, xact_rollback AS rollbacks FROM pg_stat_database WHERE datname = 'check_rollback'",
      );
      return { commits: Number(rows[0]?.commits ?? 0), rollbacks: Number(rows[0]?.rollbacks ?? 0) };
    };
    const before = await counters();
    const url = `postgresql://${pg!.user}:${encodeURIComponent(pg!.password)}@${pg!.host}:${pg!.port}/check_rollback?sslmode=disable`;
    const result = await cli([
      'check',
      join(PROJECT_ROOT, 'test', 'fixtures', 'workspace', 'runbooks', 'diagnostics.md'),
      '--db',
      url,
      '--param',
      'table_name=pg_class',
      '--timeout',
      '1',
      '--json',
    ]);
    const ran = JSON.parse(result.stdout).database.ran as number;
    assert.equal(ran, 7);
    // The CLI's server session flushes its statistics when it ends; wait for them to show.
    let after = await counters();
    for (let i = 0; i < 50 && after.rollbacks - before.rollbacks < ran; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await counters();
    }
    assert.ok(
      after.rollbacks - before.rollbacks >= ran,
      `${after.rollbacks - before.rollbacks} rollbacks for ${ran} statements`,
    );
    assert.ok(
      after.commits - before.commits < ran,
      `${after.commits - before.commits} commits: the statements did not commit`,
    );
  } finally {
    await admin.query('DROP DATABASE IF EXISTS check_rollback WITH (FORCE)').catch(() => undefined);
    await admin.end();
  }
});

test('check --db binds placeholders, never writes, and never hangs on a slow statement', async () => {
  const url = `postgresql://${pg!.user}:${encodeURIComponent(pg!.password)}@${pg!.host}:${pg!.port}/${pg!.database}?sslmode=disable`;
  const result = await cli([
    'check',
    join(PROJECT_ROOT, 'test', 'fixtures', 'workspace', 'runbooks', 'diagnostics.md'),
    '--db',
    url,
    '--param',
    'table_name=audit_log',
    '--timeout',
    '1',
    '--json',
  ]);
  const report = JSON.parse(result.stdout);
  assert.equal(result.code, 1);
  assert.deepEqual(
    report.database.failures.map((f: { label: string; code: string }) => [f.label, f.code]),
    [
      ['Sleep on the server (used to test Cancel)', '57014'],
      ['Top queries by mean time (written for PostgreSQL 12)', '42703'],
      ['Parse a truncated JSON document', '22P02'],
      ['Call a helper function this database does not have', '42883'],
    ],
  );
  assert.equal(report.database.ran, 7);
  assert.ok(
    report.database.skipped.some((s: { reason: string }) => /writes/.test(s.reason)),
    'the UPDATE is not run',
  );
});

test('check --db on a database that is down says so clearly and exits 1', async () => {
  const { code, stdout } = await cli([
    'check',
    SAMPLE_PATH,
    '--db',
    'postgresql://postgres@127.0.0.1:1/postgres?sslmode=disable',
  ]);
  assert.equal(code, 1);
  assert.match(stdout, /database: .*(refused|not accepting|running)/i);
});

test('bad arguments get a usage message and exit 2', async () => {
  const { code, stderr } = await cli(['check', SAMPLE_PATH, '--param', 'novalue']);
  assert.equal(code, 2);
  assert.match(stderr, /--param wants name=value/);
  const missing = await cli(['inspect', '/nonexistent/runbook.md']);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read \/nonexistent\/runbook.md: ENOENT/);
});
