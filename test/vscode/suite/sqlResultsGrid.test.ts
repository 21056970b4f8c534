// The Query Results grid in a real VS Code: sort, filter, copy, save, its toolbar, its Content
// Security Policy, a panel closed before it finished loading, and the placeholder values in its header.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { ToWebview } from '../../../src/shared/results/protocol';
import {
  answerQuickInput,
  clickLens,
  diagnosticsUri,
  firstColumn,
  FIXTURE_ORG,
  fixtureProject,
  inResults,
  openAt,
  pgInfo,
  pickQuickItem,
  quickInputState,
  readText,
  removeRunbook,
  resultTexts,
  snippetLabelled,
  useProjects,
  waitForQuickInput,
  waitForRun,
  writeRunbook,
} from '../workbenchHelpers';
import { waitFor } from '../../helpers/wait';

describe('SQL results grid', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    await useProjects(api, [fixtureProject('fixture')], 'fixture');
    await api.secrets.store(api.projects.active, 'dbPassword', pgInfo!.password);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function runFourRows(): Promise<void> {
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    await openAt(diagnosticsUri(), four.startLine);
    const runs = api.journal.entries().length;
    await clickLens('Run on fixture');
    await waitForRun(api, runs, 'Done');
  }

  async function clickHeader(column: string): Promise<void> {
    await driver.click('.grid th button.sort', { text: column });
  }

  async function clipboardAfter(action: () => Promise<void>): Promise<string> {
    await vscode.env.clipboard.writeText('(nothing copied)');
    await action();
    await waitFor(
      async () => (await vscode.env.clipboard.readText()) !== '(nothing copied)',
      'the clipboard to change',
    );
    return vscode.env.clipboard.readText();
  }

  it('sorts by a clicked header, numbers as numbers, and reverses on a second click', async function () {
    await runFourRows();
    assert.deepEqual(await firstColumn(), ['3', '1', '2', '10'], 'the order the query returned');
    await clickHeader('n');
    assert.deepEqual(await firstColumn(), ['1', '2', '3', '10']);
    assert.deepEqual(
      await inResults<string[]>(`[...document.querySelectorAll('.grid th')].map((th) => th.getAttribute('aria-sort'))`),
      ['ascending', 'none', 'none'],
    );
    await clickHeader('n');
    assert.deepEqual(await firstColumn(), ['10', '3', '2', '1']);
    await clickHeader('name');
    assert.deepEqual(
      await inResults<string[]>(
        `[...document.querySelectorAll('.grid tbody tr:not(.spacer)')].map((tr) => tr.cells[1].innerText)`,
      ),
      ['alpha', 'beta', 'delta', 'gamma'],
    );
    await driver.screenshot('sql-grid-sorted');
  });

  it('filters rows as the user types, and Escape clears the filter', async function () {
    await runFourRows();
    await driver.click('input.filter');
    await driver.type('ta');
    await waitFor(async () => (await firstColumn()).length === 2, 'the filter to apply');
    assert.deepEqual(await firstColumn(), ['2', '10'], 'beta and delta contain "ta"');
    assert.deepEqual(await resultTexts('.shown'), ['2 of 4 rows match']);
    await driver.screenshot('sql-grid-filtered');
    await driver.press('Escape');
    await waitFor(async () => (await firstColumn()).length === 4, 'the filter to clear');
  });

  it('copies the shown rows, sorted and filtered, as CSV, Markdown and JSON', async function () {
    await runFourRows();
    await clickHeader('n');
    await clickHeader('n');
    await driver.click('input.filter');
    await driver.type('ta');
    await waitFor(async () => (await firstColumn()).length === 2, 'the filter to apply');

    const csv = await clipboardAfter(() => driver.click('.toolbar button.link', { text: 'CSV' }).then(() => undefined));
    assert.equal(csv, 'n,name,note\r\n10,delta,two\r\n2,beta,pipe | here\r\n');
    const markdown = await clipboardAfter(() =>
      driver.click('.toolbar button.link', { text: 'Markdown' }).then(() => undefined),
    );
    assert.equal(
      markdown,
      '| n | name | note |\n| --- | --- | --- |\n| 10 | delta | two |\n| 2 | beta | pipe \\| here |\n',
    );
    const json = await clipboardAfter(() =>
      driver.click('.toolbar button.link', { text: 'JSON' }).then(() => undefined),
    );
    assert.deepEqual(JSON.parse(json), [
      { n: '10', name: 'delta', note: 'two' },
      { n: '2', name: 'beta', note: 'pipe | here' },
    ]);
  });

  it('Save… asks for the format, then where, and writes the shown rows', async function () {
    await runFourRows();
    await clickHeader('n');
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'saved-results.json');
    await vscode.workspace.fs.delete(target).then(undefined, () => undefined);
    await driver.click('.toolbar button.save');
    await pickQuickItem('JSON');
    // The save dialog (VS Code's own in the browser) fills in the proposed path once it has read the folder; a path
    // typed before that is overwritten and the file lands elsewhere. So wait for the proposal, then replace it.
    await waitFor(
      async () =>
        (
          await driver.evaluate<string>(`document.querySelector('.quick-input-widget .quick-input-box input')?.value`)
        ).some((value) => typeof value === 'string' && value.endsWith('query-results.json')),
      'the save dialog to propose query-results.json',
    );
    await driver.screenshot('sql-save-dialog');
    await answerQuickInput(target.fsPath);
    await waitFor(
      async () =>
        vscode.workspace.fs.stat(target).then(
          () => true,
          () => false,
        ),
      'the file to be written',
    );
    const saved = JSON.parse(await readText(target)) as Array<Record<string, string | null>>;
    assert.deepEqual(saved, [
      { n: '1', name: 'alpha', note: null },
      { n: '2', name: 'beta', note: 'pipe | here' },
      { n: '3', name: 'gamma', note: 'x, y' },
      { n: '10', name: 'delta', note: 'two' },
    ]);
    await vscode.workspace.fs.delete(target);
  });

  it('keeps its toolbar on one line at a normal panel width, with buttons the keyboard reaches', async function () {
    await runFourRows();
    const layout = await inResults<{ width: number; tops: number[]; tags: string[]; tabbable: boolean[] }>(`(() => {
      const toolbar = document.querySelector('.toolbar');
      const items = [...toolbar.querySelectorAll('input, button')];
      return {
        width: document.documentElement.clientWidth,
        tops: items.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)),
        tags: items.map((e) => e.tagName + ':' + (e.innerText || e.getAttribute('aria-label'))),
        tabbable: items.map((e) => e.tabIndex >= 0 && !e.disabled),
      };
    })()`);
    assert.ok(layout.width >= 400 && layout.width <= 800, `a normal panel width: ${layout.width}px`);
    assert.deepEqual(layout.tags, [
      'INPUT:Filter rows',
      'BUTTON:CSV',
      'BUTTON:Markdown',
      'BUTTON:JSON',
      'BUTTON:Save…',
    ]);
    assert.ok(
      layout.tops.every((top) => Math.abs(top - layout.tops[0]) <= 2),
      `all on one line at ${layout.width}px: ${layout.tops.join(',')}`,
    );
    assert.ok(layout.tabbable.every(Boolean), 'every control is in the tab order');
    await driver.screenshot('sql-grid-toolbar');

    // Enter on a focused button copies, as a click does.
    await inResults(`(document.querySelector('.toolbar button.link[data-format="csv"]').focus(), true)`);
    const csv = await clipboardAfter(() => driver.press('Enter').then(() => undefined));
    assert.match(csv, /^n,name,note\r\n3,gamma,"x, y"\r\n/);
  });

  it('serves the page under a Content Security Policy with a nonce that is new for each panel', async function () {
    await runFourRows();
    // VS Code adds things of its own to every webview page (elements with ids starting with "_":
    // the acquireVsCodeApi script, the default styles; the theme's variables on <html>). The page's
    // own elements must follow the CSP; grid spacers are sized through the CSSOM, which CSP allows.
    const first = await inResults<{ csp: string; nonces: string[]; inline: string[]; ours: number }>(`(() => {
      const own = (e) => !(e.id || '').startsWith('_');
      const scripts = [...document.scripts].filter(own);
      const styled = [...document.querySelectorAll('style, [style]')].filter((e) => own(e) && e !== document.documentElement && e.tagName !== 'TD');
      return {
        csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
        nonces: scripts.map((s) => s.nonce),
        inline: [...scripts.filter((s) => !s.src), ...styled].map((e) => e.outerHTML.slice(0, 120)),
        ours: scripts.filter((s) => s.src.endsWith('/dist/webview/results.js')).length,
      };
    })()`);
    const nonce = /script-src 'nonce-([0-9a-f]{32})'/.exec(first.csp)?.[1];
    assert.ok(nonce, `a nonce in the CSP: ${first.csp}`);
    assert.equal(first.ours, 1, 'the page loads the bundled script');
    assert.deepEqual(first.nonces, [nonce], 'the one script carries the nonce');
    assert.deepEqual(first.inline, [], 'no inline script or style');
    assert.match(api.results.html ?? '', new RegExp(`nonce-${nonce}`));

    api.results.close();
    await runFourRows();
    const second = /script-src 'nonce-([0-9a-f]{32})'/.exec(api.results.html ?? '')?.[1];
    assert.ok(second && second !== nonce, 'the new panel has a new nonce');
  });

  it('shows results in a new panel when the panel was closed before its page loaded', async function () {
    api.results.close();
    const header = {
      runId: 9001,
      title: 'Closed before it loaded',
      project: 'fixture',
      production: false,
      mode: 'read' as const,
      source: 'test',
    };
    const finished: ToWebview = { type: 'finished', header, status: 'ok', sets: [], totalMs: 1, committed: false };
    const shown = api.results.show(finished);
    api.results.close(); // in the same tick: the page cannot have said it is ready
    const settled = await Promise.race([shown.then(() => true), sleep(20_000).then(() => false)]);
    assert.ok(settled, 'show() settles instead of waiting for a page that will never load');
    await driver.waitFor('.run-header[data-run-id="9001"] h1', { text: 'Closed before it loaded', timeoutMs: 10_000 });

    // And during a real run: the panel closed the moment it opens; the run still ends and is recorded.
    api.results.close();
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    const runs = api.journal.entries().length;
    const run = vscode.commands.executeCommand('runbook.runSql', diagnosticsUri(), four.index);
    await waitFor(() => api.results.visible || api.journal.entries().length > runs, 'the panel to open', 10_000);
    api.results.close();
    const finishedRun = await Promise.race([run.then(() => true), sleep(20_000).then(() => false)]);
    assert.ok(finishedRun, 'the run finished');
    assert.equal(api.journal.entries().length, runs + 1, 'and was recorded');
    await waitForRun(api, runs, 'Done');
  });

  it('a wait for the next render ends when the panel closes instead of hanging', async function () {
    await runFourRows();
    assert.ok(api.results.visible, 'the panel is open');
    const pending = api.results.nextRender();
    api.results.close();
    const outcome = await Promise.race([
      pending.then(
        () => 'painted',
        (error: Error) => error.message,
      ),
      sleep(5000).then(() => 'still waiting'),
    ]);
    assert.equal(outcome, 'The Query Results panel was closed before the results were painted.');

    // A wait begun with the panel open is answered by the next results.
    await runFourRows();
    const next = api.results.nextRender();
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    await vscode.commands.executeCommand('runbook.runSql', diagnosticsUri(), four.index);
    // Resolves with the paint's duration once the rows are painted; the test's timeout catches a hang.
    const ms = await next;
    assert.equal(typeof ms, 'number');
    assert.equal(api.results.lastRender?.rows, 4, 'the four rows were painted');
  });

  it('names the values the placeholders took in the header, a secret one masked, so "0 rows" says for which org', async function () {
    const otherOrg = '22222222-2222-2222-2222-222222222222';
    const apiKey = `sk-header-${Date.now()}`;
    const uri = await writeRunbook(
      api,
      'runbooks/header-values.md',
      [
        '# Header values',
        '',
        '## Usage of one org',
        '',
        '```sql',
        '-- Usage of one org',
        `SELECT org FROM (VALUES ('${FIXTURE_ORG}'::uuid)) AS t(org) WHERE org = '<org_id>'::uuid AND length('<api_key>') > 0;`,
        '```',
        '',
      ].join('\n'),
    );
    try {
      const snippet = snippetLabelled(api, 'header-values.md', /Usage of one org/);
      const runs = api.journal.entries().length;
      const run = vscode.commands.executeCommand('runbook.runSql', uri, snippet.index);
      await answerQuickInput(otherOrg);
      // The second question replaces the first in the same widget: answer it once it is there.
      await waitFor(
        () =>
          quickInputState().then(
            (input) => /\(2\/2\)/.test(input.title),
            () => false, // between the questions no input is open
          ),
        'the question for <api_key>',
      );
      await answerQuickInput(apiKey);
      await run;
      await waitForRun(api, runs, 'Done');
      assert.deepEqual(await resultTexts('.result-set .summary .count'), ['0 rows']);
      assert.deepEqual(await resultTexts('.run-header .placeholder'), [`org_id = ${otherOrg}`, 'api_key = ••••']);
      const secret = await inResults<{ title: string; className: string }>(
        `(() => { const v = document.querySelectorAll('.run-header .placeholder .value')[1]; return { title: v.title, className: v.className }; })()`,
      );
      assert.deepEqual(secret, { title: 'A secret: masked, never stored', className: 'value secret' });
      const page = await inResults<string>('document.documentElement.outerHTML');
      assert.ok(!page.includes(apiKey), 'the secret is nowhere in the page');
      assert.ok(!(api.results.html ?? '').includes(apiKey), 'nor in the HTML the panel was given');
      await driver.screenshot('sql-results-placeholder-values');
    } finally {
      await removeRunbook(api, uri);
    }
  });

  it("shows a failed run's status in the header line, not dressed as the error box below it", async function () {
    const stale = snippetLabelled(api, 'diagnostics.md', /Top queries by mean time/);
    const runs = api.journal.entries().length;
    await vscode.commands.executeCommand('runbook.runSql', diagnosticsUri(), stale.index);
    await waitForRun(api, runs, 'Failed');
    const look = await inResults<{
      border: string;
      padding: string;
      statusMiddle: number;
      projectMiddle: number;
    }>(`(() => {
      const status = document.querySelector('.run-header .status');
      const project = document.querySelector('.run-header .project');
      const middle = (e) => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); };
      const style = getComputedStyle(status);
      return { border: style.borderLeftWidth, padding: style.paddingLeft, statusMiddle: middle(status), projectMiddle: middle(project) };
    })()`);
    assert.equal(look.border, '0px', 'no error-box border on the status');
    assert.equal(look.padding, '0px', 'no error-box padding on the status');
    assert.ok(
      Math.abs(look.statusMiddle - look.projectMiddle) <= 2,
      `on the line of the project badge: ${look.statusMiddle} vs ${look.projectMiddle}`,
    );
    assert.equal((await resultTexts('section.error h2')).length, 1, 'the error box itself is there');
  });

  it('never takes the keyboard from a prompt: a run shown while the user types leaves Enter to the prompt', async function () {
    await runFourRows(); // the panel is open beside the editor
    const typed = vscode.window.showInputBox({ title: 'A prompt the user is answering', ignoreFocusOut: true });
    await waitForQuickInput();
    const header = {
      runId: 9100,
      title: 'Shown while a prompt has the keyboard',
      project: 'fixture',
      production: false,
      mode: 'read' as const,
      source: 'test',
    };
    await api.results.show({ type: 'running', header, statementCount: 1 });
    await driver.waitFor('.run-header[data-run-id="9100"] ~ .running button.cancel', { timeoutMs: 10_000 });
    await driver.type('still mine');
    await driver.press('Enter');
    const answer = await Promise.race([typed, sleep(5000).then(() => 'the prompt never got Enter')]);
    assert.equal(answer, 'still mine', 'the prompt kept the keyboard');
    assert.deepEqual(await resultTexts('button.cancel'), ['Cancel'], 'and the Cancel button was not pressed');
  });
});
