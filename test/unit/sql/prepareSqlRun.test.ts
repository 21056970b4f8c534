// A block as the runner gets it: the risk is judged on the SQL that will run (names filled in, values
// still $n) as well as on the SQL as written, so no placeholder value can make a statement look safer.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bindAndClassify,
  placeholderProblems,
  prepareSqlRun,
  sqlPlaceholders,
} from '../../../src/core/sql/prepareSqlRun';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';

let parser: SqlParser;
before(async () => {
  parser = await loadPostgresParser();
});

const values = (entries: Record<string, string>) => new Map(Object.entries(entries));

test('the review probe: <fn> named pg_terminate_backend is refused before any value is asked, and never runs as a read', () => {
  const body = 'SELECT <fn>(pid) FROM pg_stat_activity;';
  assert.deepEqual(placeholderProblems(body, 9), [
    'Line 10: <fn> is followed by "(", so its value would choose the function called: a placeholder can name a table or column, not a function. Write the function\'s name in the runbook.',
  ]);
  const prepared = prepareSqlRun(body, 9, values({ fn: 'pg_terminate_backend' }), parser);
  assert.equal(prepared.problems.length, 1, prepared.problems.join(' | '));
  assert.match(prepared.problems[0], /^Line 10: <fn> is followed by "\("/);
  assert.equal(prepared.statements[0].text, '', 'nothing to run');
});

test('the risk of the SQL that runs counts: a name filled in can raise it', () => {
  // As written, `SET <setting>` is an ordinary session setting; filled in with role it changes who we are.
  const prepared = prepareSqlRun('SET <setting> TO DEFAULT', 0, values({ setting: 'role' }), parser);
  assert.deepEqual(prepared.problems, []);
  assert.equal(prepared.statements[0].text, 'SET "role" TO DEFAULT');
  assert.equal(prepared.risk, 'admin');
  assert.match(prepared.statements[0].reason ?? '', /SET ROLE changes the role/);
  const harmless = prepareSqlRun('SET <setting> TO DEFAULT', 0, values({ setting: 'work_mem' }), parser);
  assert.equal(harmless.risk, 'write');
});

test('the SQL as written counts too: bound values ($n) never lower the risk', () => {
  const prepared = prepareSqlRun("SELECT query_to_xml('<q>', true, false, '')", 0, values({ q: 'select 1' }), parser);
  assert.deepEqual(prepared.problems, []);
  assert.equal(prepared.statements[0].text, "SELECT query_to_xml($1, true, false, '')");
  assert.equal(prepared.risk, 'admin', 'query text given at run time cannot be judged, so it asks');
  assert.equal(
    prepareSqlRun(
      "SELECT * FROM audit_log WHERE action = '<a>'",
      0,
      values({ a: "x'; delete from audit_log; --" }),
      parser,
    ).risk,
    'read',
  );
});

test("secret placeholders: flagged by the shell feature's name rule, their values kept apart for masking", () => {
  const body =
    "SELECT * FROM api_keys WHERE key = '<api_key>' AND org_id = '<org_id>' AND note <> '<db_password>' AND s = '<service_role_key>'";
  assert.deepEqual(
    sqlPlaceholders(body).map((p) => [p.name, p.secret]),
    [
      ['api_key', true],
      ['org_id', false],
      ['db_password', true],
      ['service_role_key', true],
    ],
  );
  const prepared = prepareSqlRun(
    body,
    0,
    values({ api_key: 'k-123', org_id: 'o', db_password: 'pw-456', service_role_key: 'srk-789' }),
    parser,
  );
  assert.deepEqual(prepared.problems, []);
  assert.deepEqual(prepared.secretValues, ['k-123', 'pw-456', 'srk-789']);
  assert.ok(!prepared.statements[0].text.includes('k-123'), 'bound, never in the text');
});

test('a secret where a name goes is refused: its value would become SQL text', () => {
  const problems = placeholderProblems('SELECT 1;\nSELECT * FROM <api_key>;', 4);
  assert.equal(problems.length, 1);
  assert.match(problems[0], /^Line 6: <api_key> is a secret but stands where a name goes.*'<api_key>'/);
});

test("each statement's problem is reported with its own line, even when another statement has the same one", () => {
  const prepared = prepareSqlRun("SELECT '<a>';\nSELECT 2;\nSELECT '<a>';", 4, values({}), parser);
  assert.deepEqual(prepared.problems, ['Line 5: No value for <a>.', 'Line 7: No value for <a>.']);
});

test('a problem no value can fix is reported once, before the binder could repeat it', () => {
  const prepared = prepareSqlRun(
    'SELECT 1;\nSELECT "<fn>"(1) WHERE true = "<fn>"(2);',
    0,
    values({ fn: 'pg_terminate_backend' }),
    parser,
  );
  assert.equal(prepared.problems.length, 2, prepared.problems.join(' | '));
  assert.deepEqual(
    prepared.problems.map((p) => p.slice(0, 12)),
    ['Line 2: <fn>', 'Line 2: <fn>'],
  );
  assert.deepEqual(prepared.problems, placeholderProblems('SELECT 1;\nSELECT "<fn>"(1) WHERE true = "<fn>"(2);', 0));
  assert.equal(prepared.statements[1].text, '', 'nothing to run');
});

test('bindAndClassify: the risk of the SQL as it runs, or as written when it cannot be bound', () => {
  assert.equal(bindAndClassify('SET <s> TO DEFAULT', { s: 'role' }, parser).risk, 'admin');
  assert.equal(
    bindAndClassify("SELECT pg_terminate_backend('<pid>')", {}, parser).risk,
    'admin',
    'no value: judged as written',
  );
  assert.deepEqual(bindAndClassify('SELECT * FROM <t>', { t: 'audit_log' }, parser), {
    text: 'SELECT * FROM "audit_log"',
    values: [],
    problems: [],
    risk: 'read',
    reason: 'SELECT only reads',
    // What the catalog is asked about before it runs: the table, which may be a view.
    objects: { functions: [], operators: [], relations: [{ name: 'audit_log' }] },
  });
});

test("a statement PostgreSQL's parser rejects is refused with the parser's message and position; nothing of the block runs", () => {
  const prepared = prepareSqlRun('SELECT 1;\nSELECT state\nFROM t ORDER BY 1 DESCC;', 4, values({}), parser);
  assert.deepEqual(prepared.rejected, {
    statementIndex: 1,
    line: 5,
    errorLine: 6,
    text: 'SELECT state\nFROM t ORDER BY 1 DESCC',
    message: 'syntax error at or near "DESCC"',
    position: 'SELECT state\nFROM t ORDER BY 1 '.length + 1,
  });
  assert.equal(prepared.statements[1].text, '', 'nothing to run');
  assert.notEqual(prepared.statements[1].risk, 'read');
});

test('a leading BEGIN and a final COMMIT say what the runner does anyway: they ask nothing', () => {
  const prepared = prepareSqlRun('BEGIN;\nSELECT 1;\nCOMMIT;', 0, values({}), parser);
  assert.equal(prepared.risk, 'read');
  assert.deepEqual(
    prepared.statements.map((s) => s.risk),
    ['read', 'read', 'read'],
  );
  assert.equal(prepareSqlRun('SELECT 1;\nCOMMIT;\nSELECT 2;', 0, values({}), parser).risk, 'admin');
});
