// What the Query Results page keeps across a window reload: the last run as shown, its rows cut to a budget so
// VS Code's storage never holds a million rows, and nothing it cannot read back safely.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readResultsState, resultsStateOf, STATE_BUDGET_CHARS } from '../../../src/shared/results/state';
import type { FinishedMessage, ResultSetView, RunHeader } from '../../../src/shared/results/protocol';

const header: RunHeader = {
  runId: 3,
  title: 'Usage for an org',
  project: 'staging',
  production: false,
  mode: 'read',
  source: 'RUNBOOK.md:12',
  placeholders: [
    { name: 'org_id', value: '1111', secret: false },
    { name: 'api_key', value: '••••', secret: true },
  ],
};

function set(rows: Array<Array<string | null>>): ResultSetView {
  return {
    statementIndex: 0,
    statement: 'SELECT n, hash FROM t',
    command: 'SELECT',
    columns: [
      { name: 'n', typeName: 'int4' },
      { name: 'hash', typeName: 'text' },
    ],
    rows,
    rowCount: rows.length,
    capped: false,
    maxRows: 1000,
    durationMs: 4,
  };
}

function finished(sets: ResultSetView[]): FinishedMessage {
  return { type: 'finished', header, status: 'ok', sets, totalMs: 5, committed: false, postedAt: 123.4 };
}

test('a normal result is kept whole, without the timing stamp, and reads back the same', () => {
  const rows = Array.from({ length: 1000 }, (_, i) => [String(i), `hash-${i}`.padEnd(32, 'x')]);
  const state = resultsStateOf(finished([set(rows)]));
  assert.equal(state.version, 1);
  assert.equal(state.shown.type, 'finished');
  assert.ok(!('postedAt' in state.shown), 'no postedAt: a restored page must not report a paint time');
  assert.deepEqual(state.shown.type === 'finished' && state.shown.sets[0].rows, rows);
  assert.equal(state.shown.type === 'finished' && state.shown.sets[0].rowsBeforeRestore, undefined);
  assert.deepEqual(readResultsState(JSON.parse(JSON.stringify(state))), state);
});

test('a huge result is cut to the budget, across sets, and says how many rows it had', () => {
  const wide = 'y'.repeat(200);
  const many = Array.from({ length: 10_000 }, (_, i) => [String(i), wide]);
  const state = resultsStateOf(finished([set(many), set([['1', wide]])]));
  assert.equal(state.shown.type, 'finished');
  if (state.shown.type !== 'finished') return;
  const [first, second] = state.shown.sets;
  assert.ok(first.rows.length > 0 && first.rows.length < many.length, `cut: kept ${first.rows.length}`);
  assert.deepEqual(first.rows, many.slice(0, first.rows.length), 'the first rows, in order');
  assert.equal(first.rowsBeforeRestore, 10_000);
  assert.deepEqual(second.rows, [], 'the budget was spent on the first set');
  assert.equal(second.rowsBeforeRestore, 1);
  const size = JSON.stringify(state).length;
  assert.ok(size <= STATE_BUDGET_CHARS * 1.1, `the saved state stays near the budget: ${size} characters`);
  assert.ok(size >= STATE_BUDGET_CHARS * 0.9, `and uses it: ${size} characters`);
});

test('a run still going is kept as it is', () => {
  const running = { type: 'running' as const, header, statementCount: 2 };
  assert.deepEqual(resultsStateOf(running), { version: 1, shown: running });
  assert.deepEqual(readResultsState({ version: 1, shown: running }), { version: 1, shown: running });
});

test('anything else is not read back: another version, a damaged row, a wrong type', () => {
  const good = resultsStateOf(finished([set([['1', 'a']])]));
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON copy, damaged on purpose
  const damaged = (change: (copy: any) => void) => {
    const copy = JSON.parse(JSON.stringify(good));
    change(copy);
    return readResultsState(copy);
  };
  assert.ok(readResultsState(good));
  for (const value of [undefined, null, 'text', [], {}, { version: 2, shown: good.shown }])
    assert.equal(readResultsState(value), undefined, JSON.stringify(value));
  assert.equal(
    damaged((c) => (c.shown.sets[0].rows[0] = ['1'])),
    undefined,
    'a row shorter than the columns',
  );
  assert.equal(
    damaged((c) => (c.shown.sets[0].rows[0][1] = { html: '<b>' })),
    undefined,
    'a cell that is not text',
  );
  assert.equal(
    damaged((c) => (c.shown.header.placeholders[0].value = 7)),
    undefined,
    'a placeholder value that is not text',
  );
  assert.equal(
    damaged((c) => (c.shown.header.mode = 'admin')),
    undefined,
    'an unknown mode',
  );
  assert.equal(
    damaged((c) => (c.shown.type = 'painted')),
    undefined,
    'an unknown message',
  );
});
