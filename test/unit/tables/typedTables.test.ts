import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { tableKindOf } from '../../../src/core/tables/recogniseTables';

test('tables are recognised by header, in any column order and case', () => {
  assert.equal(tableKindOf(['Metric', 'Warning Threshold', 'Critical Threshold', 'Action']), 'criticalMetrics');
  assert.equal(tableKindOf(['action', 'CRITICAL THRESHOLD', 'metric', '**Warning Threshold**']), 'criticalMetrics');
  assert.equal(tableKindOf(['Query Type', 'Target', 'Alert Threshold']), 'databaseQueryTargets');
  assert.equal(tableKindOf(['Name', 'Value']), undefined);
});

test('an unparseable cell is reported with its line and the row is left out', () => {
  const m = parseRunbook(
    '## Health Check Frequency\n\n| Check | Interval | Timeout | Retries |\n|---|---|---|---|\n| Edge | 30s | 5s | 2 |\n| DB | often | 10s | three |\n',
  );
  const typed = m.typed.healthCheckFrequency!;
  assert.equal(typed.rows.length, 1);
  assert.deepEqual(
    m.typed.problems.map((p) => [p.line, p.column]),
    [
      [5, 'Interval'],
      [5, 'Retries'],
    ],
  );
  assert.match(m.typed.problems[0].message, /cannot read "often"/);
});

test('an unknown table stays generic', () => {
  const m = parseRunbook('| Name | Value |\n|---|---|\n| a | 1 |\n');
  assert.equal(m.tables.length, 1);
  assert.deepEqual(Object.keys(m.typed), ['problems']);
});

test('frontend budgets JSON that does not parse is a problem, not a crash', () => {
  const m = parseRunbook('```json\n{ "timings": { "TTFB": 150, }\n```\n');
  assert.equal(m.typed.frontendBudgets, undefined);
  assert.match(m.typed.problems[0].message, /does not parse/);
});
