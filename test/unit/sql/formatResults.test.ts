// Copy and save formats of a result set: what lands in a spreadsheet, a ticket or a script.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv, toJson, toMarkdown } from '../../../src/core/sql/formatResults';

const set = {
  columns: [{ name: 'id' }, { name: 'note' }, { name: 'maybe' }],
  rows: [
    ['1', 'plain', null],
    ['2', 'a, b', 'NULL'],
    ['3', 'say "hi"', ''],
    ['4', 'two\nlines', ' padded '],
    ['5', 'pipe | and \\ backslash', 'x'],
  ] as Array<Array<string | null>>,
};

test('CSV quotes commas, quotes, line breaks, edge spaces and empty text; SQL NULL is an empty field', () => {
  assert.equal(
    toCsv(set),
    [
      'id,note,maybe',
      '1,plain,',
      '2,"a, b",NULL',
      '3,"say ""hi""",""',
      '4,"two\nlines"," padded "',
      '5,pipe | and \\ backslash,x',
      '',
    ].join('\r\n'),
  );
});

test('CSV, Markdown and JSON follow the row order the grid shows (sorted, filtered)', () => {
  assert.equal(toCsv(set, [2, 0]), 'id,note,maybe\r\n3,"say ""hi""",""\r\n1,plain,\r\n');
  assert.deepEqual(
    JSON.parse(toJson(set, [4])).map((r: { id: string }) => r.id),
    ['5'],
  );
  assert.equal(toMarkdown(set, []).split('\n').length, 3, 'header, rule and the final newline');
  assert.equal(toCsv(set, [99, -1, 1]).split('\r\n')[1], '2,"a, b",NULL', 'indexes outside the set are ignored');
});

test('Markdown escapes pipes and backslashes, turns line breaks into <br>, and tells NULL from the text NULL', () => {
  const lines = toMarkdown(set).split('\n');
  assert.equal(lines[0], '| id | note | maybe |');
  assert.equal(lines[1], '| --- | --- | --- |');
  assert.equal(lines[2], '| 1 | plain | NULL |');
  assert.equal(lines[3], "| 2 | a, b | 'NULL' |");
  assert.equal(lines[5], '| 4 | two<br>lines |  padded  |');
  assert.equal(lines[6], '| 5 | pipe \\| and \\\\ backslash | x |');
  assert.equal(lines.length, 8);
  assert.ok(
    lines.slice(2, 7).every((line) => line.split(/(?<!\\)\|/).length === 5),
    'every row keeps exactly three cells',
  );
});

test('JSON keeps SQL NULL as null, text as strings, and never loses a repeated column name', () => {
  const parsed = JSON.parse(
    toJson({
      columns: [{ name: 'count' }, { name: 'count' }, { name: 'n' }],
      rows: [['12345678901234567890', null, 'NULL']],
    }),
  );
  assert.deepEqual(parsed, [{ count: '12345678901234567890', count_2: null, n: 'NULL' }]);
  assert.equal(typeof parsed[0].count, 'string', 'a bigint stays exact text, never a rounded number');
  assert.ok(toJson(set).endsWith('\n'));
  assert.deepEqual(JSON.parse(toJson(set))[3], { id: '4', note: 'two\nlines', maybe: ' padded ' });
});
