import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';

function check(md: string) {
  return checkRunbook(parseRunbook(md), md).map((p) => [p.code, p.line + 1]);
}

test('reports every kind of structural problem with its line', () => {
  const md = [
    '# R',
    '## Playbook: Broken',      // 2
    '**Symptoms:**',
    '- bad',
    '```sql',                   // 5
    "select * from t where id = '<org_id>';",
    '```',
    '```',                      // 8
    'plain',
    '```',
    '| Metric | Warning Threshold | Critical Threshold | Action |',
    '|---|---|---|---|',
    '| Error Rate | > 1% | soon | act | extra |', // 13
    '```bash',                  // 14
    'echo unclosed',
  ].join('\n');
  assert.deepEqual(check(md), [
    ['playbook-missing-diagnosis', 2], ['playbook-missing-mitigation', 2], ['unexplained-placeholder', 6],
    ['fence-without-language', 8], ['table-column-count', 13], ['table-value', 13], ['unclosed-fence', 14],
  ]);
});

test('a placeholder explained in prose is not reported', () => {
  const md = "`<org_id>` is the organisation's UUID.\n\n```sql\nselect 1 where '<org_id>' = '';\n```\n";
  assert.deepEqual(check(md), []);
});

test('a clean runbook has no problems', () => {
  assert.deepEqual(check('# R\n## Playbook: Ok\n**Diagnosis:**\n```sql\nselect 1;\n```\n**Mitigation:**\n1. Fix\n'), []);
});
