import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyBlock, classifyStatement, type SqlRisk } from '../../../src/core/sql/classifyStatement';
import { splitStatements } from '../../../src/core/sql/splitStatements';
import { readSeed, SEED_MISSING } from '../../helpers/seed';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';

// The verdict comes from PostgreSQL's own parser (libpg-query), loaded once for the file.
let parser: SqlParser;
before(async () => {
  parser = await loadPostgresParser();
});

/** Statements that change something, with the risk each must get. */
const WRITING_STATEMENTS: [string, SqlRisk][] = [
  ["INSERT INTO audit_log (action, details) VALUES ('manual_fix', '{}')", 'write'],
  ["UPDATE usage_credits SET credits_used = 0 WHERE org_id = '11111111-1111-1111-1111-111111111111'", 'write'],
  ['DELETE FROM audit_log WHERE id < 10', 'write'],
  [
    "MERGE INTO usage_credits u USING (SELECT '11111111-1111-1111-1111-111111111111'::uuid AS org_id) s ON u.org_id = s.org_id WHEN MATCHED THEN UPDATE SET credits_used = 0",
    'write',
  ],
  ['TRUNCATE audit_log', 'write'],
  ['COPY audit_log TO STDOUT', 'write'],
  ["COPY audit_log FROM '/tmp/audit.csv' WITH (FORMAT csv)", 'write'],
  ['SELECT * INTO audit_log_copy FROM audit_log', 'write'],
  ['WITH gone AS (DELETE FROM audit_log WHERE id < 5 RETURNING *) SELECT count(*) FROM gone', 'write'],
  [
    "WITH x AS (UPDATE integrations SET status = 'expired' WHERE expires_at < now() RETURNING id) SELECT * FROM x",
    'write',
  ],
  ["WITH x AS (INSERT INTO audit_log (action) VALUES ('a') RETURNING id) SELECT id FROM x", 'write'],
  ['CALL refresh_usage_credits()', 'write'],
  ['DO $$ BEGIN DELETE FROM audit_log; END $$', 'write'],
  ['LOCK TABLE audit_log IN ACCESS EXCLUSIVE MODE', 'write'],
  ["SELECT * FROM integrations WHERE status = 'connected' FOR UPDATE", 'write'],
  ['SELECT id FROM integrations FOR NO KEY UPDATE SKIP LOCKED', 'write'],
  ['SELECT id FROM integrations FOR SHARE', 'write'],
  ['VACUUM ANALYZE audit_log', 'write'],
  ['ANALYZE audit_log', 'write'],
  ['CLUSTER audit_log USING audit_log_pkey', 'write'],
  ['REINDEX TABLE audit_log', 'write'],
  ['REFRESH MATERIALIZED VIEW usage_summary', 'write'],
  ["NOTIFY pgrst, 'reload schema'", 'write'],
  ['LISTEN runbook_events', 'write'],
  ["SET statement_timeout = '5s'", 'write'],
  ['RESET ALL', 'write'],
  ['SET ROLE service_role', 'admin'],
  ['SET LOCAL ROLE authenticated', 'admin'],
  ['SET SESSION AUTHORIZATION anon', 'admin'],
  ['RESET ROLE', 'admin'],
  ['SET TRANSACTION READ WRITE', 'admin'],
  ['SET default_transaction_read_only = off', 'admin'],
  ['GRANT SELECT ON audit_log TO anon', 'admin'],
  ['REVOKE ALL ON integrations FROM authenticated', 'admin'],
  ['CREATE TABLE scratch (id int)', 'schema'],
  ['ALTER TABLE assets DROP COLUMN IF EXISTS new_column', 'schema'],
  ['DROP TABLE audit_log', 'schema'],
  ["COMMENT ON TABLE audit_log IS 'product events'", 'schema'],
  ['CREATE INDEX CONCURRENTLY audit_log_actor_idx ON audit_log (actor_id)', 'schema'],
  ['CREATE OR REPLACE VIEW recent_audit AS SELECT * FROM audit_log', 'schema'],
  ['DROP MATERIALIZED VIEW IF EXISTS usage_summary', 'schema'],
  ['CREATE ROLE support_readonly', 'admin'],
  ['ALTER SYSTEM SET max_connections = 500', 'admin'],
  ['DROP DATABASE postgres', 'admin'],
  ['BEGIN', 'admin'],
  ['START TRANSACTION READ WRITE', 'admin'],
  ['COMMIT', 'admin'],
  ['ROLLBACK', 'admin'],
  ['SAVEPOINT before_fix', 'admin'],
  ['EXPLAIN ANALYZE DELETE FROM audit_log', 'write'],
  ["EXPLAIN (ANALYZE, BUFFERS) UPDATE integrations SET status = 'expired'", 'write'],
  [
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle' AND now() - state_change > interval '10 minutes'",
    'admin',
  ],
  ['SELECT pg_cancel_backend(0)', 'admin'],
  ["SELECT set_config('role', 'service_role', false)", 'admin'],
  ['SELECT pg_reload_conf()', 'admin'],
  ['SELECT pg_rotate_logfile(), pg_switch_wal()', 'admin'],
  ["SELECT pg_create_restore_point('before_fix')", 'admin'],
  ['SELECT pg_promote()', 'admin'],
  ['SELECT pg_advisory_lock(42)', 'admin'],
  ['SELECT pg_try_advisory_xact_lock(42)', 'admin'],
  ["SELECT lo_import('/etc/passwd')", 'admin'],
  ["SELECT lo_export(16384, '/tmp/out')", 'admin'],
  ['SELECT lo_unlink(16384)', 'write'],
  ["SELECT pg_read_file('/etc/passwd')", 'admin'],
  ["SELECT pg_read_binary_file('postgresql.conf')", 'admin'],
  ["SELECT * FROM pg_ls_dir('.')", 'admin'],
  ["SELECT pg_stat_file('postgresql.conf')", 'admin'],
  ["SELECT * FROM dblink('host=replica dbname=postgres', 'SELECT 1') AS t(x int)", 'admin'],
  ["SELECT dblink_exec('DELETE FROM audit_log')", 'admin'],
  ["SELECT pg_file_write('/tmp/x', 'data', false)", 'admin'],
  ["SELECT nextval('audit_log_id_seq')", 'write'],
  ["SELECT setval('audit_log_id_seq', 1)", 'write'],
  ['SELECT pg_stat_statements_reset()', 'admin'],
  ['SELECT pg_stat_reset()', 'admin'],
  ["SELECT pg_stat_reset_shared('bgwriter')", 'admin'],
  ['SELECT pg_catalog.pg_terminate_backend(1)', 'admin'],
  ['SELECT "pg_terminate_backend"(1)', 'admin'],
  ["SELECT pg_notify('pgrst', 'reload schema')", 'write'],
  ['PREPARE purge AS DELETE FROM audit_log', 'write'],
  ['EXECUTE purge', 'write'],
  ['  -- tidy up\n  delete from audit_log where id = 1', 'write'],
  ["/* harmless? */ Update integrations set status = 'revoked'", 'write'],
  ['(SELECT id FROM integrations) FOR UPDATE', 'write'],
  ['CHECKPOINT', 'admin'],
  ['VACUUM FULL', 'write'],
];

