// The adversarial SQL of issue 9 against a real PostgreSQL 18, through both ways a runbook's SQL reaches a
// database: the SQL lens (the same core and node code SqlSnippetRunner runs: PostgreSQL's parser, the target's
// catalog, then PgRunner) and `runbook-companion check --db` (dist/cli.js, as CI runs it). As a superuser and as
// an ordinary role that owns its tables. After everything, the server is the judge: the victim session lives, no
// row or catalog statistic changed, no notification was delivered, no file was written, no advisory lock is held
// and no session setting leaked into the next run.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import pg from 'pg';
import { startPostgres, type StartedPostgres } from '../../../scripts/lib/postgres.mjs';
import { prepareSqlRun } from '../../../src/core/sql/prepareSqlRun';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { judgeWithCatalog } from '../../../src/node/pg/judgeWithCatalog';
import { PgRunner, type RunOutcome } from '../../../src/node/pg/pgRunner';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';
import { PROJECT_ROOT, readSeed } from '../../helpers/seed';

const VICTIM = 'runbook-adversarial-victim';
const CHANNEL = 'runbook_adversarial';
const OWNER = 'runbook_owner';
const OWNER_PASSWORD = 'owner-secret';
const EXPORTED = join(tmpdir(), `runbook-lo-export-${process.pid}`);
const VICTIM_PID = `(SELECT pid FROM pg_stat_activity WHERE application_name = '${VICTIM}' LIMIT 1)`;

let server: StartedPostgres;
let admin: pg.Client;
let victim: pg.Client;
let listener: pg.Client;
let parser: SqlParser;
const heard: string[] = [];

/** Each statement changed the server when it ran as a read before the fix; each must now ask first. */
function adversarialStatements(): Array<[string, string, RegExp]> {
  const dblink = `host=127.0.0.1 port=${server.port} dbname=postgres user=postgres password=postgres`;
  return [
    [
      'a Unicode-escaped name',
      `SELECT U&"pg_terminate_backend"(pid) FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      /pg_terminate_backend/,
    ],
    [
      'escapes inside the name',
      `SELECT U&"pg_terminate\\005fbackend"(pid) FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      /pg_terminate_backend/,
    ],
    [
      'UESCAPE',
      `SELECT U&"pg_terminate!005fbackend" UESCAPE '!' (pid) FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      /pg_terminate_backend/,
    ],
    ['inside VALUES', `VALUES (U&"pg_terminate_backend"(${VICTIM_PID}))`, /pg_terminate_backend/],
    ['cancel', `SELECT U&"pg_cancel_backend"(${VICTIM_PID})`, /pg_cancel_backend/],
    ['a session advisory lock', 'SELECT U&"pg_advisory_lock"(424242)', /pg_advisory_lock/],
    ['a session setting', `SELECT U&"set_config"('search_path', 'nowhere', false)`, /set_config/],
    ['a notification', `SELECT U&"pg_notify"('${CHANNEL}', 'escaped')`, /pg_notify/],
    ['a file written', `SELECT U&"lo_export"(lo_from_bytea(0, 'x'), '${EXPORTED}')`, /lo_export|lo_from_bytea/],
    ['the configuration reloaded', 'SELECT U&"pg_reload_conf"()', /pg_reload_conf/],
    ['statistics reset', 'SELECT U&"pg_stat_reset"()', /pg_stat_reset/],
    ['a WAL switch', 'SELECT U&"pg_switch_wal"()', /pg_switch_wal/],
    [
      'SQL over another connection',
      `SELECT U&"dblink_exec"('${dblink}', 'INSERT INTO owned.items VALUES (999)')`,
      /dblink_exec/,
    ],
    [
      'query text run by query_to_xml',
      `SELECT U&"query_to_xml"('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ''${VICTIM}''', true, false, '')`,
      /pg_terminate_backend/,
    ],
    [
      'query text run by ts_rewrite',
      `SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ''${VICTIM}'') x')`,
      /pg_terminate_backend/,
    ],
    [
      'SQL built by connectby',
      `SELECT * FROM connectby('(SELECT 1 AS k, NULL::int AS p, pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ''${VICTIM}'') t', 'k', 'p', '1', 0) AS t(k int, p int, level int)`,
      /connectby/,
    ],
    [
      'SQL built by xpath_table',
      `SELECT * FROM xpath_table('k', 'd', '(SELECT 1 AS k, ''<x y="1"/>''::text AS d, pg_notify(''${CHANNEL}'', ''xpath'') AS n) t', '/x/@y', 'true') AS t(k int, y text)`,
      /xpath_table/,
    ],
    ['a BRIN summary', "SELECT brin_summarize_new_values('owned.items_brin')", /brin_summarize_new_values/],
    ['a GIN cleanup', "SELECT gin_clean_pending_list('owned.items_gin')", /gin_clean_pending_list/],
    ['planner statistics cleared', "SELECT pg_clear_relation_stats('owned', 'items')", /pg_clear_relation_stats/],
    [
      'planner statistics restored',
      "SELECT pg_restore_relation_stats('schemaname', 'owned', 'relname', 'items', 'reltuples', 1::real)",
      /pg_restore_relation_stats/,
    ],
    ['the visibility map truncated', "SELECT pg_truncate_visibility_map('owned.items')", /pg_truncate_visibility_map/],
    ['a row killed', "SELECT heap_force_kill('owned.items'::regclass, ARRAY['(0,1)']::tid[])", /heap_force_kill/],
    [
      'a replication slot consumed',
      "SELECT * FROM pg_logical_slot_get_changes('no_such_slot', NULL, NULL)",
      /pg_logical_slot_get_changes/,
    ],
    [
      'field notation',
      `SELECT (pid).pg_terminate_backend FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      /pg_terminate_backend/,
    ],
    ["a team's VOLATILE function", 'SELECT owned.touch_items()', /owned\.touch_items\(\).*VOLATILE/],
    [
      "a team's function that takes SQL text",
      `SELECT owned.run_sql('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = ''${VICTIM}''')`,
      /owned\.run_sql\(\).*SQL text/,
    ],
    [
      'a view that calls a VOLATILE function',
      'SELECT * FROM owned.kick_view',
      /view owned\.kick_view.*pg_terminate_backend/,
    ],
    [
      'an operator backed by a VOLATILE function',
      `SELECT pid OPERATOR(owned.###) 0 FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      /operator owned\.###.*owned\.kick/,
    ],
  ];
}

