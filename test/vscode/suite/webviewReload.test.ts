// The Query Results panel across a real window reload. The window running the tests cannot reload (the suite would
// end with it), so a second window of the same workspace and extension (SecondWindow) runs a block, is reloaded
// with Developer: Reload Window from its command palette, and VS Code brings the panel back through the extension's
// serializer: the same rows and placeholder values from the page's saved state, a secret still masked, a new
// nonce, and the host's own copy of the rows restored too (Save… offers the formats instead of "no results").
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, sleep } from '../extensionApi';
import { waitFor } from '../../helpers/wait';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import {
  SecondWindow,
  fixtureProject,
  pgInfo,
  removeRunbook,
  serverSessions,
  useProjects,
  writeRunbook,
} from '../workbenchHelpers';

const RUNBOOK = 'runbooks/reload-probe.md';
const FILE_NAME = 'reload-probe.md';
const ORG = '33333333-3333-3333-3333-333333333333';
const TITLE = 'Rows that outlive a reload';
const NONCE = /script-src 'nonce-([0-9a-f]{32})'/;

interface ResultsPage {
  csp: string;
  status: string;
  title: string;
  placeholders: string[];
  rows: string[][];
  restoredNotice: string[];
  html: string;
}

/** The Query Results page, wherever it is: the test window shows no editor, so it is the second window's. */
async function resultsPage(): Promise<ResultsPage | undefined> {
  const pages = await driver.evaluate<ResultsPage | null>(`(() => {
    if (!document.querySelector('main#app[data-panel="results"] .run-header')) return null;
    return {
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
      status: document.querySelector('.run-header .status').textContent,
      title: document.querySelector('.run-header h1').textContent,
      placeholders: [...document.querySelectorAll('.placeholder')].map((e) => e.textContent),
      rows: [...document.querySelectorAll('.grid tbody tr:not(.spacer)')].map((tr) => [...tr.cells].map((td) => td.textContent)),
      restoredNotice: [...document.querySelectorAll('.notice.restored')].map((e) => e.textContent),
      html: document.documentElement.outerHTML,
    };
  })()`);
  return pages.find((page): page is ResultsPage => page !== null);
}

describe('Query Results across a window reload', function () {
  let api: RunbookCompanionApi;
  let runbook: vscode.Uri | undefined;
  let second: SecondWindow | undefined;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    this.timeout(120_000);
    api = await activateExtension();
    await useProjects(api, [fixtureProject('fixture')], 'fixture');
    await api.secrets.store(api.projects.active, 'dbPassword', pgInfo!.password);
    runbook = await writeRunbook(
      api,
      RUNBOOK,
      [
        '# Reload probe',
        '',
        '## Rows that outlive a reload',
        '',
        '```sql',
        '-- Rows that outlive a reload',
        "SELECT n, word FROM (VALUES (1, 'one'), (2, 'two')) AS t(n, word) WHERE '<org_id>'::uuid IS NOT NULL AND length('<api_key>') > 0;",
        '```',
        '',
      ].join('\n'),
    );
    // Nothing of this window may show through or be read instead of the other one's page.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    second = await SecondWindow.open();
    await second.openFile(FILE_NAME);
  });

  after(async function () {
    if (!pgInfo || !driver.available) return;
    await second?.close();
    if (runbook) await removeRunbook(api, runbook);
    // The other window's pool closes its idle connections by itself (after 10 s); wait, so later suites count only their own.
    await waitFor(
      async () => (await serverSessions()) === api.runners.activeConnections(),
      "the second window's connections to close",
      30_000,
    ).catch(() => undefined);
  });

  /** Answers the other window's questions (placeholders, perhaps its database password) until the run shows. */
  async function answerUntilShown(apiKey: string): Promise<ResultsPage> {
    return waitFor(
      async () => {
        // The other window may first restore a panel of an earlier suite's run: only this run counts.
        const page = await resultsPage();
        if (page?.title === TITLE && page.status.startsWith('Done') && page.restoredNotice.length === 0) return page;
        const input = await second!.quickInput();
        if (!input) return undefined;
        const answer = /\(1\/2\)/.test(input.title)
          ? ORG
          : /\(2\/2\)/.test(input.title)
            ? apiKey
            : input.type === 'password' && /Database password/.test(input.title)
              ? pgInfo!.password
              : undefined;
        if (answer === undefined || input.value === answer) return undefined;
        await second!.evaluate(
          `(() => { const i = document.querySelector('.quick-input-widget .quick-input-box input'); i.select(); return true; })()`,
        );
        await driver.type(answer);
        await driver.press('Enter');
        await sleep(300); // the next question replaces this one in the same widget
        return undefined;
      },
      'the run in the other window to show its results',
      60_000,
    );
  }

  it('comes back after Developer: Reload Window with its rows, placeholder values and a new nonce, secrets still masked', async function () {
    this.timeout(180_000);
    const apiKey = `sk-reload-${Date.now()}`;
    await second!.click('.codelens-decoration a', { text: 'Run on…', timeoutMs: 20_000 });
    await second!.pick('fixture');
    const before = await answerUntilShown(apiKey);
    assert.deepEqual(before.rows, [
      ['1', 'one'],
      ['2', 'two'],
    ]);
    assert.deepEqual(before.placeholders, [`org_id = ${ORG}`, 'api_key = ••••']);
    const nonceBefore = NONCE.exec(before.csp)?.[1];
    assert.ok(nonceBefore, before.csp);
    // The page saves its state once the rows are painted, and marks the run it saved.
    await driver.waitFor('main#app[data-saved-run]', { timeoutMs: 10_000 });

    // Reload the other window the way a user does.
    await second!.runCommand('Developer: Reload Window');
    // VS Code restores the editor layout, activates the extension for the panel and calls its serializer.
    const after = await waitFor(
      async () => {
        const page = await resultsPage();
        return page?.title === TITLE && page.restoredNotice.length > 0 ? page : undefined;
      },
      'the Query Results panel to come back after the reload',
      90_000,
    );
    await driver.screenshot('webview-restored-after-reload');
    assert.match(after.status, /^Done in /);
    assert.deepEqual(after.rows, before.rows, 'the rows the page saved');
    assert.deepEqual(after.placeholders, [`org_id = ${ORG}`, 'api_key = ••••'], 'the values the run used');
    assert.deepEqual(after.restoredNotice, [
      'Shown again after the window reloaded. Run the snippet again for current results.',
    ]);
    const nonceAfter = NONCE.exec(after.csp)?.[1];
    assert.ok(nonceAfter && nonceAfter !== nonceBefore, `a new nonce for the restored page: ${nonceAfter}`);
    assert.ok(!after.html.includes(apiKey), 'the secret typed for <api_key> is nowhere in the restored page');

    // The host has the rows back too: Save… offers the formats rather than saying there is nothing to save.
    await driver.click('.result-set .toolbar button.save');
    const pick = await second!.waitFor('.quick-input-widget .quick-input-title', {
      text: 'Save Query Results',
      timeoutMs: 15_000,
    });
    assert.match(pick.text, /Save Query Results/);
    await driver.press('Escape');
  });
});
