// The run journal on disk: JSON Lines in the workspace storage, masked, the latest snapshot of each run, rotated
// when the file grows; read back by a new session (a reload) in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJournal } from '../../../src/core/journal/runJournal';
import { decodeJournal, encodeRecord } from '../../../src/core/journal/journalStore';
import { JournalFileStore, JOURNAL_FILE, ROTATED_JOURNAL_FILE } from '../../../src/node/journal/journalFileStore';

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'runbook-journal-'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

const target = { name: 'linked', ref: 'linkedlinkedlinkedli', production: true, kind: 'linked' as const };

test('a reload reads back every run in order, finished, masked, with its real target', async () => {
  const dir = join(root, 'reload');
  const errors: string[] = [];
  const first = new RunJournal({
    store: new JournalFileStore(dir, 100, (m) => errors.push(m)),
    knownSecrets: () => ['hunter2hunter2'],
  });
  const deploy = first.record({
    kind: 'shell',
    project: 'linked',
    command: 'PGPASSWORD=hunter2hunter2 supabase functions deploy x',
    target,
    activeProject: 'local',
    line: 41,
    snippetId: 's/0',
    runbookPath: 'RUNBOOK.md',
  });
  first.record({
    kind: 'step',
    project: 'local',
    command: 'Tell the incident channel',
    line: 50,
    exitCode: null,
    durationMs: null,
  });
  first.finish(deploy.id, { exitCode: 1, durationMs: 2300 });
  const text = readFileSync(join(dir, JOURNAL_FILE), 'utf8');
  assert.equal(text.split('\n').filter(Boolean).length, 3, 'one line per snapshot');
  assert.ok(!text.includes('hunter2hunter2'), 'no secret on disk');
  assert.equal((statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toString(8), '600');

  const store = new JournalFileStore(dir, 100, (m) => errors.push(m));
  const second = new RunJournal({ store, knownSecrets: () => [] });
  second.restore(await store.load());
  const entries = second.entries();
  assert.deepEqual(
    entries.map((r) => [r.kind, r.command, r.exitCode, r.durationMs]),
    [
      ['shell', 'PGPASSWORD=•••• supabase functions deploy x', 1, 2300],
      ['step', 'Tell the incident channel', null, null],
    ],
  );
  assert.deepEqual([entries[0].target, entries[0].activeProject, entries[0].line], [target, 'local', 41]);
  second.record({ kind: 'shell', project: 'local', command: 'echo after reload' });
  assert.deepEqual(
    second
      .entries()
      .map((r) => r.command)
      .slice(-1),
    ['echo after reload'],
  );
  assert.deepEqual(errors, []);
});

test('restoring masks again with the secrets known now', () => {
  const journal = new RunJournal({ knownSecrets: () => ['s3cr3t-value'] });
  journal.restore([
    {
      id: 'old',
      startedAt: '2026-01-01T00:00:00.000Z',
      project: 'p',
      kind: 'shell',
      command: 'echo s3cr3t-value',
      exitCode: 0,
      durationMs: 1,
    },
  ]);
  assert.equal(journal.entries()[0].command, 'echo ••••');
});

test('the file rotates past twice the capacity: one older generation is kept, the new file starts from the journal', () => {
  const dir = join(root, 'rotate');
  const journal = new RunJournal({ capacity: 5, store: new JournalFileStore(dir, 5, () => undefined) });
  for (let i = 0; i < 12; i++) journal.record({ kind: 'shell', project: 'p', command: `echo ${i}` });
  const current = decodeJournal(readFileSync(join(dir, JOURNAL_FILE), 'utf8')).records.map((r) => r.command);
  const rotated = decodeJournal(readFileSync(join(dir, ROTATED_JOURNAL_FILE), 'utf8')).records.map((r) => r.command);
  assert.deepEqual(rotated, [
    'echo 0',
    'echo 1',
    'echo 2',
    'echo 3',
    'echo 4',
    'echo 5',
    'echo 6',
    'echo 7',
    'echo 8',
    'echo 9',
  ]);
  assert.deepEqual(current, ['echo 6', 'echo 7', 'echo 8', 'echo 9', 'echo 10', 'echo 11']);
  assert.equal(journal.size, 5);
});

test('a torn or edited line is skipped and reported; the rest is read', async () => {
  const dir = join(root, 'torn');
  const store = new JournalFileStore(dir, 10, () => undefined);
  const journal = new RunJournal({ store });
  journal.record({ kind: 'shell', project: 'p', command: 'echo kept' });
  appendFileSync(
    join(dir, JOURNAL_FILE),
    '{"id":"half", "startedAt":\n' +
      encodeRecord({
        id: 'bad',
        startedAt: 'yesterday',
        project: 'p',
        kind: 'shell',
        command: 'x',
        exitCode: 0,
        durationMs: 0,
      }) +
      '\n',
  );
  const errors: string[] = [];
  const records = await new JournalFileStore(dir, 10, (m) => errors.push(m)).load();
  assert.deepEqual(
    records.map((r) => r.command),
    ['echo kept'],
  );
  assert.match(errors[0], /2 unreadable line\(s\)/);
});

test('clear empties the file too; a store that cannot write does not stop the journal', () => {
  const dir = join(root, 'clear');
  const journal = new RunJournal({ store: new JournalFileStore(dir, 10, () => undefined) });
  journal.record({ kind: 'shell', project: 'p', command: 'echo x' });
  journal.clear();
  assert.equal(readFileSync(join(dir, JOURNAL_FILE), 'utf8'), '');
  const errors: string[] = [];
  // A file where the directory should be: every write fails.
  const blocked = join(root, 'blocked');
  appendFileSync(blocked, 'not a directory');
  const unwritable = new RunJournal({ store: new JournalFileStore(blocked, 10, (m) => errors.push(m)) });
  assert.equal(unwritable.record({ kind: 'shell', project: 'p', command: 'echo y' }).command, 'echo y');
  assert.equal(unwritable.size, 1);
  assert.match(errors[0], /Writing the run journal/);
  assert.ok(!existsSync(join(blocked, JOURNAL_FILE)));
});

test('records restored before the secrets were read are masked once they are', () => {
  let secrets: string[] = [];
  const journal = new RunJournal({ knownSecrets: () => secrets });
  const old = {
    id: 'old',
    startedAt: '2026-01-01T00:00:00.000Z',
    project: 'p',
    kind: 'shell' as const,
    command: 'echo s3cr3t-value',
    exitCode: 0,
    durationMs: 1,
  };
  journal.restore([old, { ...old, id: 'plain', command: 'echo hello' }]);
  const plain = journal.entries()[1];
  assert.equal(journal.entries()[0].command, 'echo s3cr3t-value', 'not yet known');
  secrets = ['s3cr3t-value'];
  journal.remask();
  assert.deepEqual(
    journal.entries().map((r) => r.command),
    ['echo ••••', 'echo hello'],
  );
  assert.ok(Object.isFrozen(journal.entries()[0]));
  assert.equal(journal.entries()[1], plain, 'a record with nothing to mask is kept as it is');
  assert.equal(journal.size, 2);
});

test('runs recorded while the earlier journal is still being read come after it, once each', async () => {
  const dir = join(root, 'restore-late');
  const first = new RunJournal({ store: new JournalFileStore(dir, 100, () => undefined), knownSecrets: () => [] });
  first.record({ project: 'p', kind: 'shell', command: 'echo earlier' });
  const store = new JournalFileStore(dir, 100, () => undefined);
  const second = new RunJournal({ store, knownSecrets: () => [] });
  // The load starts at activation; a run is recorded (and appended to the same file) before it finishes.
  const loading = store.load();
  second.record({ project: 'p', kind: 'shell', command: 'echo meanwhile' });
  second.restore(await loading);
  assert.deepEqual(
    second.entries().map((r) => r.command),
    ['echo earlier', 'echo meanwhile'],
  );
  const reloaded = await new JournalFileStore(dir, 100, () => undefined).load();
  assert.deepEqual(
    reloaded.map((r) => r.command),
    ['echo earlier', 'echo meanwhile'],
  );
});
