// Project secrets in a real VS Code: typed into masked inputs, kept in SecretStorage only, asked
// again when Postgres refuses them, cleared on request, and never written anywhere else.
import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, workspaceUri } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { LinkedProject } from '../../../src/core/projects/linkedProject';
import {
  adminQuery,
  answerQuickInput,
  diagnosticsUri,
  filesUnder,
  firstColumn,
  fixtureProject,
  inResults,
  journalFiles,
  pgInfo,
  pickQuickItem,
  quickInputState,
  readText,
  removeRunbook,
  resultTexts,
  snippetLabelled,
  useProjects,
  waitForQuickInput,
  waitForQuickInputClosed,
  waitForRun,
  writeRunbook,
} from '../workbenchHelpers';

const ROLE = 'runbook_secret_user';
const unique = (what: string) => `${what}-${randomBytes(9).toString('hex')}`;
const DB_PASSWORD = unique('db-password');
const WRONG_PASSWORD = unique('wrong-password');
const SERVICE_ROLE_KEY = unique('service-role-key');
const ACCESS_TOKEN = unique('sbp-access-token');
const SECRETS = [DB_PASSWORD, WRONG_PASSWORD, SERVICE_ROLE_KEY, ACCESS_TOKEN];

describe('SQL secrets', function () {
  let api: RunbookCompanionApi;
  let vault: LinkedProject;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}`);
    await adminQuery(`CREATE ROLE ${ROLE} LOGIN PASSWORD '${DB_PASSWORD}'`);
    await useProjects(api, [fixtureProject('vault', {}, { user: ROLE }), fixtureProject('fixture')], 'vault');
    vault = api.projects.all.find((p) => p.name === 'vault')!;
    await api.secrets.delete(vault, 'dbPassword');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    if (!pgInfo) return;
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await api?.runners.disposeAll();
    await adminQuery(`DROP ROLE IF EXISTS ${ROLE}`).catch(() => undefined);
  });

  /** Starts a run; the caller decides whether to wait for it (it may be waiting for a prompt). */
  function runFourRows(): Thenable<unknown> {
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    return vscode.commands.executeCommand('runbook.runSql', diagnosticsUri(), four.index);
  }

  it('Set Project Secret asks in a masked input and stores the value; a password Postgres refuses is asked again', async function () {
    const setting = vscode.commands.executeCommand('runbook.setSecret');
    await pickQuickItem('vault');
    await pickQuickItem('Database password');
    await waitForQuickInput();
    const input = await quickInputState();
    assert.equal(input.type, 'password', 'the secret is typed into a masked input');
    assert.match(input.title, /Database password for vault/);
    await driver.screenshot('sql-secret-masked-input');
    await answerQuickInput(WRONG_PASSWORD);
    await setting;
    assert.equal(await api.secrets.get(vault, 'dbPassword'), WRONG_PASSWORD);

    // The stored password is wrong: Postgres refuses it, and the run asks once more, masked.
    const runs = api.journal.entries().length;
    const run = runFourRows();
    await waitForQuickInput();
    const again = await quickInputState();
    assert.equal(again.type, 'password');
    assert.match(
      await driver
        .waitFor('.quick-input-widget', { text: `Postgres refused the password for ${ROLE}` })
        .then((e) => e.text),
      /Postgres refused the password/,
    );
    await driver.screenshot('sql-secret-asked-again');
    await answerQuickInput(DB_PASSWORD);
    await run;
    await waitForRun(api, runs, 'Done');
    assert.equal(await api.secrets.get(vault, 'dbPassword'), DB_PASSWORD, 'the password that worked is kept');

    // The next run uses it without asking.
    const next = api.journal.entries().length;
    await runFourRows();
    await waitForRun(api, next, 'Done');
  });

  it('a wrong password the user does not correct ends in its plain explanation and what to do', async function () {
    await api.secrets.store(vault, 'dbPassword', WRONG_PASSWORD);
    api.runners.forget(vault);
    const runs = api.journal.entries().length;
    const run = runFourRows();
    await waitForQuickInput();
    await driver.press('Escape');
    await run;
    await waitForRun(api, runs, 'Failed');
    assert.deepEqual(await resultTexts('.error h2'), [`Wrong password for user ${ROLE}`]);
    assert.match(
      (await resultTexts('.error .advice'))[0],
      /Set the database password with the command Runbook: Set Project Secret/,
    );
    await driver.screenshot('sql-secret-wrong-password');
    await api.secrets.store(vault, 'dbPassword', DB_PASSWORD);
  });

  it('never writes a secret to settings, the log, the results page or the journal', async function () {
    const setting = vscode.commands.executeCommand('runbook.setSecret');
    await pickQuickItem('vault');
    await pickQuickItem('Service role key');
    await answerQuickInput(SERVICE_ROLE_KEY);
    await setting;
    await api.secrets.store(undefined, 'accessToken', ACCESS_TOKEN);
    assert.equal(await api.secrets.get(vault, 'serviceRoleKey'), SERVICE_ROLE_KEY);
    const runs = api.journal.entries().length;
    await runFourRows();
    await waitForRun(api, runs, 'Done');

    const leaks = (where: string, text: string) =>
      SECRETS.filter((secret) => text.includes(secret)).map(
        (secret) => `${where} holds ${secret.split('-').slice(0, -1).join('-')}`,
      );
    const found: string[] = [];

    // Settings: the workspace file and every runbook.* value VS Code holds.
    const workspaceSettings = await readText(workspaceUri('.vscode', 'settings.json'));
    assert.match(
      workspaceSettings,
      /"runbook\.projects"/,
      'the workspace settings file is the one the projects live in',
    );
    found.push(...leaks('.vscode/settings.json', workspaceSettings));
    const config = vscode.workspace.getConfiguration('runbook');
    found.push(
      ...leaks(
        'runbook.* settings',
        JSON.stringify(['projects', 'activeProject', 'sql', 'files'].map((key) => config.inspect(key))),
      ),
    );

    // The "Runbook Companion" output channel's log file.
    const logFiles = await filesUnder(api.logUri);
    const logs = await Promise.all(logFiles.map(async (uri) => ({ uri, text: await readText(uri) })));
    const channel = logs.filter((l) => /Activated in/.test(l.text));
    assert.ok(
      channel.length > 0,
      `the extension's log file is found under ${api.logUri.fsPath}: ${logFiles.map((f) => f.path).join(', ')}`,
    );
    assert.ok(
      channel.some((l) => /SQL "Four rows to sort, filter, copy and save" on vault/.test(l.text)),
      'the log records the runs',
    );
    for (const log of logs) found.push(...leaks(log.uri.path, log.text));

    // The results page, as rendered, and the HTML the panel was given.
    const page = await inResults<string>('document.documentElement.outerHTML');
    assert.match(page, /Four rows to sort/, 'the page read is the one with the run');
    found.push(...leaks('the results page', page), ...leaks('the panel HTML', api.results.html ?? ''));

    // The journal of runs.
    const journal = JSON.stringify(api.journal.entries());
    assert.match(journal, /"project":"vault"/);
    found.push(...leaks('the journal', journal));

    assert.deepEqual(found, []);
  });

  it('a secret placeholder is asked masked, never offered again, and its value shows nowhere: page, journal file, log', async function () {
    this.timeout(90_000);
    const apiKey = unique('sk-live-api-key');
    await api.secrets.store(vault, 'dbPassword', DB_PASSWORD);
    const uri = await writeRunbook(
      api,
      'runbooks/api-key.md',
      [
        '# Keys',
        '',
        '## Lookup',
        '',
        '```sql',
        '-- Look up an API key (a secret placeholder)',
        "SELECT '<api_key>' AS echoed, length('<api_key>') AS chars;",
        "SELECT '<api_key>'::uuid AS key_id;",
        '```',
        '',
      ].join('\n'),
    );
    try {
      const lookup = snippetLabelled(api, 'api-key.md', /Look up an API key/);
      let runs = api.journal.entries().length;
      const run = vscode.commands.executeCommand('runbook.runSql', uri, lookup.index);
      await waitForQuickInput();
      const asked = await quickInputState();
      assert.equal(asked.type, 'password', 'the secret is typed into a masked input');
      assert.equal(asked.value, '');
      await driver.screenshot('sql-secret-placeholder-masked');
      await answerQuickInput(apiKey);
      await run;
      await waitForRun(api, runs, 'Failed');
      // The first statement selects the value, the second makes Postgres echo it in its error: both masked.
      assert.deepEqual(await firstColumn(0), ['••••']);
      assert.deepEqual(
        await inResults<string[]>(
          `[...document.querySelectorAll('.result-set')[0].querySelectorAll('.grid tbody td')].map((td) => td.innerText)`,
        ),
        ['••••', String(apiKey.length)],
      );
      assert.deepEqual(await resultTexts('.error .message'), ['invalid input syntax for type uuid: "••••"']);
      await driver.screenshot('sql-secret-placeholder-results');

      // The next run asks again, masked and empty: the value was never stored.
      runs = api.journal.entries().length;
      const again = vscode.commands.executeCommand('runbook.runSql', uri, lookup.index);
      await waitForQuickInput();
      const second = await quickInputState();
      assert.deepEqual([second.type, second.value], ['password', ''], 'not prefilled');
      await driver.press('Escape');
      await again;
      await waitForQuickInputClosed();
      assert.equal(api.journal.entries().length, runs, 'Escape ran nothing');

      const found: string[] = [];
      const page = await inResults<string>('document.documentElement.outerHTML');
      assert.match(page, /Look up an API key/, 'the page read is the one with the run');
      if (page.includes(apiKey)) found.push('the results page');
      const journal = await journalFiles(api);
      assert.ok(journal.length > 0, 'the journal file runs.jsonl is found in the workspace storage');
      const journalText = (await Promise.all(journal.map(readText))).join('\n');
      assert.match(
        journalText,
        /SELECT '<api_key>' AS echoed/,
        'the journal file holds the run, placeholders as written',
      );
      if (journalText.includes(apiKey)) found.push('runs.jsonl');
      if (JSON.stringify(api.journal.entries()).includes(apiKey)) found.push('the journal');
      const logs = await Promise.all((await filesUnder(api.logUri)).map(readText));
      assert.ok(
        logs.some((text) => text.includes('SQL "Look up an API key (a secret placeholder)" on vault')),
        'the log records the run',
      );
      if (logs.some((text) => text.includes(apiKey))) found.push('the output log');
      assert.deepEqual(found, []);
    } finally {
      await removeRunbook(api, uri);
    }
  });

  it("Clear Project Secrets clears the project's secrets, and the personal access token only when asked", async function () {
    await api.secrets.store(vault, 'anonKey', unique('anon-key'));
    await api.secrets.store(undefined, 'accessToken', ACCESS_TOKEN);
    const clearing = vscode.commands.executeCommand('runbook.clearSecrets');
    await pickQuickItem('vault');
    await driver.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', {
      text: 'Clear them and your personal access token',
    });
    await driver.screenshot('sql-secret-clear-choice');
    await pickQuickItem('Clear the secrets of "vault"');
    await clearing;
    await waitForQuickInputClosed();
    assert.deepEqual(
      await Promise.all(
        (['dbPassword', 'serviceRoleKey', 'anonKey'] as const).map((kind) => api.secrets.get(vault, kind)),
      ),
      [undefined, undefined, undefined],
    );
    assert.equal(await api.secrets.get(undefined, 'accessToken'), ACCESS_TOKEN, 'the personal access token is kept');

    const clearingAll = vscode.commands.executeCommand('runbook.clearSecrets');
    await pickQuickItem('vault');
    await pickQuickItem('Clear them and your personal access token');
    await clearingAll;
    await waitForQuickInputClosed();
    assert.equal(
      await api.secrets.get(undefined, 'accessToken'),
      undefined,
      'the personal access token is cleared when asked',
    );

    // Escape clears nothing.
    await api.secrets.store(vault, 'dbPassword', DB_PASSWORD);
    const declined = vscode.commands.executeCommand('runbook.clearSecrets');
    await pickQuickItem('vault');
    await driver.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', { text: 'Clear the secrets of' });
    await driver.press('Escape');
    // The command has answered: whatever Escape did is done.
    await declined;
    assert.equal(await api.secrets.get(vault, 'dbPassword'), DB_PASSWORD, 'Escape clears nothing');
  });
});
