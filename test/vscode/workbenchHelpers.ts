// Helpers for the suites in code-server: the fixture database, the editor's lenses, the quick
// input, the Query Results webview and the Playbooks tree, all driven as a user would.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Client } from 'pg';
import { driver } from './driver';
import { sleep, workspaceUri } from './extensionApi';
import type { RunbookCompanionApi } from '../../src/vscode/api';
import type { PlaybookTreeNode } from '../../src/vscode/tree/treeNodes';
import { waitFor } from '../helpers/wait';

export interface PgInfo {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

/** The suite's PostgreSQL (started by scripts/test.mjs), or undefined when it could not start. */
export const pgInfo: PgInfo | undefined = process.env.RUNBOOK_TEST_PG
  ? (JSON.parse(process.env.RUNBOOK_TEST_PG) as PgInfo)
  : undefined;
export const FIXTURE_ORG = '11111111-1111-1111-1111-111111111111';
/** application_name of every connection the extension's runner opens. */
export const APP_NAME = 'runbook-companion';

export async function adminQuery<T = Record<string, unknown>>(
  sql: string,
  values: unknown[] = [],
  target: Partial<PgInfo> = {},
): Promise<T[]> {
  const client = new Client({ ...pgInfo!, ...target, application_name: 'runbook-test-admin' });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** Server sessions of the extension (optionally only those in a state such as 'active'). */
export async function serverSessions(state?: string, target: Partial<PgInfo> = {}): Promise<number> {
  const rows = await adminQuery<{ n: number }>(
    'select count(*)::int as n from pg_stat_activity where application_name = $1 and ($2::text is null or state = $2)',
    [APP_NAME, state ?? null],
    target,
  );
  return rows[0].n;
}

export function fixtureProject(
  name: string,
  extra: Record<string, unknown> = {},
  db: Partial<PgInfo> = {},
): Record<string, unknown> {
  const info = { ...pgInfo!, ...db };
  return {
    name,
    db: { host: info.host, port: info.port, user: info.user, database: info.database, sslmode: 'disable' },
    ...extra,
  };
}

export async function useProjects(api: RunbookCompanionApi, projects: unknown[], active: string): Promise<void> {
  await vscode.workspace.getConfiguration('runbook').update('projects', projects, vscode.ConfigurationTarget.Workspace);
  await api.projects.reload();
  await api.projects.setActive(active);
}

export function runbookUri(): vscode.Uri {
  return workspaceUri('RUNBOOK.md');
}

export function diagnosticsUri(): vscode.Uri {
  return workspaceUri('runbooks', 'diagnostics.md');
}

/** A snippet of an indexed runbook, found by its label. */
export function snippetLabelled(api: RunbookCompanionApi, fileName: string, label: RegExp) {
  const entry = api.index.all.find((e) => e.uri.path.endsWith(fileName));
  const snippet = entry?.runbook.snippets.find((s) => label.test(s.label));
  assert.ok(snippet, `no snippet matching ${label} in ${fileName}`);
  return snippet;
}

/** Opens a runbook with `line` (0-based) near the top, so its lenses are on screen. */
export async function openAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), {
    viewColumn: vscode.ViewColumn.One,
    preview: false,
  });
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  await waitFor(
    () => editor.visibleRanges.some((r) => r.start.line <= position.line && r.end.line > line),
    'the editor to scroll',
  );
  await sleep(300); // let the editor draw its lenses before anything is clicked
  return editor;
}

/**
 * Clicks a lens. Lenses are re-provided now and then; a click that lands on one just replaced gets
 * "Actual command not found" from VS Code and does nothing, so that click is made once more.
 */
