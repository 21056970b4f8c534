import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuantity, crosses, formatMs } from '../../../src/core/tables/quantity';

test('parses the runbook units and comparisons', () => {
  const cases: Array<[string, unknown]> = [
    ['> 500ms', { comparator: '>', measure: { kind: 'duration', ms: 500 } }],
    ['> 80% pool', { comparator: '>', measure: { kind: 'percent', value: 80, of: 'pool' } }],
    ['3+ in 5min', { comparator: '>=', measure: { kind: 'count', value: 3, withinMs: 300_000 } }],
    ['3+ per 5min', { comparator: '>=', measure: { kind: 'count', value: 3, withinMs: 300_000 } }],
    ['3 within 10 minutes', { measure: { kind: 'count', value: 3, withinMs: 600_000 } }],
    ['< 15 min', { comparator: '<', measure: { kind: 'duration', ms: 900_000 } }],
    ['5m', { measure: { kind: 'duration', ms: 300_000 } }],
    ['90 days', { measure: { kind: 'duration', ms: 7_776_000_000 } }],
    ['On demand', { measure: { kind: 'onDemand' } }],
    ['Next business day', { measure: { kind: 'nextBusinessDay' } }],
    ['> 10/min', { comparator: '>', measure: { kind: 'rate', count: 10, perMs: 60_000 } }],
    ['≥ 2.5 s', { comparator: '>=', measure: { kind: 'duration', ms: 2500 } }],
    ['30 min (P1 only)', { measure: { kind: 'duration', ms: 1_800_000 }, note: 'P1 only' }],
    ['Any', { measure: { kind: 'any' } }],
    ['6 months', { measure: { kind: 'duration', ms: 6 * 30 * 86_400_000 } }],
    ['1 year', { measure: { kind: 'duration', ms: 365 * 86_400_000 } }],
    ['Weekly', { measure: { kind: 'duration', ms: 7 * 86_400_000 } }],
    ['Daily', { measure: { kind: 'duration', ms: 86_400_000 } }],
    ['Monthly', { measure: { kind: 'duration', ms: 30 * 86_400_000 } }],
    ['Quarterly', { measure: { kind: 'duration', ms: 90 * 86_400_000 } }],
    ['Annually', { measure: { kind: 'duration', ms: 365 * 86_400_000 } }],
    ['1,000ms', { measure: { kind: 'duration', ms: 1000 } }],
    ['> 1,500.5 ms', { comparator: '>', measure: { kind: 'duration', ms: 1500.5 } }],
    ['10 per minute', { measure: { kind: 'rate', count: 10, perMs: 60_000 } }],
    ['> 5 errors/min', { comparator: '>', measure: { kind: 'rate', count: 5, perMs: 60_000 } }],
    ['100 requests per 5 minutes', { measure: { kind: 'rate', count: 100, perMs: 300_000 } }],
    ['> 10% post-deploy', { comparator: '>', measure: { kind: 'percent', value: 10 }, note: 'post-deploy' }],
    ['> 95% of pool', { comparator: '>', measure: { kind: 'percent', value: 95, of: 'pool' } }],
    [
      '> 5% for 10 min (P1 only)',
      { comparator: '>', measure: { kind: 'percent', value: 5 }, note: 'for 10 min; P1 only' },
    ],
  ];
  for (const [text, expected] of cases) {
    const q = parseQuantity(text);
    assert.deepEqual(q, { text, ...(expected as object) }, text);
  }
});

test('refuses what is not a quantity', () => {
  for (const text of [
    '',
    'soon',
    '> lots',
    '5 parsecs',
    'ms 5',
    '%',
    '10 / fortnight',
    '5 constructor',
    'constructor',
    '1,00ms',
  ])
    assert.equal(parseQuantity(text), undefined, text);
});

test('the rollback matrix keeps "post-deploy" as a note on the percentage, not as what it is a share of', () => {
  const q = parseQuantity('> 10% post-deploy')!;
  assert.equal(q.text, '> 10% post-deploy');
  assert.equal(crosses(12, q), true);
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
