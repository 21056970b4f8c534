// Flapping damped by the documented rule, sliding-window percentiles with flat memory, and circuit breaker opens
// counted over the runbook's window.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DampedState } from '../../../src/core/health/flapping';
import { percentilesOf, SlidingWindow } from '../../../src/core/health/slidingWindow';
import { CircuitBreakerCounter } from '../../../src/core/health/circuitBreakerCounter';

test('worse at once; better only after two clean passes in a row; a pass after retry never counts as clean', () => {
  const state = new DampedState(2);
  assert.deepEqual(state.take({ state: 'healthy', clean: true }), { from: undefined, to: 'healthy' });
  assert.deepEqual(state.take({ state: 'critical', clean: false }), { from: 'healthy', to: 'critical' });
  assert.equal(state.take({ state: 'healthy', clean: true }), undefined, 'one clean pass is not enough');
  assert.deepEqual(state.recovering, { passes: 1, needed: 2 });
  assert.equal(state.take({ state: 'healthy', clean: false }), undefined, 'passed after retry: the streak restarts');
  assert.equal(state.recovering, undefined);
  assert.equal(state.take({ state: 'healthy', clean: true }), undefined);
  assert.deepEqual(state.take({ state: 'healthy', clean: true }), { from: 'critical', to: 'healthy' });
});

test('a failure in the middle of a recovery restarts it; a partial recovery lands on the worst poll of the streak', () => {
  const state = new DampedState(2);
  state.take({ state: 'critical', clean: false });
  state.take({ state: 'healthy', clean: true });
  assert.equal(state.take({ state: 'critical', clean: false }), undefined, 'still critical, no change');
  assert.equal(state.recovering, undefined);
  state.take({ state: 'warning', clean: true });
  assert.deepEqual(state.take({ state: 'healthy', clean: true }), { from: 'critical', to: 'warning' });
});

test('the same state twice is no change', () => {
  const state = new DampedState(2);
  state.take({ state: 'warning', clean: true });
  assert.equal(state.take({ state: 'warning', clean: true }), undefined);
});

test('percentiles are nearest-rank', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.deepEqual(percentilesOf(values), { p50: 50, p95: 95, p99: 99, samples: 100 });
  assert.deepEqual(percentilesOf([7]), { p50: 7, p95: 7, p99: 7, samples: 1 });
  assert.equal(percentilesOf([]), undefined);
});

test('the window forgets what is older than its span and never holds more than its capacity', () => {
  const window = new SlidingWindow(60_000, 8);
  for (let t = 0; t < 120_000; t += 5_000) window.add({ t, ms: t / 1000, ok: t % 20_000 !== 0 });
  assert.equal(window.size, 8, 'capacity bounds it');
  const samples = window.samples();
  assert.equal(samples[0].t, 80_000);
  assert.deepEqual(window.errors(100_000), { failed: 1, total: 4 });
  assert.equal(window.percentiles(100_000)?.p50, 105);
  window.add({ t: 500_000, ms: null, ok: false });
  assert.equal(window.size, 1, 'everything older than a minute left');
  assert.equal(window.percentiles(0), undefined, 'a failed probe has no latency');
});

test('circuit breaker opens are counted over the window; one that stays open keeps counting', () => {
  const counter = new CircuitBreakerCounter();
  counter.observe(0, { openai: 'closed', google_ai: 'closed' });
  counter.observe(30_000, { openai: 'open', google_ai: 'closed' });
  counter.observe(60_000, { openai: 'closed', google_ai: 'closed' });
  counter.observe(90_000, { openai: 'open', google_ai: 'open' });
  assert.equal(counter.count(90_000, 300_000), 3);
  assert.deepEqual(counter.openNow().sort(), ['google_ai', 'openai']);
  counter.observe(1_000_000, { openai: 'open', google_ai: 'closed' });
  assert.equal(counter.count(1_000_000, 300_000), 1, 'openai is still open');
  counter.observe(1_030_000, { openai: 'half-open', google_ai: 'closed' });
  assert.equal(counter.count(1_030_000, 300_000), 0);
});