export async function clickLens(text: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await driver.waitFor('.codelens-decoration a', { text, timeoutMs: 15_000 });
    // A lens VS Code shows from its cache, or scrolled into view, is plain text until it is resolved again: the
    // topmost one must be a link, or the click goes to another lens with the same text below it.
    await waitFor(
      async () => (await driver.evaluate<boolean>(topmostLensIsLink(text)))[0],
      `the topmost lens "${text}" to be a link`,
    );
    await sleep(150); // the provider coalesces refreshes for 100 ms
    await driver.click('.codelens-decoration a', { text, topmost: true });
    await sleep(250);
    const stale = (await driver.query('.notifications-toasts .notification-list-item')).some(
      (n) => n.visible && n.text.includes('Actual command not found'),
    );
    if (!stale) return;
    await vscode.commands.executeCommand('notifications.clearAll');
    assert.ok(attempt < 3, `the lens "${text}" kept being replaced under the click`);
  }
}

/** A page script: whether the topmost drawn lens with `text` is a link (resolved) rather than plain text. */
export function topmostLensIsLink(text: string): string {
  return `(() => {
    const rows = [...document.querySelectorAll('.codelens-decoration')].filter((d) => d.textContent.includes(${JSON.stringify(text)}))
      .map((d) => ({ d, r: d.getBoundingClientRect() }))
      .filter(({ d, r }) => r.width > 0 && d.contains(document.elementFromPoint(r.left + Math.min(r.width / 2, 20), r.top + r.height / 2)))
      .sort((x, y) => x.r.top - y.r.top);
    return rows.length > 0 && [...rows[0].d.querySelectorAll('a')].some((a) => a.textContent.includes(${JSON.stringify(text)}));
  })()`;
}

/** The runner's id of the last run in the journal (its id reads sql-<runId>-<time>). */
export function lastRunId(api: RunbookCompanionApi): number {
  const id = api.journal.entries().at(-1)?.id ?? '';
  const match = /^sql-(\d+)-/.exec(id);
  assert.ok(match, `the last journal entry is a SQL run: ${id}`);
  return Number(match[1]);
}

/**
 * Waits until a run started after `runsBefore` journal entries is recorded and the results page
 * shows that very run with a status such as "Done", "Failed", "Cancelled", "Committed".
 */
export async function waitForRun(
  api: RunbookCompanionApi,
  runsBefore: number,
  status: string,
  timeoutMs = 20_000,
): Promise<number> {
  await waitFor(() => api.journal.entries().length > runsBefore, 'the run to be recorded', timeoutMs);
  const runId = lastRunId(api);
  await driver.waitFor(`.run-header[data-run-id="${runId}"] .status`, { text: status, timeoutMs });
  return runId;
}

/** The quick input as rendered: its text box (type, value) and any validation message. */
export async function quickInputState(): Promise<{ type: string; value: string; message: string; title: string }> {
  const [state] = await driver.evaluate<{
    type: string;
    value: string;
    message: string;
    title: string;
  } | null>(`(() => {
    const widget = document.querySelector('.quick-input-widget');
    const input = widget && widget.querySelector('.quick-input-box input');
    if (!input || widget.style.display === 'none') return null;
    return { type: input.type, value: input.value, message: (widget.querySelector('.quick-input-message') || {}).innerText || '', title: (widget.querySelector('.quick-input-title') || {}).innerText || '' };
  })()`);
  assert.ok(state, 'a quick input is open');
  return state;
}

export async function waitForQuickInput(): Promise<void> {
  await driver.waitFor('.quick-input-widget .quick-input-box input', { timeoutMs: 10_000 });
}

/** Replaces whatever the open quick input holds with `value` and presses Enter. */
export async function answerQuickInput(value: string): Promise<void> {
  await waitForQuickInput();
  // Typed before the box has the keyboard, the keys land in whatever had it (a tree, an editor) and Enter with them.
  await waitFor(
    async () =>
      (
        await driver.evaluate<boolean>(
          `Boolean(document.activeElement && document.activeElement.matches('.quick-input-widget .quick-input-box input'))`,
        )
      ).some(Boolean),
    'the quick input to have the keyboard',
  );
  await driver.evaluate(
    `(() => { const i = document.querySelector('.quick-input-widget .quick-input-box input'); if (i) i.select(); return true; })()`,
  );
  await driver.type(value);
  await driver.press('Enter');
}

