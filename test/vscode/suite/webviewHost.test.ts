// The webview host (src/vscode/webview) in a real VS Code: a fresh nonce on every render; values from the database
// and the user stay inert text; a page that never loads is given up; a page VS Code reloads is waited for; and
// nothing is posted to, opened for or waited on past a disposed panel or host. The restore after a window reload is in webviewReload.test.ts.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { EXTENSION_ID, activateExtension, sleep } from '../extensionApi';
import { waitFor } from '../../helpers/wait';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { WebviewPanelHost, type PanelDefinition } from '../../../src/vscode/webview/panelHost';
import { ResultsPanel } from '../../../src/vscode/sql/resultsPanel';
import type { ResultsProtocol, RunHeader } from '../../../src/shared/results/protocol';
import {
  answerQuickInput,
  clickLens,
  diagnosticsUri,
  fixtureProject,
  inResults,
  openAt,
  pgInfo,
  removeRunbook,
  snippetLabelled,
  useProjects,
  waitForRun,
  writeRunbook,
} from '../workbenchHelpers';

const NONCE = /script-src 'nonce-([0-9a-f]{32})'/;

/** The tabs VS Code shows for webview panels titled `title`, in every editor group. */
function tabsTitled(title: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((group) =>
    group.tabs.filter((tab) => tab.label === title && tab.input instanceof vscode.TabInputWebview),
  );
}

/** A host of its own for the tests, with the Query Results page and a view type no serializer restores. */
function probeHost(
  title: string,
  more: Partial<PanelDefinition<ResultsProtocol>> = {},
): WebviewPanelHost<ResultsProtocol> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  return new WebviewPanelHost<ResultsProtocol>(extension.extensionUri, {
    viewType: 'runbook.test.hostProbe',
    title,
    entry: 'results',
    styles: ['results.css'],
    ...more,
  });
}

function header(runId: number, title: string): RunHeader {
  return { runId, title, project: 'fixture', production: false, mode: 'read', source: 'test' };
}

