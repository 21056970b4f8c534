import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readSeed, SEED_MISSING } from '../../helpers/seed';
import { splitStatements } from '../../../src/core/sql/splitStatements';
import { dollarQuotedBody, tokenizeSql } from '../../../src/core/sql/sqlLexer';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';
import type { SqlParser } from '../../../src/core/sql/sqlParser';

let parser: SqlParser;
before(async () => {
  parser = await loadPostgresParser();
});

function texts(block: string): string[] {
  return splitStatements(block, parser).map((s) => s.text);
}

function sqlBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)].map((m) => m[1]);
}

test('splits on top-level semicolons and keeps lines and offsets', () => {
  const block = 'SELECT 1;\nSELECT 2\n  FROM t;\n\nSELECT 3';
  const statements = splitStatements(block, parser);
  assert.deepEqual(
    statements.map((s) => [s.text, s.startLine, s.endLine]),
    [
      ['SELECT 1', 0, 0],
      ['SELECT 2\n  FROM t', 1, 2],
      ['SELECT 3', 4, 4],
    ],
  );
  for (const s of statements) assert.equal(block.slice(s.startOffset, s.endOffset), s.text);
});

test('semicolons inside single-quoted strings, with doubled quotes, do not split', () => {
  assert.deepEqual(texts("SELECT 'a;b', 'it''s; fine';SELECT 2"), ["SELECT 'a;b', 'it''s; fine'", 'SELECT 2']);
});

test("E'' strings honour backslash escapes", () => {
  assert.deepEqual(texts("SELECT E'don\\'t; stop', e'\\\\';SELECT 2"), [
    "SELECT E'don\\'t; stop', e'\\\\'",
    'SELECT 2',
  ]);
  // In a standard string a backslash is an ordinary character, so the quote after it closes the string.
  assert.deepEqual(texts("SELECT 'C:\\';SELECT 2"), ["SELECT 'C:\\'", 'SELECT 2']);
});

test('double-quoted identifiers may hold semicolons and doubled quotes', () => {
  assert.deepEqual(texts('SELECT "a;b", "say ""hi;"""  FROM t;SELECT 2'), [
    'SELECT "a;b", "say ""hi;"""  FROM t',
    'SELECT 2',
  ]);
});

test('dollar-quoted bodies ($$ and $tag$) hold semicolons, even nested', () => {
  const block = [
    'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $fn$',
    'BEGIN',
    '  EXECUTE $$SELECT 1; SELECT 2$$;',
    '  RETURN 1;',
    'END',
    '$fn$;',
    'DO $$ BEGIN PERFORM 1; END $$;',
    'SELECT 3',
  ].join('\n');
  const statements = splitStatements(block, parser);
  assert.equal(statements.length, 3);
  assert.ok(statements[0].text.endsWith('$fn$'));
  assert.deepEqual([statements[0].startLine, statements[0].endLine], [0, 5]);
  assert.equal(statements[1].text, 'DO $$ BEGIN PERFORM 1; END $$');
  assert.equal(statements[2].startLine, 7);
});

test('a positional parameter or a dollar inside a name is not a dollar quote', () => {
  assert.deepEqual(texts('SELECT $1; SELECT a$b$ FROM t; SELECT 3'), ['SELECT $1', 'SELECT a$b$ FROM t', 'SELECT 3']);
});

test('line comments and nested block comments hide semicolons', () => {
  const block = 'SELECT 1 -- not here; or here\n, 2;\nSELECT /* outer /* inner; */ still; comment */ 3;';
  assert.deepEqual(texts(block), [
    'SELECT 1 -- not here; or here\n, 2',
    'SELECT /* outer /* inner; */ still; comment */ 3',
  ]);
});

test('empty and comment-only statements are dropped', () => {
  assert.deepEqual(texts(';;\n  ;\n-- only a comment;\n/* and; another */;\nSELECT 1;;'), ['SELECT 1']);
  assert.deepEqual(texts('-- nothing to run here\n'), []);
  assert.deepEqual(texts(''), []);
});

test('the text has no trailing semicolon nor surrounding comments', () => {
  const [statement] = splitStatements('  -- label\n  SELECT 1   -- trailing\n;  ', parser);
  assert.equal(statement.text, 'SELECT 1');
  assert.equal(statement.startLine, 1);
  assert.equal(statement.comment, 'label');
});

test('comments right above a statement become its label; a blank line separates labels', () => {
  const statements = splitStatements(
    '-- Section header\n\n-- Check active connections\nSELECT 1;\n/* Block label */\nSELECT 2;\nSELECT 3;',
    parser,
  );
  assert.deepEqual(
    statements.map((s) => s.comment),
    ['Check active connections', 'Block label', undefined],
  );
});

test('CRLF line endings count lines the same way', () => {
  const statements = splitStatements('SELECT 1;\r\n\r\nSELECT\r\n  2;', parser);
  assert.deepEqual(
    statements.map((s) => [s.text, s.startLine, s.endLine]),
    [
      ['SELECT 1', 0, 0],
      ['SELECT\r\n  2', 2, 3],
    ],
  );
});

test('an unterminated string runs to the end instead of splitting', () => {
  assert.deepEqual(texts("SELECT 'oops; SELECT 2;"), ["SELECT 'oops; SELECT 2;"]);
});