/** Waits until no quick input is on screen, so the next command's picker is not mistaken for this one. */
export async function waitForQuickInputClosed(): Promise<void> {
  await waitFor(
    async () => !(await driver.query('.quick-input-widget')).some((w) => w.visible),
    'the quick input to close',
  );
}

/**
 * Picks the quick pick item labelled `label` the keyboard way: the label typed as the filter until only
 * that item is left, then Enter. A click could land while the list is still being laid out and close
 * the pick without choosing anything.
 */
export async function pickQuickItem(label: string, frame: { frameUrlIncludes?: string } = {}): Promise<void> {
  const rows = '.quick-input-widget .quick-input-list .monaco-list-row';
  await driver.waitFor(rows, { text: label, timeoutMs: 10_000, ...frame });
  await waitFor(
    async () =>
      (
        await driver.evaluate<boolean>(
          `Boolean(document.activeElement && document.activeElement.closest('.quick-input-widget'))`,
          frame,
        )
      ).some(Boolean),
    'the quick pick to have the keyboard',
  );
  await driver.type(label);
  await waitFor(async () => {
    const shown = (await driver.query(rows, frame)).filter((r) => r.visible);
    return shown.length === 1 && shown[0].text.startsWith(label);
  }, `only "${label}" to be left in the quick pick`);
  await driver.press('Enter');
}

/** Evaluates `expression` in the Query Results webview's document (the frame that has main#app). */
export async function inResults<T>(expression: string): Promise<T> {
  const values = await driver.evaluate<{ found: boolean; value: T }>(
    `(() => { if (!document.querySelector('main#app')) return { found: false }; return { found: true, value: (${expression}) }; })()`,
  );
  const hit = values.find((v) => v && v.found);
  assert.ok(hit, 'the Query Results webview is open');
  return hit.value;
}

/** Texts of elements in the results webview. */
export async function resultTexts(selector: string): Promise<string[]> {
  return inResults<string[]>(
    `[...document.querySelectorAll(${JSON.stringify(selector)})].map((e) => e.innerText.trim())`,
  );
}

/** The first cell of each rendered grid row of result set `set`. */
export async function firstColumn(set = 0): Promise<string[]> {
  return inResults<string[]>(
    `[...document.querySelectorAll('.result-set')[${set}].querySelectorAll('.grid tbody tr:not(.spacer)')].map((tr) => tr.cells[0].innerText)`,
  );
}

/** The tree node of a snippet, found by walking the tree as the user would expand it. */
export function findSnippetNode(api: RunbookCompanionApi, uri: vscode.Uri, snippetIndex: number): PlaybookTreeNode {
  const walk = (nodes: PlaybookTreeNode[]): PlaybookTreeNode | undefined => {
    for (const node of nodes) {
      if (node.type === 'content' && node.content.kind === 'snippet' && node.content.snippetIndex === snippetIndex)
        return node;
      const found = walk(api.tree.getChildren(node));
      if (found) return found;
    }
    return undefined;
  };
  const root = api.tree.getChildren().find((n) => n.entry.uri.toString() === uri.toString());
  const node = root && walk([root]);
  assert.ok(node, `no tree node for snippet ${snippetIndex} of ${uri.path}`);
  return node;
}

export function nodeLabel(api: RunbookCompanionApi, node: PlaybookTreeNode): string {
  const label = api.tree.getTreeItem(node).label;
  return typeof label === 'string' ? label : (label?.label ?? '');
}