/**
 * Calls whose effects reach past the transaction, or run a query hidden in text: each needs a
 * confirmation, whatever SELECT it sits in, and says why.
 */
const SIDE_EFFECT_CALLS: [string, SqlRisk, RegExp][] = [
  [
    "SELECT query_to_xml('select pg_terminate_backend(1)', true, false, '')",
    'admin',
    /query_to_xml\(\), which runs the query it is given: calls pg_terminate_backend\(\)/,
  ],
  [
    "SELECT query_to_xml_and_xmlschema('select pg_terminate_backend(pid) from pg_stat_activity', true, false, '')",
    'admin',
    /runs the query it is given/,
  ],
  [
    "SELECT query_to_xmlschema($$select set_config('role', 'service_role', false)$$, true, false, '')",
    'admin',
    /set_config\(\)/,
  ],
  [
    "SELECT pg_catalog.query_to_xml('delete from audit_log returning id', true, false, '')",
    'write',
    /DELETE changes rows/,
  ],
  [
    "SELECT query_to_xml('select query_to_xml(''select pg_reload_conf()'', true, false, '''')', true, false, '')",
    'admin',
    /pg_reload_conf\(\)/,
  ],
  ["SELECT query_to_xml($1, true, false, '')", 'admin', /not written out here/],
  ["SELECT query_to_xml('select ' || 'pg_terminate_backend(1)', true, false, '')", 'admin', /not written out here/],
  // The parser decodes E'' strings, so the query they hold is read and judged like any other literal.
  [
    "SELECT query_to_xml(E'select pg_terminate_backend(1)', true, false, '')",
    'admin',
    /query_to_xml\(\), which runs the query it is given: calls pg_terminate_backend\(\)/,
  ],
  ["SELECT cursor_to_xml('c', 10, true, false, '')", 'admin', /query of a cursor opened elsewhere/],
  ["SELECT cursor_to_xmlschema('c', true, false, '')", 'admin', /cursor/],
  [
    "SELECT * FROM ts_stat('select to_tsvector(pg_advisory_lock(1)::text)')",
    'admin',
    /ts_stat\(\), which runs the query it is given: calls pg_advisory_lock\(\)/,
  ],
  [
    "SELECT * FROM crosstab('select 1, 2, 3', 'select pg_terminate_backend(1)') AS t(a int, b int)",
    'admin',
    /crosstab\(\)/,
  ],
  ["SELECT http_get('https://example.com/hook')", 'admin', /HTTP request/],
  [
    "SELECT extensions.http_post('https://example.com/hook', '{}', 'application/json')",
    'admin',
    /extensions\.http_post\(\), which sends an HTTP request/,
  ],
  [
    "SELECT status FROM http(('DELETE', 'https://example.com/x', NULL, NULL, NULL)::http_request)",
    'admin',
    /HTTP request/,
  ],
  [
    "SELECT http_put('https://example.com', 'x', 'text/plain'), http_patch('https://example.com', 'x', 'text/plain')",
    'admin',
    /HTTP request/,
  ],
  ["SELECT http_delete('https://example.com'), http_head('https://example.com')", 'admin', /HTTP request/],
  ["SELECT net.http_get('https://example.com/health')", 'admin', /net\.http_get\(\).*no rollback undoes/],
  ["SELECT net.http_post(url := 'https://example.com', body := '{}'::jsonb)", 'admin', /HTTP request/],
  ["SELECT net.http_delete('https://example.com/x')", 'admin', /HTTP request/],
  ["SELECT * FROM dblink('dbname=postgres', 'select 1') AS t(x int)", 'admin', /dblink.*READ ONLY does not stop it/],
  ["SELECT dblink_exec('dbname=postgres', 'delete from audit_log')", 'admin', /another connection/],
  ["SELECT dblink_send_query('conn', 'delete from audit_log')", 'admin', /another connection/],
  ['SELECT pg_reload_conf()', 'admin', /the server itself/],
  ['SELECT pg_rotate_logfile()', 'admin', /the server itself/],
  ['SELECT pg_switch_wal()', 'admin', /the server itself/],
  ["SELECT pg_create_restore_point('x')", 'admin', /the server itself/],
  ['SELECT pg_advisory_lock(42)', 'admin', /session-level advisory lock, which outlives the transaction/],
  ['SELECT pg_try_advisory_lock_shared(42)', 'admin', /session-level/],
  ['SELECT pg_advisory_xact_lock(42)', 'admin', /until the transaction ends/],
  ['SELECT pg_advisory_unlock_all()', 'admin', /releases advisory locks/],
  ["SELECT pg_notify('pgrst', 'reload schema')", 'write', /notification/],
  ["SELECT lo_import('/etc/hostname')", 'admin', /files on the database server/],
  ["SELECT lo_export(16384, '/tmp/x')", 'admin', /files on the database server/],
  ["SELECT pg_file_write('/tmp/x', 'data', false)", 'admin', /files on the database server/],
  ["SELECT cron.schedule('nightly', '0 3 * * *', 'vacuum')", 'admin', /pg_cron/],
  ["SELECT vault.create_secret('s3cr3t', 'api')", 'write', /Vault/],
  ["SELECT graphql.resolve('mutation { deleteFromAuditLogCollection { affectedCount } }')", 'write', /mutation/],
  ["SELECT pgmq.send('jobs', '{}')", 'write', /queue/],
];