describe('Webview host', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    await useProjects(api, [fixtureProject('fixture')], 'fixture');
    await api.secrets.store(api.projects.active, 'dbPassword', pgInfo!.password);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Runs the four-row block from its lens; resolves once its rows are painted. */
  async function runFourRows(): Promise<number> {
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    await openAt(diagnosticsUri(), four.startLine);
    const runs = api.journal.entries().length;
    const painted = api.results.nextRender();
    await clickLens('Run on fixture');
    const runId = await waitForRun(api, runs, 'Done');
    await painted;
    return runId;
  }

  /** The page's CSP as the browser has it, and the nonce of each of the page's own scripts. */
  async function pageSecurity(): Promise<{ csp: string; nonces: string[] }> {
    return inResults(`(() => ({
      csp: document.querySelector('meta[http-equiv="Content-Security-Policy"]').getAttribute('content'),
      nonces: [...document.scripts].filter((s) => !(s.id || '').startsWith('_')).map((s) => s.nonce),
    }))()`);
  }

  it('renders every page under a deny-by-default CSP with a nonce of its own', async function () {
    await runFourRows();
    const first = await pageSecurity();
    const nonce = NONCE.exec(first.csp)?.[1];
    assert.ok(nonce, `a nonce in the CSP: ${first.csp}`);
    assert.deepEqual(first.nonces, [nonce], 'the one script of the page carries it');
    // webview.cspSource: the origin VS Code serves the extension's own files from.
    const source = /style-src ([^;]+);/.exec(first.csp)?.[1];
    assert.ok(source, first.csp);
    assert.equal(
      first.csp,
      `default-src 'none'; style-src ${source}; script-src 'nonce-${nonce}'; img-src ${source} data:;`,
      'nothing else is allowed: no inline script or style, no other origin, no eval',
    );
    assert.ok(api.results.html?.includes(`script-src 'nonce-${nonce}'`), 'the page is the one the host set');

    // Every render is a new page with a new nonce: the panel closed and opened again by the next run.
    const nonces = new Set([nonce]);
    for (let i = 0; i < 2; i++) {
      api.results.close();
      await runFourRows();
      const next = NONCE.exec((await pageSecurity()).csp)?.[1];
      assert.ok(next && !nonces.has(next), `render ${i + 2} has a nonce of its own: ${next}`);
      nonces.add(next);
    }
  });

  it('keeps hostile values inert: markup from the database, a column name, a label and a placeholder stay text', async function () {
    const img = '<img src=x onerror="window.pwned=1">';
    const script = '</script><svg onload=window.pwned=2>';
    const typed = '<img src=y onerror="window.pwned=3">';
    const uri = await writeRunbook(
      api,
      'runbooks/hostile.md',
      [
        '# Hostile values',
        '',
        '## Markup in the data',
        '',
        '```sql',
        `-- Markup everywhere </script><svg onload="window.pwned=4">`,
        `SELECT '${img}' AS "${script}", '<label>' AS echoed;`,
        '```',
        '',
      ].join('\n'),
    );
    try {
      const snippet = snippetLabelled(api, 'hostile.md', /Markup everywhere/);
      const runs = api.journal.entries().length;
      const run = vscode.commands.executeCommand('runbook.runSql', uri, snippet.index);
      await answerQuickInput(typed);
      await run;
      await waitForRun(api, runs, 'Done');
      const page = await inResults<{
        title: string;
        columns: string[];
        cells: string[];
        placeholders: string[];
        injected: string[];
        scripts: number;
        pwned: unknown;
      }>(`(() => ({
        title: document.querySelector('.run-header h1').textContent,
        columns: [...document.querySelectorAll('.grid th .name')].map((e) => e.textContent),
        cells: [...document.querySelectorAll('.grid tbody td')].map((e) => e.textContent),
        placeholders: [...document.querySelectorAll('.placeholder')].map((e) => e.textContent),
        injected: [...document.querySelectorAll('img, svg, iframe, object, embed')].map((e) => e.outerHTML),
        scripts: [...document.scripts].filter((s) => !(s.id || '').startsWith('_')).length,
        pwned: window.pwned,
      }))()`);
      await driver.screenshot('webview-hostile-values');
      assert.deepEqual(page.injected, [], 'no element was made from a value');
      assert.equal(page.scripts, 1, 'no script was added to the page');
      assert.equal(page.pwned, undefined, 'no handler ran');
      assert.equal(page.title, 'Markup everywhere </script><svg onload="window.pwned=4">');
      assert.deepEqual(page.columns, [script, 'echoed']);
      assert.deepEqual(page.cells, [img, typed]);
      assert.deepEqual(page.placeholders, [`label = ${typed}`]);
    } finally {
      await removeRunbook(api, uri);
    }
  });

  it('gives up a page that never loads: closed once, the post answered false, no second panel', async function () {
    const host = probeHost('Never loads', { entry: 'missing-bundle', readyTimeoutMs: 2000 });
    let opened = 0;
    const counting = vscode.window.tabGroups.onDidChangeTabs((change) => {
      opened += change.opened.filter((tab) => tab.label === 'Never loads').length;
    });
    try {
      const started = Date.now();
      const delivered = await host.post(
        { type: 'running', header: header(1, 'never'), statementCount: 1 },
        { reopen: true },
      );
      assert.equal(delivered, false);
      assert.ok(Date.now() - started >= 2000, 'it waited for the page as long as promised');
      await waitFor(() => tabsTitled('Never loads').length === 0, 'the stuck panel to close');
      assert.equal(opened, 1, 'one panel, given up: not opened again to wait on the same page');
      assert.equal(host.visible, false);
    } finally {
      counting.dispose();
      host.dispose();
    }
  });

  it('waits for a page VS Code loads afresh, says each time the page loads, and leaves a hidden panel hidden', async function () {
    const host = probeHost('Reloading page'); // without retainContextWhenHidden: VS Code drops its page while hidden
    let loads = 0;
    const counting = host.onDidLoadPage(() => loads++);
    try {
      assert.equal(await host.post({ type: 'running', header: header(1, 'first'), statementCount: 1 }), true);
      assert.equal(loads, 1);
      await driver.waitFor('.run-header[data-run-id="1"] h1', { text: 'first' });
      const column = tabsTitled('Reloading page')[0].group.viewColumn;
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(diagnosticsUri()), {
        viewColumn: column,
        preview: false,
      });
      await waitFor(() => !host.visible, 'the panel to be hidden behind the editor');

      // An update in the background reaches no page and brings none forward.
      const background = { type: 'running' as const, header: header(2, 'second'), statementCount: 1 };
      assert.equal(await host.post(background, { reveal: false }), false, 'its page is not there');
      assert.equal(host.visible, false, 'still hidden');
      assert.equal(loads, 1);

      // Shown again by a post: VS Code loads the page afresh, and the post waits for it instead of losing the message.
      assert.equal(await host.post({ type: 'running', header: header(3, 'third'), statementCount: 1 }), true);
      assert.equal(loads, 2, 'the page said ready again, and the host said so');
      await driver.waitFor('.run-header[data-run-id="3"] h1', { text: 'third', timeoutMs: 10_000 });
    } finally {
      counting.dispose();
      host.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('posts nothing to, opens nothing for, and waits on nothing past a disposed panel or host', async function () {
    const host = probeHost('Guard probe');
    const results = new ResultsPanel(host, { onCancel: () => undefined });
    try {
      assert.equal(await host.post({ type: 'running', header: header(1, 'first'), statementCount: 1 }), true);
      await waitFor(() => tabsTitled('Guard probe').length === 1, 'the probe panel to open');

      // Closed while a post waits for a new page: the post answers at once instead of waiting out the timeout.
      host.close();
      const pending = host.post({ type: 'running', header: header(2, 'second'), statementCount: 1 });
      const render = results.nextRender();
      host.dispose();
      const outcome = await Promise.race([pending, sleep(5000).then(() => 'still waiting')]);
      assert.equal(outcome, false, 'the post waiting for the page ends with the host');
      const rendered = await Promise.race([
        render.then(
          () => 'painted',
          (error: Error) => error.message,
        ),
        sleep(5000).then(() => 'still waiting'),
      ]);
      assert.equal(rendered, 'The Query Results panel was closed before the results were painted.');
      await waitFor(() => tabsTitled('Guard probe').length === 0, 'the panel to close with its host');

      // After dispose: nothing opens, nothing throws, nothing waits.
      assert.equal(
        await host.post({ type: 'running', header: header(3, 'third'), statementCount: 1 }, { reopen: true }),
        false,
      );
      await results.show({
        type: 'finished',
        header: header(4, 'late'),
        status: 'ok',
        sets: [],
        totalMs: 1,
        committed: false,
      });
      host.close();
      assert.equal(host.visible, false);
      assert.equal(host.html, undefined);
      await sleep(500); // a panel opened by mistake would be on screen by now
      assert.deepEqual(tabsTitled('Guard probe'), [], 'no panel came back');
    } finally {
      results.dispose();
      host.dispose();
    }
  });
});