/** Every file under a folder, recursively. */
export async function filesUnder(folder: vscode.Uri): Promise<vscode.Uri[]> {
  const out: vscode.Uri[] = [];
  let entries: [string, vscode.FileType][];
  try {
    entries = await vscode.workspace.fs.readDirectory(folder);
  } catch {
    return out;
  }
  for (const [name, type] of entries) {
    const child = vscode.Uri.joinPath(folder, name);
    if (type === vscode.FileType.Directory) out.push(...(await filesUnder(child)));
    else out.push(child);
  }
  return out;
}

export async function readText(uri: vscode.Uri): Promise<string> {
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}

/** Writes a runbook into the test workspace (a fresh copy per run) and waits until the index has it. */
export async function writeRunbook(
  api: RunbookCompanionApi,
  relativePath: string,
  markdown: string,
): Promise<vscode.Uri> {
  const uri = workspaceUri(...relativePath.split('/'));
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(markdown));
  await waitFor(
    () => api.index.all.some((e) => e.uri.toString() === uri.toString() && e.runbook.snippets.length > 0),
    `the index to pick up ${relativePath}`,
  );
  return uri;
}

export async function removeRunbook(api: RunbookCompanionApi, uri: vscode.Uri): Promise<void> {
  await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  await waitFor(() => !api.index.all.some((e) => e.uri.toString() === uri.toString()), 'the index to drop the runbook');
}

/** The runbook's journal file (runs.jsonl) in the extension's workspace storage, found from its log folder. */
export async function journalFiles(api: RunbookCompanionApi): Promise<vscode.Uri[]> {
  // logUri: <user-data>/logs/<session>/…/<extension id>; the storage: <user-data>/User/workspaceStorage/<id>/<extension id>/.
  const segments = api.logUri.path.split('/');
  const logs = segments.lastIndexOf('logs');
  assert.ok(logs > 0, `the log folder ${api.logUri.path} is under <user-data>/logs`);
  const userData = api.logUri.with({ path: segments.slice(0, logs).join('/') });
  const files = await filesUnder(vscode.Uri.joinPath(userData, 'User', 'workspaceStorage'));
  return files.filter((f) => f.path.endsWith('/runbook-companion.runbook-companion/runs.jsonl'));
}

/**
 * A second VS Code window on the same workspace, with the same extension under development but without
 * the test runner: code-server refuses every dialog in the window that runs the tests (its DialogService
 * checks for extensionTestsLocationURI before showing one), so a real modal can only be shown and
 * answered here. It is an iframe laid over the test window, and the UI driver reaches into it by the
 * marker in its URL.
 */
export class SecondWindow {
  static readonly MARKER = 'runbookSecondWindow';
  readonly frame = { frameUrlIncludes: SecondWindow.MARKER };

  static async open(): Promise<SecondWindow> {
    const [page] = (
      await driver.evaluate<string | null>(
        `window.top === window && document.querySelector('.monaco-workbench') ? location.href : null`,
      )
    ).filter((u): u is string => Boolean(u));
    assert.ok(page, "the test window's address");
    const url = new URL(page);
    const payload = JSON.parse(url.searchParams.get('payload') ?? '[]') as [string, string][];
    assert.ok(
      payload.some(([key]) => key === 'extensionTestsPath'),
      'the test window runs the tests',
    );
    url.searchParams.set('payload', JSON.stringify(payload.filter(([key]) => key !== 'extensionTestsPath')));
    url.searchParams.set(SecondWindow.MARKER, '1');
    await driver.evaluate(`(() => {
      if (window.top !== window || !document.querySelector('.monaco-workbench')) return false;
      const frame = document.createElement('iframe');
      frame.id = ${JSON.stringify(SecondWindow.MARKER)};
      frame.src = ${JSON.stringify(url.toString())};
      frame.style.cssText = 'position:fixed;inset:0;width:100vw;height:100vh;border:0;z-index:100000;background:var(--vscode-editor-background, white)';
      document.body.appendChild(frame);
      return true;
    })()`);
    const opened = new SecondWindow();
    // The extension is up in that window once its project item is in the status bar.
    await driver.waitFor('#runbook-companion\\.runbook-companion\\.runbook\\.project', {
      ...opened.frame,
      timeoutMs: 60_000,
    });
    // It opens with the editors the workspace's saved layout holds (a restored Query Results panel among them):
    // a test starts from an empty window, with nothing of earlier tests in the way of its clicks.
    await opened.closeAllEditors();
    return opened;
  }

