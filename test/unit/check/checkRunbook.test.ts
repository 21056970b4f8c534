import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook, type Problem } from '../../../src/core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../../src/core/check/standardCheckers';

function check(md: string) {
  return checkRunbook(parseRunbook(md), md).map((p) => [p.code, p.line + 1]);
}

function problems(md: string): Problem[] {
  return checkRunbook(parseRunbook(md), md);
}

test('reports every kind of structural problem with its line', () => {
  const md = [
    '# R',
    '## Playbook: Broken', // 2
    '**Symptoms:**',
    '- bad',
    '```sql', // 5
    "select * from t where id = '<id>';",
    '```',
    '```', // 8
    'psql -c "select 1"',
    '```',
    '| Metric | Warning Threshold | Critical Threshold | Action |',
    '|---|---|---|---|',
    '| Error Rate | > 1% | soon | act | extra |', // 13
    '```bash', // 14
    'echo unclosed',
  ].join('\n');
  assert.deepEqual(check(md), [
    ['playbook-missing-mitigation', 2],
    ['unexplained-placeholder', 6],
    ['fence-without-language', 8],
    ['table-column-count', 13],
    ['table-value', 13],
    ['unclosed-fence', 14],
  ]);
  assert.deepEqual(
    problems(md).map((p) => p.severity),
    ['error', 'warning', 'warning', 'error', 'error', 'error'],
  );
});

test('each problem leads with a few words; the explanation is its detail', () => {
  const md = '## Playbook: Broken\n**Symptoms:**\n- bad\n\n| A | B |\n|---|---|\n| 1 | 2 | 3 |\n';
  const found = problems(md);
  assert.deepEqual(
    found.map((p) => p.message),
    ['Playbook "Broken" does not say what to do', 'Row has 3 cells, the header has 2'],
  );
  for (const p of found) {
    assert.ok(p.message.length <= 60, `short: ${p.message}`);
    assert.ok(p.detail && p.detail.length > p.message.length, `explained: ${p.detail}`);
  }
  assert.match(found[0].detail!, /add one \(a \*\*Mitigation:\*\* label or a Mitigation heading/);
});

test('a pipe inside a code span in a table is reported with the fix, instead of a column count', () => {
  const md = [
    '| Command | Meaning |',
    '|---|---|',
    '| `a | b` | pipe |', // 3: splits, so 3 cells
    '| `a \\| b` | escaped |', // 4: fine
    '| x | y | z |', // 5: too many cells
  ].join('\n');
  const found = problems(md);
  assert.deepEqual(
    found.map((p) => [p.code, p.line + 1, p.severity]),
    [
      ['table-pipe-in-code', 3, 'error'],
      ['table-column-count', 5, 'error'],
    ],
  );
  assert.equal(found[0].message, 'A | in code splits this table cell');
  assert.match(found[0].detail!, /`a \| b`.*write it as \\\|/);
});

test('a header and separator with different cell counts are not a table, and check says so', () => {
  const md = [
    '## Targets',
    '',
    '| Query | Target | Alert |',
    '|---|---|',
    '| a | 1ms | 2ms |',
    '',
    '> | A | B |',
    '> |---|',
    '',
  ].join('\n');
  const model = parseRunbook(md);
  assert.equal(model.tables.length, 0, 'markdown-it shows these lines as text');
  const found = problems(md);
  assert.deepEqual(
    found.map((p) => [p.code, p.line + 1, (p.endLine ?? p.line) + 1]),
    [
      ['table-not-parsed', 3, 4],
      ['table-not-parsed', 7, 8],
    ],
  );
  assert.equal(found[0].message, 'Not a table: the separator row has 2 cells, the header 3');
  assert.match(found[0].detail!, /looks like a table but the separator row has 2 cells, the header has 3/);
  // Not tables either, and not problems: a setext heading, a list of dashes, a thematic break.
  assert.deepEqual(problems('Title | x\n---\n\n- a | b\n- c\n\n---\n'), []);
});

test('extra checkers add their problems, sorted in with the rest; a throwing checker is reported, not fatal', () => {
  const md = '## A\n```bash\nsupabase functions deploy --legacy-bundle\n```\n```\nkubectl get pods\n```\n';
  const stale = () => [
    { line: 2, severity: 'warning' as const, code: 'stale-cli-flag', message: '--legacy-bundle was removed' },
  ];
  const broken = () => {
    throw new Error('boom');
  };
  assert.deepEqual(
    checkRunbook(parseRunbook(md), md, [stale, broken]).map((p) => [p.code, p.line + 1, p.severity]),
    [
      ['check-failed', 1, 'info'],
      ['stale-cli-flag', 3, 'warning'],
      ['fence-without-language', 5, 'warning'],
    ],
  );
});

test('a placeholder explained in prose is not reported', () => {
  const md = "`<org_id>` is the organisation's UUID.\n\n```sql\nselect 1 where '<org_id>' = '';\n```\n";
  assert.deepEqual(check(md), []);
});

test('a clean runbook has no problems', () => {
  assert.deepEqual(
    check('# R\n## Playbook: Ok\n**Diagnosis:**\n```sql\nselect 1;\n```\n**Mitigation:**\n1. Fix\n'),
    [],
  );
});

test('the standard checkers add stale Supabase CLI commands to the structural problems', () => {
  const md = [
    '# R',
    '## Logs',
    '```bash',
    '# Follow the function logs',
    'supabase functions logs generate-content --tail', // 5
    '```',
    '',
  ].join('\n');
  const found = checkRunbook(parseRunbook(md), md, STANDARD_CHECKERS);
  const stale = found.find((p) => p.code === 'cli-unknown-command');
  assert.ok(stale, `no stale-command problem in ${JSON.stringify(found)}`);
  assert.equal(stale.line + 1, 5);
  assert.equal(stale.severity, 'error');
  assert.equal(stale.message, '`supabase functions logs` no longer exists in Supabase CLI 3.1');
  assert.match(stale.detail!, /supabase logs --remote --service functions/);
  assert.equal(
    checkRunbook(parseRunbook(md), md).some((p) => p.code.startsWith('cli-')),
    false,
    'without the checkers only structure is checked',
  );
});
