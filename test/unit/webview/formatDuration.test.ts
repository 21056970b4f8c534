// One duration formatter for every layer: the Query Results page, the lenses and the runbook's query targets read
// a duration the same way (the page used to say "< 1 ms" where core said "0.50 ms").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration } from '../../../src/shared/format/duration';
import { formatMs } from '../../../src/core/tables/quantity';
import { countOf } from '../../../src/shared/format/count';

test('durations read the same everywhere', () => {
  assert.equal(formatMs, formatDuration, 'core uses the shared formatter');
  const cases: Array<[number, string]> = [
    [0.5, '0.50 ms'],
    [0, '< 0.01 ms'],
    [0.004, '< 0.01 ms'],
    [4.2, '4 ms'],
    [999, '999 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [90_000, '1.5 min'],
    [7_200_000, '2 h'],
    [3 * 86_400_000, '3 days'],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, `${ms} ms`);
});

test('a clock that stepped back or a broken number reads as the shortest time, not as "-3 ms" or "NaN ms"', () => {
  assert.equal(formatDuration(-3), '< 0.01 ms');
  assert.equal(formatDuration(Number.NaN), '< 0.01 ms');
});

test('counts take the singular for one', () => {
  assert.equal(countOf(1, 'row'), '1 row');
  assert.equal(countOf(0, 'row'), '0 rows');
  assert.equal(countOf(10000, 'row'), '10000 rows');
  assert.equal(countOf(2, 'statement'), '2 statements');
});
