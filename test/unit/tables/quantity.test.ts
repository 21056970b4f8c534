import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, crosses, formatMs } from '../../../src/core/tables/quantity';

test('parses the runbook units and comparisons', () => {
  const cases: Array<[string, unknown]> = [
    ['> 500ms', { comparator: '>', measure: { kind: 'duration', ms: 500 } }],
    ['> 80% pool', { comparator: '>', measure: { kind: 'percent', value: 80, of: 'pool' } }],
    ['3+ in 5min', { comparator: '>=', measure: { kind: 'count', value: 3, withinMs: 300_000 } }],
    ['< 15 min', { comparator: '<', measure: { kind: 'duration', ms: 900_000 } }],
    ['5m', { measure: { kind: 'duration', ms: 300_000 } }],
    ['90 days', { measure: { kind: 'duration', ms: 7_776_000_000 } }],
    ['On demand', { measure: { kind: 'onDemand' } }],
    ['Next business day', { measure: { kind: 'nextBusinessDay' } }],
    ['> 10/min', { comparator: '>', measure: { kind: 'rate', count: 10, perMs: 60_000 } }],
    ['≥ 2.5 s', { comparator: '>=', measure: { kind: 'duration', ms: 2500 } }],
    ['30 min (P1 only)', { measure: { kind: 'duration', ms: 1_800_000 }, note: 'P1 only' }],
    ['Any', { measure: { kind: 'any' } }],
  ];
  for (const [text, expected] of cases) {
    const q = parseQuantity(text);
    assert.deepEqual(q, { text, ...(expected as object) }, text);
  }
});

test('refuses what is not a quantity', () => {
  for (const text of ['', 'soon', '> lots', '5 parsecs', 'ms 5', '%', '10 / fortnight']) assert.equal(parseQuantity(text), undefined, text);
});

test('crosses compares an observation with a threshold', () => {
  assert.equal(crosses(620, parseQuantity('> 500ms')!), true);
  assert.equal(crosses(500, parseQuantity('> 500ms')!), false);
  assert.equal(crosses(4, parseQuantity('< 10ms')!), true);
  assert.equal(crosses(1, parseQuantity('Any')!), true);
  assert.equal(crosses(1, parseQuantity('On demand')!), false);
});

test('formats durations for people', () => {
  assert.equal(formatMs(4.2), '4 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(formatMs(90_000), '1.5 min');
});