before(async () => {
  parser = await loadPostgresParser();
  server = await startPostgres({ schema: true });
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`
    CREATE EXTENSION IF NOT EXISTS dblink;
    CREATE EXTENSION IF NOT EXISTS tablefunc;
    CREATE EXTENSION IF NOT EXISTS xml2;
    CREATE EXTENSION IF NOT EXISTS pg_surgery;
    CREATE EXTENSION IF NOT EXISTS pg_visibility;
    CREATE ROLE ${OWNER} LOGIN PASSWORD '${OWNER_PASSWORD}';
    CREATE SCHEMA owned AUTHORIZATION ${OWNER};
    GRANT EXECUTE ON FUNCTION dblink_exec(text, text) TO ${OWNER};
  `);
  // The ordinary role's own objects: a table with indexes, and functions, a view and an operator it wrote.
  const owner = new pg.Client({ connectionString: roleUrl(OWNER, OWNER_PASSWORD) });
  await owner.connect();
  await owner.query(`
    CREATE TABLE owned.items (id int, tags int[]);
    INSERT INTO owned.items SELECT g, ARRAY[g] FROM generate_series(1, 50) g;
    CREATE INDEX items_brin ON owned.items USING brin (id);
    CREATE INDEX items_gin ON owned.items USING gin (tags) WITH (fastupdate = on);
    ANALYZE owned.items;
    CREATE FUNCTION owned.touch_items() RETURNS int LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_notify('${CHANNEL}', 'team function'); RETURN 1; END $$;
    CREATE FUNCTION owned.run_sql(query text) RETURNS int LANGUAGE plpgsql STABLE AS $$
      BEGIN EXECUTE query; RETURN 1; END $$;
    CREATE VIEW owned.kick_view AS
      SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = '${VICTIM}';
    CREATE FUNCTION owned.kick(pid int, ignored int) RETURNS boolean LANGUAGE sql AS 'SELECT pg_terminate_backend(pid)';
    CREATE OPERATOR owned.### (LEFTARG = int, RIGHTARG = int, FUNCTION = owned.kick);
  `);
  await owner.end();
  victim = new pg.Client({ connectionString: roleUrl(OWNER, OWNER_PASSWORD), application_name: VICTIM });
  await victim.connect();
  listener = new pg.Client({ connectionString: server.url });
  await listener.connect();
  listener.on('notification', (n) => heard.push(n.payload ?? ''));
  await listener.query(`LISTEN ${CHANNEL}`);
});

