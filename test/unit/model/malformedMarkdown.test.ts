// Any markdown gives a model: malformed input becomes diagnostics, never an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';

test('empty file gives an empty model', () => {
  const m = parseRunbook('');
  assert.equal(m.lineCount, 0);
  assert.deepEqual(m.sections, []);
  assert.deepEqual(m.snippets, []);
});

test('CRLF line endings keep lines and bodies clean', () => {
  const m = parseRunbook('# T\r\n\r\n## A\r\n\r\n```sql\r\nSELECT 1;\r\n```\r\n');
  assert.equal(m.eol, '\r\n');
  assert.equal(m.snippets[0].body, 'SELECT 1;');
  assert.equal(m.snippets[0].startLine, 4);
  assert.equal(m.snippets[0].endLine, 6);
  assert.equal(m.sections[0].title, 'A');
});

test('front matter is metadata, not a heading, and lines stay true', () => {
  const m = parseRunbook(
    '---\ntitle: Payments Runbook\nowner: Team Pay\n---\n## Deploy\n```bash\nnpm run build\n```\n',
  );
  assert.equal(m.metadata.title, 'Payments Runbook');
  assert.equal(m.metadata.owner, 'Team Pay');
  assert.equal(m.sections[0].title, 'Deploy');
  assert.equal(m.sections[0].line, 4);
  assert.equal(m.snippets[0].startLine, 5);
});

test('tilde fences, indented code and fences inside list items', () => {
  const m = parseRunbook(
    [
      '## Steps',
      '',
      '~~~sql',
      'SELECT 2;',
      '~~~',
      '',
      '    psql -c "select 1"',
      '',
      '1. Run this:',
      '',
      '   ```bash',
      '   supabase db push',
      '   ```',
      '2. Then check',
    ].join('\n'),
  );
  assert.deepEqual(
    m.snippets.map((s) => [s.kind, s.language, s.startLine, s.endLine, s.body]),
    [
      ['fence', 'sql', 2, 4, 'SELECT 2;'],
      ['indented', '', 6, 6, 'psql -c "select 1"'],
      ['fence', 'bash', 10, 12, 'supabase db push'],
    ],
  );
  const steps = m.sections[0].items.filter((i) => i.kind === 'step');
  assert.equal(steps.length, 2);
});

test('an unclosed fence runs to the end and is reported', () => {
  const m = parseRunbook('## A\n```sql\nSELECT 1;\n\n## Not a heading inside the fence\n');
  assert.equal(m.snippets.length, 1);
  assert.equal(m.snippets[0].closed, false);
  assert.equal(m.sections.length, 1);
  assert.equal(m.diagnostics[0].code, 'unclosed-fence');
  assert.equal(m.diagnostics[0].line, 1);
});

test('raw HTML, empty headings and headings with only symbols', () => {
  const m = parseRunbook(
    '<div align="center">\n<img src="x.png">\n</div>\n\n##\n\n## ***\n\n### Real\n<details><summary>SQL</summary>\n\n```sql\nselect 1\n```\n</details>\n',
  );
  assert.equal(m.diagnostics.filter((d) => d.code === 'empty-heading').length, 1);
  assert.ok(m.sections.some((s) => s.title === '(untitled heading)'));
  assert.ok(m.sections.length >= 1);
  assert.equal(m.snippets.length, 1);
  assert.equal(m.snippets[0].language, 'sql');
});

test('table rows are counted as markdown-it splits them: a pipe in a code span splits too (GFM)', () => {
  const m = parseRunbook('| A | B |\n|---|---|\n| 1 | 2 | 3 |\n| only |\n| `a|b` | c |\n| `a\\|b` | c |\n');
  assert.deepEqual(
    m.tables[0].rows.map((r) => r.rawCellCount),
    [3, 1, 3, 2],
  );
  assert.deepEqual(
    m.tables[0].rows[2].cells,
    ['`a', 'b`'],
    'markdown-it keeps the header width and drops the third cell',
  );
  assert.deepEqual(m.tables[0].rows[3].cells, ['`a|b`', 'c'], 'an escaped pipe stays in its cell');
});

test('lineCount: a final line break ends the last line', () => {
  assert.equal(parseRunbook('a').lineCount, 1);
  assert.equal(parseRunbook('a\n').lineCount, 1);
  assert.equal(parseRunbook('a\n\n').lineCount, 2);
  assert.equal(parseRunbook('a\r\nb\r\n').lineCount, 2);
  assert.equal(parseRunbook('\n').lineCount, 1);
});

test('fences without a language and checklists in task lists', () => {
  const m = parseRunbook('## Before deploy\n- [ ] Tests pass\n- [x] Staging migrated\n');
  assert.deepEqual(
    m.checklists.map((c) => [c.text, c.checked, c.line]),
    [
      ['Tests pass', false, 1],
      ['Staging migrated', true, 2],
    ],
  );
});

test('a 5 MB runbook parses into a complete model', () => {
  const chunk =
    "## Playbook: Thing {n}\n\n**Symptoms:**\n- slow\n\n**Diagnosis:**\n```sql\n-- check {n}\nSELECT * FROM t WHERE id = '<id>';\n```\n\n**Mitigation:**\n1. Restart\n\n| Metric | Warning Threshold | Critical Threshold | Action |\n|---|---|---|---|\n| Error Rate | > 1% | > 5% | Look |\n\n";
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < 5 * 1024 * 1024; n++) {
    const c = chunk.replace(/\{n\}/g, String(n));
    parts.push(c);
    size += c.length;
  }
  const m = parseRunbook(parts.join(''));
  assert.equal(m.playbooks.length, parts.length);
  assert.equal(m.snippets.length, parts.length);
  assert.equal(m.playbooks[parts.length - 1].name, `Thing ${parts.length - 1}`);
  assert.equal(m.typed.criticalMetrics?.rows.length, 1);
});
