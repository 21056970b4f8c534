// The runbook's "Database Query Targets" table judging a query's duration.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { judgeDuration, queryShape } from '../../../src/core/sql/queryTargets';

const targets = parseRunbook(`# Ops

## Performance Baselines

### Database Query Targets

| Query Type | Target | Alert Threshold |
|------------|--------|-----------------|
| Simple SELECT | < 10ms | > 100ms |
| Complex JOIN | < 100ms | > 500ms |
| Full-text search | < 200ms | > 1s |
| Aggregations | < 500ms | > 2s |
`).typed.databaseQueryTargets;

test('the table is read from the runbook', () => {
  assert.equal(targets?.rows.length, 4);
});

test('queries are sorted into the shapes the runbook names', () => {
  assert.equal(queryShape('SELECT id FROM users WHERE id = $1'), 'Simple SELECT');
  assert.equal(
    queryShape('select o.name, count(*) from orgs o join usage u on u.org_id = o.id group by o.name'),
    'Aggregations',
  );
  assert.equal(queryShape('SELECT * FROM a JOIN b USING (id)'), 'Complex JOIN');
  assert.equal(queryShape("select * from docs where body @@ to_tsquery('x')"), 'Full-text search');
  assert.equal(queryShape("select * from docs where title ilike '%x%'"), 'Full-text search');
  assert.equal(queryShape("select 'group by join' as text"), 'Simple SELECT', 'words inside a string do not count');
  assert.equal(queryShape('select 1 -- join count(x)\n'), 'Simple SELECT', 'nor words in a comment');
});

test('within target, over target and over the alert threshold', () => {
  assert.deepEqual(judgeDuration('select 1', 4, targets), {
    status: 'within-target',
    text: 'Simple SELECT: 4 ms, target < 10ms',
  });
  assert.deepEqual(
    judgeDuration('select 1', 10, targets)?.status,
    'within-target',
    'the target itself is still within',
  );
  assert.deepEqual(judgeDuration('select 1', 42, targets), {
    status: 'over-target',
    text: 'Simple SELECT: 42 ms, target < 10ms',
  });
  assert.deepEqual(judgeDuration('select 1', 100.5, targets), {
    status: 'over-alert',
    text: 'Simple SELECT: 101 ms, target < 10ms, alert > 100ms',
  });
  assert.equal(judgeDuration('select count(*) from t', 1500, targets)?.status, 'over-target');
  assert.equal(judgeDuration('select count(*) from t', 2500, targets)?.status, 'over-alert');
  assert.match(
    judgeDuration('select count(*) from t', 2500, targets)?.text ?? '',
    /^Aggregations: 2\.5 s, target < 500ms, alert > 2s$/,
  );
});

test('no verdict without the table, or without a row for the shape', () => {
  assert.equal(judgeDuration('select 1', 5, undefined), undefined);
  const onlyJoins = { ...targets!, rows: targets!.rows.filter((r) => r.queryType === 'Complex JOIN') };
  assert.equal(judgeDuration('select 1', 5, onlyJoins), undefined);
});