after(async () => {
  for (const client of [victim, listener, admin]) await client?.end().catch(() => undefined);
  await server?.stop();
  rmSync(EXPORTED, { force: true });
});

function roleUrl(user: string, password: string): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@${server.host}:${server.port}/${server.database}`;
}

/** What the server holds that no statement here may change. */
async function serverState(): Promise<Record<string, unknown>> {
  const { rows } = await admin.query(`
    SELECT (SELECT count(*)::int FROM owned.items) AS items,
           (SELECT reltuples FROM pg_class WHERE oid = 'owned.items'::regclass) AS reltuples,
           (SELECT stats_reset::text FROM pg_stat_database WHERE datname = current_database()) AS stats_reset,
           pg_conf_load_time()::text AS conf_loaded,
           (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory') AS advisory_locks,
           (SELECT count(*)::int FROM pg_stat_activity WHERE application_name = '${VICTIM}') AS victims`);
  return rows[0];
}

/** Every notification sent so far has arrived once this one has. */
async function notificationsSoFar(): Promise<string[]> {
  const sentinel = `sentinel-${heard.length}-${Date.now()}`;
  await admin.query(`SELECT pg_notify('${CHANNEL}', '${sentinel}')`);
  const deadline = Date.now() + 5000;
  while (!heard.includes(sentinel)) {
    if (Date.now() > deadline) throw new Error('the sentinel notification never arrived');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return heard.filter((payload) => !payload.startsWith('sentinel-'));
}

async function assertNothingChanged(before: Record<string, unknown>, how: string): Promise<void> {
  assert.deepEqual(await serverState(), before, `${how}: rows, statistics, configuration, locks and sessions`);
  assert.deepEqual((await victim.query('SELECT 1 AS alive')).rows, [{ alive: 1 }], `${how}: the victim session lives`);
  assert.deepEqual(await notificationsSoFar(), [], `${how}: no notification was delivered`);
  assert.equal(existsSync(EXPORTED), false, `${how}: no file was written`);
}

type LensResult = { asked: string[] } | { refused: string } | { ran: RunOutcome };

/** What the SQL lens does with a block: parse, bind and judge it, ask the catalog, then ask or run it. */
async function throughLens(runner: PgRunner, body: string): Promise<LensResult> {
  const prepared = prepareSqlRun(body, 0, new Map(), parser);
  if (prepared.problems.length || prepared.rejected)
    return { refused: prepared.problems.join(' ') || prepared.rejected!.message };
  const statements = await judgeWithCatalog(prepared.statements, runner.functionCatalog);
  const risky = statements.filter((s) => s.risk !== 'read');
  if (risky.length) return { asked: risky.map((s) => s.reason ?? s.risk) };
  return {
    ran: await runner.run(
      statements.map((s) => ({ text: s.text, values: s.values })),
      { mode: 'read', statementTimeoutMs: 10_000, maxRows: 100 },
    ),
  };
}

for (const [role, password] of [
  ['postgres', 'postgres'],
  [OWNER, OWNER_PASSWORD],
] as const) {
  describe(`as ${role === 'postgres' ? 'a superuser' : 'an ordinary role that owns its tables'}`, () => {
    let runner: PgRunner;
    before(() => {
      runner = new PgRunner({
        connection: {
          host: server.host,
          port: server.port,
          database: server.database,
          user: role,
          password,
          sslmode: 'disable',
          applicationName: `runbook-adversarial-${role}`,
        },
        poolSize: 1,
      });
    });
    after(() => runner.dispose());

    test('through the SQL lens, every adversarial statement asks first, naming what it calls; nothing changes', async () => {
      const before = await serverState();
      for (const [what, sql, reason] of adversarialStatements()) {
        const result = await throughLens(runner, sql);
        assert.ok('asked' in result, `${what}: must ask before it runs, got ${JSON.stringify(result)}`);
        assert.match(result.asked.join(' | '), reason, `${what}: the question names it`);
        await assertNothingChanged(before, what);
      }
      // The same call hidden behind a comment that Postgres ends at a carriage return (not reachable from a
      // markdown file, whose lines end at \n, but from any other caller of this code).
      const hidden = await throughLens(
        runner,
        `SELECT --\r pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${VICTIM}'`,
      );
      assert.ok('asked' in hidden, JSON.stringify(hidden));
      await assertNothingChanged(before, 'a carriage return ending a comment');
    });

    test('a read that reaches session state anyway leaves none for the next run on the same connection', async () => {
      // Run as reads straight through the runner (no verdict), as if a function had been trusted wrongly.
      const before = await serverState();
      const state = async () =>
        (
          await runner.run(
            [
              {
                text: "SELECT current_setting('search_path'), (SELECT count(*)::int FROM pg_locks WHERE locktype = 'advisory')",
                values: [],
              },
            ],
            { mode: 'read', statementTimeoutMs: 10_000, maxRows: 10 },
          )
        ).results[0]?.rows;
      const fresh = await state();
      const sneaky = await runner.run(
        [
          { text: `SELECT U&"set_config"('search_path', 'nowhere', false)`, values: [] },
          { text: 'SELECT pg_advisory_lock(424243)', values: [] },
          { text: `SELECT pg_notify('${CHANNEL}', 'read run')`, values: [] },
        ],
        { mode: 'read', statementTimeoutMs: 10_000, maxRows: 10 },
      );
      assert.equal(sneaky.status, 'ok', JSON.stringify(sneaky.error));
      assert.deepEqual(await state(), fresh, 'the search_path and advisory locks of a fresh run');
      assert.equal(fresh?.[0]?.[1], 0);
      await assertNothingChanged(before, 'session state from a read');
    });

    test("the seed runbook's diagnosis queries stay reads: no question for what only reads", async (t) => {
      const seed = readSeed();
      if (!seed) return t.skip('seed runbook not found');
      const blocks = [...seed.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
      const verdicts = [];
      for (const block of blocks) {
        const prepared = prepareSqlRun(block, 0, new Map([['org_id', '11111111-1111-1111-1111-111111111111']]), parser);
        const statements = await judgeWithCatalog(prepared.statements, runner.functionCatalog);
        verdicts.push(...statements.map((s) => [s.original.split('\n')[0], s.risk, s.reason]));
      }
      assert.deepEqual(
        verdicts.filter(([, risk]) => risk !== 'read'),
        [['ALTER TABLE assets DROP COLUMN IF EXISTS new_column', 'schema', 'ALTER TABLE changes the schema']],
      );
    });
  });
}

