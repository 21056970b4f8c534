// The tree label of a code block: its leading comment, else the sentence introducing it, else (for data and
// diagrams) the heading, else its first line of code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';

const labels = (md: string) => parseRunbook(md).snippets.map((s) => s.label);

test('a leading comment wins; a trailing comment on a code line is not a label', () => {
  assert.deepEqual(labels('## A\n```sql\n-- Count sessions\nSELECT count(*) FROM s;\n```\n'), ['Count sessions']);
  assert.deepEqual(labels('## A\n```sql\nSELECT count(*) FROM s; -- trailing note\n-- later comment\n```\n'), [
    'SELECT count(*) FROM s; -- trailing note',
  ]);
  assert.deepEqual(labels('## A\n```bash\n#!/usr/bin/env bash\n# Rotate the key\nsupabase secrets set K=v\n```\n'), [
    'Rotate the key',
  ]);
  assert.deepEqual(labels('## A\n```typescript\n// Health response\n{}\n```\n'), ['Health response']);
});

test('else the sentence just above the fence that introduces it, or an HTML comment there', () => {
  assert.deepEqual(labels('## A\n\nFind the blocked queries:\n\n```sql\nSELECT pid FROM pg_locks;\n```\n'), [
    'Find the blocked queries',
  ]);
  assert.deepEqual(labels('## A\n\n<!-- Replication lag on the replica -->\n```sql\nSELECT 1;\n```\n'), [
    'Replication lag on the replica',
  ]);
  // Not introductions: a part label, a sentence that does not end in ':', prose two blank lines away.
  assert.deepEqual(labels('## Playbook: X\n**Diagnosis:**\n```sql\nSELECT 2;\n```\n'), ['SELECT 2;']);
  assert.deepEqual(labels('## A\nSee the query.\n```sql\nSELECT 3;\n```\n'), ['SELECT 3;']);
  assert.deepEqual(labels('## A\nRun this:\n\n\n```sql\nSELECT 4;\n```\n'), ['SELECT 4;']);
});

test('JSON, YAML and diagrams take the heading they illustrate', () => {
  assert.deepEqual(labels('### Frontend Budgets (budgets.json)\n```json\n{\n  "timings": {}\n}\n```\n'), [
    'Frontend Budgets (budgets.json)',
  ]);
  assert.deepEqual(labels('### Alert Channels\n```yaml\nCritical (P1):\n  - Slack\n```\n'), ['Alert Channels']);
  assert.deepEqual(labels('### Deploy Flow\n```mermaid\ngraph TD\n  A --> B\n```\n'), ['Deploy Flow']);
  assert.deepEqual(labels('### Stack\n```\n┌──────┐\n│ Logs │\n└──────┘\n```\n'), ['Stack']);
  assert.deepEqual(
    labels('### Alerts\n```yaml\n# Paging rules\nP1: page\n```\n'),
    ['Paging rules'],
    'a YAML comment still wins',
  );
});

test('else the first meaningful line; a SQL statement split over lines reads on', () => {
  assert.deepEqual(labels('## A\n```sql\nSELECT\n  tablename,\n  pg_size_pretty(x) AS size\nFROM pg_tables;\n```\n'), [
    'SELECT tablename, pg_size_pretty(x) AS size FROM pg_tables;',
  ]);
  assert.deepEqual(labels('## A\n```bash\n\nnpm run build\nnpm test\n```\n'), ['npm run build']);
  assert.deepEqual(labels('## A\n```sql\n```\n'), ['Empty sql block']);
});