/** Statements that only read, some dressed up to look otherwise. */
const TRICKY_READS: string[] = [
  "SELECT * FROM audit_log WHERE details->>'note' = 'please delete me'",
  '-- DROP TABLE audit_log;\nSELECT 1',
  '/* UPDATE integrations SET status = 1; */ SELECT count(*) FROM audit_log',
  'SELECT 1 -- ; DELETE FROM audit_log',
  'SELECT count(*) AS update_count, max(created_at) AS deleted_at FROM audit_log',
  'SELECT "delete", "update", "insert" FROM (SELECT 1 AS "delete", 2 AS "update", 3 AS "insert") t',
  "SELECT 'pg_terminate_backend(1)' AS not_a_call",
  'SELECT $$DROP TABLE x; DELETE FROM y$$ AS s',
  "SELECT pid, query FROM pg_stat_activity WHERE query ILIKE '%insert into%'",
  'SELECT substring(query FROM 1 FOR 40) FROM pg_stat_activity',
  'SELECT * FROM pg_locks',
  'EXPLAIN SELECT * FROM audit_log',
  'EXPLAIN ANALYZE SELECT * FROM audit_log',
  'EXPLAIN (ANALYZE false) DELETE FROM audit_log',
  'EXPLAIN DELETE FROM audit_log',
  'SHOW search_path',
  'TABLE auth.users',
  "VALUES (1, 'a'), (2, 'b')",
  'WITH recent AS (SELECT * FROM audit_log ORDER BY created_at DESC LIMIT 5) SELECT * FROM recent',
  'SELECT set_config_value, my_nextval FROM (SELECT 1 AS set_config_value, 2 AS my_nextval) s',
  "SELECT current_setting('statement_timeout')",
  "SELECT pg_size_pretty(pg_total_relation_size('public.audit_log'))",
  "SELECT E'don\\'t delete; really' AS note",
  "SELECT count(*) FILTER (WHERE action = 'delete') FROM audit_log",
  "SELECT * FROM audit_log WHERE action = 'DO'",
  '(SELECT 1) UNION ALL (SELECT 2)',
  "SELECT * FROM pg_stat_statements WHERE query LIKE 'SET ROLE%'",
  'select now() - pg_stat_activity.query_start as duration from pg_stat_activity',
  "SELECT query_to_xml('select id, action from audit_log order by id limit 5', true, false, '')",
  "SELECT query_to_xml($$select count(*) from pg_stat_activity$$, true, false, '')",
  "SELECT table_to_xml('audit_log', true, false, '')",
  "SELECT * FROM crosstab('select org_id::text, action, count(*)::text from audit_log group by 1, 2 order by 1, 2') AS t(org text, a text)",
  'SELECT http_status, schedule FROM (SELECT 200 AS http_status, 1 AS schedule) s',
  'SELECT my_app.schedule(1), my_app.send(2)',
  'SELECT * FROM net._http_response WHERE status_code >= 500',
];