test('BEGIN ATOMIC function bodies are one statement, but BEGIN; is a statement of its own', () => {
  const block = [
    'CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql',
    'BEGIN ATOMIC',
    '  SELECT CASE WHEN a > 0 THEN a ELSE 0 END + b;',
    'END;',
    'BEGIN;',
    'SELECT 1;',
    'COMMIT;',
  ].join('\n');
  const statements = splitStatements(block, parser);
  assert.deepEqual(
    statements.map((s) => s.text.split('\n')[0]),
    ['CREATE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql', 'BEGIN', 'SELECT 1', 'COMMIT'],
  );
  assert.deepEqual([statements[0].startLine, statements[0].endLine], [0, 3]);
});

test('the tokenizer covers the text exactly and tells placeholders from operators', () => {
  const text = "SELECT a<>b, c<=d, e < f, x=<org_id> FROM <table_name> WHERE y = '<z>' -- <c>\n";
  const tokens = tokenizeSql(text);
  assert.equal(tokens.map((t) => t.text).join(''), text);
  assert.deepEqual(
    tokens.filter((t) => t.kind === 'placeholder').map((t) => t.text),
    ['<org_id>', '<table_name>'],
  );
  assert.deepEqual(
    tokens.filter((t) => t.kind === 'operator').map((t) => t.text),
    ['<>', '<=', '<', '=', '='],
  );
});

test('the seed runbook: every sql block splits into its statements with labels and lines', (t) => {
  const seed = readSeed();
  if (!seed) {
    console.log(SEED_MISSING);
    t.skip(SEED_MISSING);
    return;
  }
  const blocks = sqlBlocks(seed);
  assert.deepEqual(
    blocks.map((b) => splitStatements(b, parser).length),
    [3, 2, 2, 2, 1, 3],
  );
  const [connections] = blocks;
  assert.deepEqual(
    splitStatements(connections, parser).map((s) => [s.comment, s.startLine]),
    [
      ['Check active connections', 1],
      ['Check connection by state', 4],
      ['Find long-running queries', 9],
    ],
  );
  const rollback = splitStatements(blocks[4], parser);
  assert.equal(rollback[0].text, 'ALTER TABLE assets DROP COLUMN IF EXISTS new_column');
  assert.match(rollback[0].comment ?? '', /Revert column addition/);
  for (const block of blocks) {
    for (const s of splitStatements(block, parser)) {
      assert.ok(!s.text.endsWith(';'));
      assert.equal(block.slice(s.startOffset, s.endOffset), s.text);
    }
  }
});

test('dollarQuotedBody finds the body between the tags, and says when the closing tag is missing', () => {
  assert.deepEqual(dollarQuotedBody('$$select 1$$'), { start: 2, end: 10, closed: true });
  assert.deepEqual(dollarQuotedBody('$q$a $$ b$q$'), { start: 3, end: 9, closed: true });
  assert.deepEqual(dollarQuotedBody('$q$never closed'), { start: 3, end: 15, closed: false });
  assert.deepEqual(dollarQuotedBody('$$'), { start: 2, end: 2, closed: false });
});

test('a carriage return ends a -- comment, as in Postgres: the call after it is code, in our lexer too', () => {
  const [statement] = splitStatements('SELECT --\r pg_terminate_backend(pid) FROM pg_stat_activity', parser);
  assert.equal(statement.text, 'SELECT --\r pg_terminate_backend(pid) FROM pg_stat_activity');
  assert.match(JSON.stringify(statement.tree), /"sval":"pg_terminate_backend"/);
  const comment = tokenizeSql('SELECT --\r pg_terminate_backend(1)').find((t) => t.kind === 'line-comment');
  assert.equal(comment?.text, '--');
});

test('placeholders stand in for names while the parser splits; offsets stay those of the block', () => {
  const block =
    'SELECT * FROM <table_name> WHERE id = <id> AND note = \'<note>\';\nSELECT count(*) FROM "tmp_<suffix>"';
  const statements = splitStatements(block, parser);
  assert.deepEqual(
    statements.map((s) => s.text),
    ["SELECT * FROM <table_name> WHERE id = <id> AND note = '<note>'", 'SELECT count(*) FROM "tmp_<suffix>"'],
  );
  assert.ok(statements.every((s) => s.tree !== undefined && s.parseError === undefined));
});

test('a statement the parser rejects carries its message and position; the others are still split and parsed', () => {
  const statements = splitStatements('SELECT 1;\nSELEC 2 FROM t;\nSELECT (3', parser);
  assert.deepEqual(
    statements.map((s) => [s.text, s.startLine, s.parseError?.message]),
    [
      ['SELECT 1', 0, undefined],
      ['SELEC 2 FROM t', 1, 'syntax error at or near "SELEC"'],
      ['SELECT (3', 2, 'syntax error at end of input'],
    ],
  );
  assert.equal(statements[1].parseError?.offset, 0);
  assert.ok(statements[0].tree);
});

test('text beyond ASCII keeps its offsets (the parser counts bytes, the block counts characters)', () => {
  const block = 'SELECT \'é😀\' AS x;\n-- données\nSELECT "naïve" FROM t';
  const statements = splitStatements(block, parser);
  assert.deepEqual(
    statements.map((s) => [s.text, s.comment]),
    [
      ["SELECT 'é😀' AS x", undefined],
      ['SELECT "naïve" FROM t', 'données'],
    ],
  );
  for (const s of statements) assert.equal(block.slice(s.startOffset, s.endOffset), s.text);
  const [broken] = splitStatements("SELECT 'é😀', FROM t", parser);
  assert.equal(broken.text.slice(broken.parseError!.offset, broken.parseError!.offset + 4), 'FROM');
});
