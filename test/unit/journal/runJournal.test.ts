// The in-memory journal of runs that feeds the incident timeline.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RunJournal, type RunRecord } from '../../../src/core/journal/runJournal';

const fixedClock = (): (() => Date) => {
  let t = Date.parse('2026-01-21T10:00:00.000Z');
  return () => new Date((t += 1000));
};

test('a run is recorded with its time, project and masked command, then finished', () => {
  const journal = new RunJournal({ now: fixedClock(), knownSecrets: () => ['hunter2x'] });
  const seen: RunRecord[] = [];
  journal.onRecord((r) => seen.push(r));
  const started = journal.record({
    project: 'production',
    kind: 'shell',
    command: 'PGPASSWORD=hunter2x psql -c "select 1"',
    snippetId: 'playbook/0',
    runbookPath: 'RUNBOOK.md',
  });
  assert.equal(started.startedAt, '2026-01-21T10:00:01.000Z');
  assert.equal(started.command, 'PGPASSWORD=•••• psql -c "select 1"');
  assert.deepEqual([started.exitCode, started.durationMs], [null, null]);
  assert.match(started.id, /^run-/);
  const finished = journal.finish(started.id, { exitCode: 3, durationMs: 1250 });
  assert.deepEqual([finished?.exitCode, finished?.durationMs, finished?.command], [3, 1250, started.command]);
  assert.deepEqual(
    seen.map((r) => r.exitCode),
    [null, 3],
  );
  assert.equal(journal.entries()[0].exitCode, 3);
  assert.ok(Object.isFrozen(journal.entries()[0]));
  assert.equal(journal.finish('nope', { exitCode: 0, durationMs: 1 }), undefined);
});

test('the journal keeps the newest 500 records', () => {
  const journal = new RunJournal();
  for (let i = 0; i < 520; i++)
    journal.record({
      project: 'local',
      kind: i % 2 ? 'sql' : 'shell',
      command: `echo ${i}`,
      exitCode: 0,
      durationMs: i,
    });
  assert.equal(journal.size, 500);
  assert.equal(journal.entries()[0].command, 'echo 20');
  assert.equal(journal.entries()[499].command, 'echo 519');
  assert.equal(new Set(journal.entries().map((r) => r.id)).size, 500);
  const small = new RunJournal({ capacity: 2 });
  for (const c of ['a', 'b', 'c']) small.record({ project: 'p', kind: 'shell', command: c });
  assert.deepEqual(
    small.entries().map((r) => r.command),
    ['b', 'c'],
  );
});

test('listeners can be disposed, and a failing listener does not stop the others', () => {
  const journal = new RunJournal();
  const calls: string[] = [];
  journal.onRecord(() => {
    throw new Error('boom');
  });
  const subscription = journal.onRecord((r) => calls.push(r.command));
  journal.record({ project: 'p', kind: 'shell', command: 'one' });
  subscription.dispose();
  journal.record({ project: 'p', kind: 'shell', command: 'two' });
  assert.deepEqual(calls, ['one']);
  journal.clear();
  assert.equal(journal.size, 0);
});

test('exit codes are integers and durations non-negative; null means unknown', () => {
  const journal = new RunJournal();
  assert.throws(() => journal.record({ project: 'p', kind: 'shell', command: 'x', exitCode: 1.5 }), RangeError);
  assert.throws(() => journal.record({ project: 'p', kind: 'shell', command: 'x', durationMs: -1 }), RangeError);
  const r = journal.record({
    project: 'p',
    kind: 'sql',
    command: 'select 1',
    exitCode: null,
    durationMs: null,
    id: 'given',
    startedAt: '2026-01-01T00:00:00.000Z',
  });
  assert.deepEqual([r.id, r.startedAt, r.exitCode, r.durationMs], ['given', '2026-01-01T00:00:00.000Z', null, null]);
});
