// `check --db` picks the statements it runs the way the runner judges them: as written and as they would run
// with the --param values, so a value can never turn a read into something READ ONLY does not stop.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { planSqlChecks } from '../../../src/core/check/sqlCheckPlan';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';

let parser: SqlParser;
before(async () => {
  parser = await loadPostgresParser();
});

function plan(sql: string, params: Record<string, string>) {
  const md = ['# Runbook', '', '```sql', sql, '```', ''].join('\n');
  return planSqlChecks(parseRunbook(md), new Map(Object.entries(params)), parser);
}

test('check --db refuses a quoted placeholder that names the function called, even after an operator', () => {
  for (const sql of [
    'SELECT 1 WHERE true = "<fn>"(pg_backend_pid())',
    'SELECT "<fn>"(pid) FROM pg_stat_activity',
    'SELECT <fn>(pid) FROM pg_stat_activity',
  ]) {
    const { checks, skipped } = plan(sql, { fn: 'pg_terminate_backend' });
    assert.deepEqual(checks, [], `${sql}: must not run`);
    assert.equal(skipped.length, 1, sql);
    assert.equal(skipped[0].line, 3);
    assert.match(
      skipped[0].reason,
      /^not run: <fn> is followed by "\(", so its value would choose the function called/,
      sql,
    );
  }
});

test('check --db judges the SQL as it would run: a schema given with --param can make a call administrative', () => {
  const sql = "SELECT \"<schema>\".schedule('nightly', '0 3 * * *', 'select 1')";
  const asCron = plan(sql, { schema: 'cron' });
  assert.deepEqual(asCron.checks, [], 'cron.schedule() is not a read');
  assert.equal(asCron.skipped.length, 1);
  assert.match(
    asCron.skipped[0].reason,
    /^not run: it is administrative \(calls cron\.schedule\(\), which changes the jobs pg_cron runs\)/,
  );
  const elsewhere = plan(sql, { schema: 'reports' });
  assert.deepEqual(elsewhere.skipped, []);
  assert.equal(elsewhere.checks.length, 1);
  assert.equal(elsewhere.checks[0].text, "SELECT \"reports\".schedule('nightly', '0 3 * * *', 'select 1')");
});

test('check --db still runs an ordinary read with its parameters bound', () => {
  const { checks, skipped } = plan("SELECT * FROM audit_log WHERE org_id = '<org_id>'", {});
  assert.deepEqual(skipped, []);
  assert.deepEqual(
    checks.map((c) => [c.text, c.values]),
    [['SELECT * FROM audit_log WHERE org_id = $1', [null]]],
  );
});

test('check --db asks for a name placeholder it has no --param for, and says which, instead of binding NULL as a name', () => {
  const { checks, skipped } = plan('SELECT count(*) FROM "<table_name>"', {});
  assert.deepEqual(checks, []);
  assert.deepEqual(
    skipped.map((s) => s.reason),
    ['not run: <table_name> is a name, not a value; give it with --param table_name=….'],
  );
  const given = plan('SELECT count(*) FROM "<table_name>"', { table_name: 'audit_log' });
  assert.deepEqual(
    given.checks.map((c) => c.text),
    ['SELECT count(*) FROM "audit_log"'],
  );
});

test("check --db does not suggest --param for a placeholder refused in a function's place", () => {
  const { skipped } = plan('SELECT <fn>(pid) FROM pg_stat_activity', { fn: 'pg_terminate_backend' });
  assert.doesNotMatch(skipped[0].reason, /--param/);
});
