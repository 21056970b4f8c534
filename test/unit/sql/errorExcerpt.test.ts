// The caret excerpt under a Postgres error position, as psql draws it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caretExcerpt } from '../../../src/core/sql/errorExcerpt';

test('the caret sits under the character Postgres pointed at', () => {
  assert.equal(caretExcerpt('SELECT mean_time FROM t', 8), 'SELECT mean_time FROM t\n       ^');
  assert.equal(caretExcerpt('SELECT 1', 1), 'SELECT 1\n^');
  assert.equal(caretExcerpt('SELECT 1', 9), 'SELECT 1\n        ^', 'just past the end (an unexpected end of input)');
});

test('on a later line, the caret goes under that line and the rest follows', () => {
  const sql = 'SELECT a,\n       mean_time\nFROM t\nWHERE x';
  const position = sql.indexOf('mean_time') + 1;
  assert.equal(caretExcerpt(sql, position), 'SELECT a,\n       mean_time\n       ^\nFROM t\nWHERE x');
});

test('tabs before the caret stay tabs, so it lines up', () => {
  assert.equal(caretExcerpt('\tSELECT\tx', 9), '\tSELECT\tx\n\t      \t^');
});

test('positions count characters, as Postgres does, not UTF-16 units', () => {
  const sql = "SELECT '😀', bad";
  const position = Array.from(sql).indexOf('b') + 1;
  assert.equal(caretExcerpt(sql, position), `${sql}\n${' '.repeat(12)}^`);
});

test('a long statement is cut to the lines around the error', () => {
  const lines = Array.from({ length: 20 }, (_, i) => `line${i}`);
  const sql = lines.join('\n');
  const position = sql.indexOf('line10') + 1;
  assert.equal(
    caretExcerpt(sql, position),
    ['…', 'line7', 'line8', 'line9', 'line10', '^', 'line11', 'line12', 'line13', '…'].join('\n'),
  );
});

test('no position, or one outside the statement, shows the statement alone', () => {
  assert.equal(caretExcerpt('SELECT 1', undefined), 'SELECT 1');
  assert.equal(caretExcerpt('SELECT 1', 0), 'SELECT 1');
  assert.equal(caretExcerpt('SELECT 1', 50), 'SELECT 1');
  assert.equal(caretExcerpt('SELECT 1', Number.NaN), 'SELECT 1');
});