test(`${WRITING_STATEMENTS.length} writing statements are never classified as reads, each with its risk`, () => {
  assert.ok(WRITING_STATEMENTS.length >= 30);
  for (const [sql, expected] of WRITING_STATEMENTS) {
    const verdict = classifyStatement(sql, parser);
    assert.notEqual(verdict.risk, 'read', sql);
    assert.equal(verdict.risk, expected, `${sql} → ${verdict.risk}: ${verdict.reason}`);
    assert.ok(verdict.reason.length > 5, `reason for ${sql}`);
  }
});

test(`${SIDE_EFFECT_CALLS.length} calls with effects past the transaction, or hidden query text, ask first and say why`, () => {
  for (const [sql, expected, reason] of SIDE_EFFECT_CALLS) {
    const verdict = classifyStatement(sql, parser);
    assert.equal(verdict.risk, expected, `${sql} → ${verdict.risk}: ${verdict.reason}`);
    assert.match(verdict.reason, reason, sql);
  }
});

test('tricky reads stay reads: strings, comments, quoted names and look-alike words are not commands', () => {
  for (const sql of TRICKY_READS) {
    const verdict = classifyStatement(sql, parser);
    assert.equal(verdict.risk, 'read', `${sql} → ${verdict.risk}: ${verdict.reason}`);
  }
});