  /** Runs a command from this window's command palette, by its label, as a user would. */
  async runCommand(label: string): Promise<void> {
    await this.click('.monaco-workbench .part.statusbar');
    await driver.press('Control+Shift+P');
    await this.waitFor('.quick-input-widget .quick-input-box input');
    await driver.type(label);
    // The exact label must be the first offered, before longer ones ("… in Group", "… With Extensions Disabled").
    await waitFor(async () => {
      const labels = (
        await driver.query('.quick-input-widget .quick-input-list .monaco-list-row .label-name', this.frame)
      ).filter((row) => row.visible);
      return labels.length > 0 && labels[0].text === label;
    }, `the command palette to offer "${label}" first`);
    await driver.press('Enter');
  }

  async closeAllEditors(): Promise<void> {
    await this.runCommand('View: Close All Editors');
    await waitFor(
      async () => (await this.evaluate<number>(`document.querySelectorAll('.tabs-container .tab').length`)) === 0,
      'the other window to close its editors',
    );
  }

  waitFor(selector: string, options: { text?: string; timeoutMs?: number } = {}) {
    return driver.waitFor(selector, { ...options, ...this.frame });
  }

  click(selector: string, options: { text?: string; timeoutMs?: number; topmost?: boolean } = {}) {
    return driver.click(selector, { ...options, ...this.frame });
  }

  async evaluate<T>(expression: string): Promise<T> {
    const [value] = await driver.evaluate<T>(expression, this.frame);
    return value;
  }

  /** Opens a workspace file by name through Quick Open, as a user would; done when the editor shows `shown`. */
  async openFile(name: string, shown = '```sql'): Promise<void> {
    await this.click('.monaco-workbench .part.statusbar');
    await driver.press('Control+P');
    await this.waitFor('.quick-input-widget .quick-input-box input');
    await driver.type(name);
    await this.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', { text: name });
    await driver.press('Enter');
    await this.waitFor('.monaco-editor .view-lines', { text: shown });
  }

  pick(label: string): Promise<void> {
    return pickQuickItem(label, this.frame);
  }

  /** The quick input of this window, when one is open: its type, value, title and validation message. */
  async quickInput(): Promise<{ type: string; value: string; title: string; message: string } | null> {
    return this.evaluate(`(() => {
      const widget = document.querySelector('.quick-input-widget');
      const input = widget && widget.querySelector('.quick-input-box input');
      if (!input || widget.style.display === 'none') return null;
      return { type: input.type, value: input.value, title: (widget.querySelector('.quick-input-title') || {}).innerText || '', message: (widget.querySelector('.quick-input-message') || {}).innerText || '' };
    })()`);
  }

  /** The modal dialog as drawn: message, detail and buttons. */
  async dialog(): Promise<{ message: string; detail: string; buttons: string[]; modal: boolean } | null> {
    return this.evaluate(`(() => {
      const box = document.querySelector('.monaco-dialog-box');
      if (!box) return null;
      const text = (selector) => (box.querySelector(selector) || {}).innerText || '';
      return {
        message: text('.dialog-message-text'),
        detail: text('.dialog-message-detail'),
        buttons: [...box.querySelectorAll('.dialog-buttons .monaco-button')].map((b) => b.innerText.trim()),
        modal: Boolean(document.querySelector('.monaco-dialog-modal-block')),
      };
    })()`);
  }

  async close(): Promise<void> {
    await driver.evaluate(
      `(() => { const frame = document.getElementById(${JSON.stringify(SecondWindow.MARKER)}); if (frame) frame.remove(); return true; })()`,
    );
  }
}