describe('through check --db (dist/cli.js)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runbook-adversarial-'));
    const blocks = adversarialStatements().map(([what, sql]) => `### ${what}\n\n\`\`\`sql\n${sql};\n\`\`\`\n`);
    const harmless = '### A plain read\n\n```sql\nSELECT count(*) FROM owned.items;\n```\n';
    writeFileSync(join(dir, 'adversarial.md'), `# Adversarial\n\n## Probes\n\n${[harmless, ...blocks].join('\n')}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [role, password] of [
    ['postgres', 'postgres'],
    [OWNER, OWNER_PASSWORD],
  ] as const) {
    test(`as ${role}: only the plain read runs; every adversarial statement is reported as not run`, async () => {
      const before = await serverState();
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [
          join(PROJECT_ROOT, 'dist', 'cli.js'),
          'check',
          join(dir, 'adversarial.md'),
          '--db',
          `${roleUrl(role, password)}?sslmode=disable`,
          '--json',
        ],
        { maxBuffer: 16 * 1024 * 1024 },
      ).catch((error: { stdout: string }) => error);
      const report = JSON.parse(stdout).database;
      assert.equal(report.connectionError, undefined);
      assert.equal(report.ran, 1, JSON.stringify(report, null, 2));
      assert.equal(report.passed, 1);
      assert.equal(report.skipped.length, adversarialStatements().length, JSON.stringify(report.skipped, null, 2));
      for (const skipped of report.skipped) assert.match(skipped.reason, /^not run: it (is administrative|writes)/);
      await assertNothingChanged(before, `check --db as ${role}`);
    });
  }
});