test('reasons name what was found', () => {
  assert.match(classifyStatement('SELECT pg_terminate_backend(42)', parser).reason, /pg_terminate_backend\(\)/);
  assert.match(
    classifyStatement('WITH d AS (DELETE FROM t RETURNING 1) SELECT 1', parser).reason,
    /data-modifying WITH: DELETE/,
  );
  assert.match(classifyStatement('SELECT * FROM t FOR UPDATE', parser).reason, /FOR UPDATE/);
  assert.match(
    classifyStatement('EXPLAIN ANALYZE UPDATE t SET a = 1', parser).reason,
    /EXPLAIN ANALYZE runs the statement: UPDATE/,
  );
  assert.match(classifyStatement('DROP TABLE t', parser).reason, /DROP TABLE/);
  assert.match(classifyStatement('frobnicate everything', parser).reason, /treated as a write/);
});

test('unknown or empty statements', () => {
  assert.equal(classifyStatement('', parser).risk, 'read');
  assert.equal(classifyStatement('-- just a comment', parser).risk, 'read');
  assert.equal(classifyStatement('FROBNICATE audit_log', parser).risk, 'write');
  assert.equal(classifyStatement('<statement>', parser).risk, 'write');
});

test('classifyBlock gives the highest risk and which statement decided it', () => {
  assert.deepEqual(classifyBlock([], parser), { risk: 'read', reason: 'the block holds no statement' });
  const block = classifyBlock(['SELECT 1', 'UPDATE t SET a = 1', 'DROP TABLE t', 'DELETE FROM t'], parser);
  assert.equal(block.risk, 'schema');
  assert.equal(block.statementIndex, 2);
  const withObjects = classifyBlock(
    splitStatements('SELECT 1; SELECT pg_reload_conf(); DROP TABLE t;', parser),
    parser,
  );
  assert.equal(withObjects.risk, 'admin');
  assert.equal(withObjects.statementIndex, 1);
  assert.equal(classifyBlock(['SELECT 1', 'SHOW work_mem'], parser).risk, 'read');
});

test('the seed runbook: diagnosis queries are reads, the rollback example is a schema change', (t) => {
  const seed = readSeed();
  if (!seed) {
    console.log(SEED_MISSING);
    t.skip(SEED_MISSING);
    return;
  }
  const markdown = seed;
  const blocks = [...markdown.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
  const verdicts = blocks.flatMap((block) =>
    splitStatements(block, parser).map((s) => [s.text.split('\n')[0], classifyStatement(s.text, parser).risk]),
  );
  const nonReads = verdicts.filter(([, risk]) => risk !== 'read');
  assert.deepEqual(nonReads, [['ALTER TABLE assets DROP COLUMN IF EXISTS new_column', 'schema']]);
  assert.equal(verdicts.length, 13);
  assert.deepEqual(
    blocks.map((b) => classifyBlock(splitStatements(b, parser), parser).risk),
    ['read', 'read', 'read', 'read', 'schema', 'read'],
  );
});
