// The Supabase CLI as a VS Code task, in real code-server with the real CLI and the suite's PostgreSQL: the exit code
// of a command that works and of one that fails, Cancel on the progress notification ending a command that hangs, the
// task named after the project it reaches, the database password only in the process's environment (never in the
// arguments, the name or the definition VS Code keeps), and every run in the journal.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { driver } from '../driver';
import { activateExtension } from '../extensionApi';
import { adminQuery, pgInfo, useProjects, fixtureProject } from '../workbenchHelpers';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { RunRecord } from '../../../src/core/journal/runJournal';
import { waitFor } from '../../helpers/wait';

// A role of its own, so that its password is a value found nowhere else (the suite's own is "postgres", like its user).
const ROLE = 'runbook_task_runner';
const PASSWORD = 'tAsk-pW-5821-only-in-env';

describe('Supabase CLI tasks', function () {
  let api: RunbookCompanionApi;
  const started: vscode.Task[] = [];
  let watch: vscode.Disposable | undefined;
  const fixture = () => api.projects.all.find((p) => p.name === 'fixture')!;
  const databaseUrl = (port = pgInfo!.port) =>
    `postgresql://${ROLE}@${pgInfo!.host}:${port}/${pgInfo!.database}?sslmode=disable`;
  const lastRecord = (): RunRecord => api.journal.entries().at(-1)!;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}`);
    await adminQuery(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${PASSWORD}'`);
    await adminQuery(`GRANT USAGE ON SCHEMA supabase_migrations TO ${ROLE}`);
    await adminQuery(`GRANT SELECT ON ALL TABLES IN SCHEMA supabase_migrations TO ${ROLE}`);
    await useProjects(api, [fixtureProject('fixture', {}, { user: ROLE })], 'fixture');
    watch = vscode.tasks.onDidStartTask((e) => started.push(e.execution.task));
  });

  after(async function () {
    watch?.dispose();
    if (!api) return;
    await api.secrets.delete(fixture(), 'dbPassword');
    await adminQuery(`DROP OWNED BY ${ROLE}; DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
  });

  it('runs `supabase --version` as a task named after its project, with exit code 0, in the journal', async function () {
    const journalBefore = api.journal.size;
    const outcome = await (await api.supabaseTasks.get()).run({ args: ['--version'] });
    assert.ok(outcome, 'the task ran');
    assert.deepEqual([outcome.exitCode, outcome.cancelled], [0, false]);
    const task = started.at(-1)!;
    assert.equal(task.name, 'supabase → fixture');
    assert.equal(task.source, 'Runbook');
    assert.equal(task.definition.type, 'runbook-cli');
    // The workspace's CLI by absolute path, arguments as an argv.
    const execution = task.execution as vscode.ProcessExecution;
    assert.equal(execution.process, `${vscode.workspace.workspaceFolders![0].uri.fsPath}/node_modules/.bin/supabase`);
    assert.deepEqual(execution.args, ['--version']);
    assert.equal(api.journal.size, journalBefore + 1);
    assert.deepEqual(
      [lastRecord().command, lastRecord().exitCode, lastRecord().kind, lastRecord().project],
      ['supabase --version', 0, 'shell', 'fixture'],
    );
    await driver.screenshot('task-supabase-version');
  });

  it('runs `supabase migration list` against the database: the password in the environment, nowhere else', async function () {
    await api.secrets.store(fixture(), 'dbPassword', PASSWORD);
    const args = ['migration', 'list', `--remote=${databaseUrl()}`];
    const outcome = await (await api.supabaseTasks.get()).run({ args });
    assert.ok(outcome);
    // The fixture server wants a password: exit 0 says PGPASSWORD reached the CLI.
    assert.equal(outcome.exitCode, 0);
    assert.equal(outcome.target.name, 'fixture');
    const task = started.at(-1)!;
    const execution = task.execution as vscode.ProcessExecution;
    assert.equal(execution.options?.env?.PGPASSWORD, PASSWORD, 'the password is in the environment');
    assert.equal(execution.options?.env?.PGUSER, ROLE);
    assert.deepEqual(execution.args, args);
    for (const [where, text] of [
      ['arguments', execution.args.join(' ')],
      ['name', task.name],
      ['detail', task.detail ?? ''],
      ['definition', JSON.stringify(task.definition)],
      ['journal', JSON.stringify(lastRecord())],
    ])
      assert.ok(!text.includes(PASSWORD), `the password is not in the task's ${where}`);
    assert.equal(task.name, 'supabase migration list → fixture');
    assert.deepEqual([lastRecord().exitCode, lastRecord().target?.kind], [0, 'active']);
    await driver.screenshot('task-migration-list');
  });

  it('reports the exit code of a failing command', async function () {
    // Nothing listens on port 1: the CLI cannot connect and exits with an error.
    const outcome = await (
      await api.supabaseTasks.get()
    ).run({ args: ['migration', 'list', `--remote=${databaseUrl(1)}`] });
    assert.ok(outcome);
    assert.equal(outcome.cancelled, false);
    assert.ok(outcome.exitCode !== undefined && outcome.exitCode !== 0, `exit ${outcome.exitCode}`);
    assert.equal(outcome.target.kind, 'local');
    assert.equal(lastRecord().exitCode, outcome.exitCode);
    // Another database than the active project's never gets its password.
    const execution = started.at(-1)!.execution as vscode.ProcessExecution;
    assert.equal(execution.options?.env?.PGPASSWORD, undefined);
  });

  it('Cancel on the progress notification ends a command that hangs, and the run says it was cancelled', async function () {
    // A server that accepts connections and never answers: the CLI waits for PostgreSQL's greeting.
    const sockets = new Set<Socket>();
    const silent: Server = createServer((socket) => {
      sockets.add(socket);
      // Read (and drop) what comes, so that the client's end is seen.
      socket.resume();
      socket.on('error', () => undefined);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as AddressInfo).port;
      const running = (await api.supabaseTasks.get()).run({
        args: ['migration', 'list', `--remote=${databaseUrl(port)}`],
      });
      await waitFor(() => sockets.size > 0, 'the CLI to connect to the silent server', 30_000);
      const toast = await driver.waitFor('.notifications-toasts .notification-list-item', {
        text: 'supabase migration list → the local database',
      });
      assert.match(toast.text, /running in the terminal panel/);
      await driver.screenshot('task-progress-cancellable');
      await driver.click('.notifications-toasts .notification-list-item .monaco-button', { text: 'Cancel' });
      const outcome = await running;
      assert.ok(outcome);
      assert.equal(outcome.cancelled, true);
      await waitFor(() => sockets.size === 0, 'the terminated CLI to drop its connection');
      assert.ok(
        vscode.tasks.taskExecutions.every((e) => e.task.definition.type !== 'runbook-cli'),
        'no task of ours is still running',
      );
      assert.equal(lastRecord().durationMs, outcome.durationMs);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  });

  it('Rerun Last Task does not run a Runbook task again, unconfirmed, with its secrets', async function () {
    const journalBefore = api.journal.size;
    const startsBefore = started.length;
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.action.tasks.reRunTask');
    await driver.waitFor('.notifications-toasts .notification-list-item', { text: 'was not run again' });
    assert.ok(started.length > startsBefore, 'VS Code started the task again');
    await waitFor(
      () => vscode.tasks.taskExecutions.every((e) => e.task.definition.type !== 'runbook-cli'),
      'the rerun to be ended',
    );
    assert.equal(api.journal.size, journalBefore, 'nothing was recorded as run');
    await driver.screenshot('task-rerun-refused');
  });
});
