// A fence inside a blockquote or a list item is closed by a line that carries the container's `>` or
// indentation in front of the backticks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';

test('a closed fence inside a blockquote is closed', () => {
  const m = parseRunbook('## A\n\n> Run this first:\n>\n> ```sql\n> SELECT 1;\n> ```\n\nAfter.\n');
  assert.deepEqual(m.diagnostics, []);
  assert.equal(m.snippets.length, 1);
  assert.deepEqual(
    [m.snippets[0].closed, m.snippets[0].startLine, m.snippets[0].endLine, m.snippets[0].body],
    [true, 4, 6, 'SELECT 1;'],
  );
});

test('a closed fence in a nested blockquote and in list items, tilde and longer fences too', () => {
  const m = parseRunbook(
    [
      '## A',
      '> > ```bash',
      '> > echo nested',
      '> > ```',
      '',
      '1. Step one',
      '',
      '   ```sql',
      '   SELECT 2;',
      '   ```',
      '- Bullet',
      '  ~~~~',
      '  text with ~~~ inside',
      '  ~~~~~',
      '',
      '> - In a quoted list',
      '>   ```sh',
      '>   ls',
      '>   ```',
    ].join('\n'),
  );
  assert.deepEqual(m.diagnostics, []);
  assert.deepEqual(
    m.snippets.map((s) => [s.language, s.closed, s.startLine, s.endLine]),
    [
      ['bash', true, 1, 3],
      ['sql', true, 7, 9],
      ['', true, 11, 13],
      ['sh', true, 16, 18],
    ],
  );
});

test('an unclosed fence inside a blockquote is still reported, at its opening line', () => {
  const m = parseRunbook('## A\n\n> ```sql\n> SELECT 1;\n\nOutside the quote.\n');
  assert.equal(m.snippets[0].closed, false);
  assert.deepEqual(
    m.diagnostics.map((d) => [d.code, d.line]),
    [['unclosed-fence', 2]],
  );
});

test('a shorter run of backticks inside a longer fence does not close it', () => {
  const m = parseRunbook('> ````md\n> ```\n> inner\n> ```\n> ````\n');
  assert.deepEqual(
    m.snippets.map((s) => [s.closed, s.endLine, s.body]),
    [[true, 4, '```\ninner\n```']],
  );
});
