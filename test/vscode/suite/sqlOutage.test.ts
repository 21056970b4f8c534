// A project database that is not there, or goes away and comes back, in a real VS Code: the results
// page says what happened in plain words and what to do, and the next run after the outage works
// without reloading anything. This suite starts a PostgreSQL of its own, so it can stop it.
import * as assert from 'node:assert/strict';
import { freePort } from '../../helpers/network';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import {
  diagnosticsUri,
  fixtureProject,
  inResults,
  pgInfo,
  resultTexts,
  serverSessions,
  snippetLabelled,
  useProjects,
  waitForRun,
} from '../workbenchHelpers';

describe('SQL when the database is away', function () {
  let api: RunbookCompanionApi;
  let own: Awaited<ReturnType<typeof startPostgres>> | undefined;
  let nowherePort = 0;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    this.timeout(120_000);
    api = await activateExtension();
    own = await startPostgres();
    nowherePort = await freePort();
    await useProjects(
      api,
      [
        fixtureProject('outage', {}, { host: own.host, port: own.port, user: own.user, database: own.database }),
        fixtureProject('nowhere', {}, { host: '127.0.0.1', port: nowherePort }),
      ],
      'outage',
    );
    for (const project of api.projects.all) await api.secrets.store(project, 'dbPassword', own.password);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    await api?.runners.disposeAll();
    await own?.stop();
  });

  async function run(): Promise<string | undefined> {
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    const report = await vscode.commands.executeCommand<{ outcome: { status: string } } | undefined>(
      'runbook.runSql',
      diagnosticsUri(),
      four.index,
    );
    return report?.outcome.status;
  }

  it('a project pointing at a closed port: the page says nothing listens there, and what to do', async function () {
    await api.projects.setActive('nowhere');
    const runs = api.journal.entries().length;
    assert.equal(await run(), 'error');
    await waitForRun(api, runs, 'Failed');
    assert.deepEqual(await resultTexts('.error h2'), [`Connection refused by 127.0.0.1:${nowherePort}`]);
    assert.deepEqual(await resultTexts('.error .message'), [
      `Nothing is accepting database connections at 127.0.0.1:${nowherePort}.`,
    ]);
    assert.match(
      (await resultTexts('.error .advice'))[0],
      /Is the project running\? For the local stack run `supabase start`/,
    );
    // A Node error code is not a SQLSTATE, and is not labelled as one.
    const facts = await inResults<Record<string, string>>(
      `Object.fromEntries([...document.querySelectorAll('.error dt')].map((dt) => [dt.innerText, dt.nextElementSibling.innerText]))`,
    );
    assert.deepEqual(facts, { 'Error code': 'ECONNREFUSED' });
    await driver.screenshot('sql-connection-refused');
  });

  it('the database crashes while the pool holds connections: a clear error; once it is back, the next run works', async function () {
    this.timeout(90_000);
    await api.projects.setActive('outage');
    const [a, b] = await Promise.all([run(), run()]);
    assert.deepEqual([a, b], ['ok', 'ok']);
    assert.ok(
      (await serverSessions(undefined, {
        host: own!.host,
        port: own!.port,
        user: own!.user,
        password: own!.password,
        database: own!.database,
      })) >= 1,
      'the pool holds connections',
    );

    await own!.halt('SIGQUIT'); // an immediate shutdown: the sessions simply drop, as in a crash
    let runs = api.journal.entries().length;
    assert.equal(await run(), 'error');
    await waitForRun(api, runs, 'Failed');
    const title = (await resultTexts('.error h2'))[0];
    assert.ok(/^Connection refused by 127\.0\.0\.1:\d+$|^The connection was closed during the run$/.test(title), title);
    assert.ok((await resultTexts('.error .advice'))[0]?.length > 20, 'it says what to do');
    runs = api.journal.entries().length;
    assert.equal(await run(), 'error', 'still down');
    await waitForRun(api, runs, 'Failed');
    assert.deepEqual(await resultTexts('.error h2'), [`Connection refused by 127.0.0.1:${own!.port}`]);
    await driver.screenshot('sql-database-down');

    await own!.resume();
    runs = api.journal.entries().length;
    assert.equal(await run(), 'ok', 'the first run after the outage works, without a reload');
    await waitForRun(api, runs, 'Done');
    await driver.screenshot('sql-database-back');
  });
});
