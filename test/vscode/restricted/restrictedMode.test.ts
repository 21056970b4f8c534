// In an untrusted workspace (Workspace Trust) the runbook can be read, but nothing runs, and the lens says why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, workspaceUri, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { findSnippetNode, revealInPlaybooks } from '../workbenchHelpers';
import { waitFor } from '../../helpers/wait';

const SQL_LENS = 'SQL does not run in Restricted Mode';
const SHELL_LENS = 'Running is disabled in Restricted Mode';

/** code-server always has the UI driver; there a missing one is a broken harness, not a reason to skip. */
function requireDriverInCodeServer(): boolean {
  if (driver.available) return true;
  assert.notEqual(
    vscode.env.uiKind,
    vscode.UIKind.Web,
    'this is code-server, yet the UI driver is missing: the rendered lenses cannot be checked',
  );
  return false;
}

async function lensTitles(uri: vscode.Uri, line: number): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  return lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
}

async function showAt(uri: vscode.Uri, line: number): Promise<void> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
  editor.revealRange(
    new vscode.Range(Math.max(0, line - 1), 0, Math.max(0, line - 1), 0),
    vscode.TextEditorRevealType.AtTop,
  );
  await sleep(300);
}

describe('Restricted Mode', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    api = await activateExtension();
  });

  it('opens untrusted', function () {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still shows the playbook tree', function () {
    assert.ok(api.index.all.some((e) => e.runbook.playbooks.length === 5));
  });

  it('says on the SQL lens and on the shell lens, in words of their own, why nothing runs', async function () {
    const shellUri = workspaceUri('runbooks', 'cli.md');
    const shellDoc = await vscode.workspace.openTextDocument(shellUri);
    const echo = (await api.index.modelFor(shellDoc)).runbook.snippets.find((s) => /marker/.test(s.label))!;
    const sqlUri = workspaceUri('runbooks', 'diagnostics.md');
    const sqlDoc = await vscode.workspace.openTextDocument(sqlUri);
    const sqlSnippet = (await api.index.modelFor(sqlDoc)).runbook.snippets.find((s) => s.category === 'sql')!;

    // What the provider offers, in any VS Code.
    const sqlTitles = await waitFor(async () => {
      const t = await lensTitles(sqlUri, sqlSnippet.startLine);
      return t.length ? t : undefined;
    }, 'the SQL lenses');
    assert.deepEqual(sqlTitles, [`$(shield) ${SQL_LENS}`, '$(copy) Copy']);
    const shellTitles = await lensTitles(shellUri, echo.startLine);
    assert.ok(
      shellTitles.some((t) => t.includes(SHELL_LENS)),
      `shell lenses: ${shellTitles.join(' | ')}`,
    );
    assert.ok(
      !shellTitles.some((t) => t.includes(SQL_LENS)) && !sqlTitles.some((t) => t.includes(SHELL_LENS)),
      'the two say different things',
    );
    assert.ok(![...sqlTitles, ...shellTitles].some((t) => /Run (on|in)/.test(t)), 'no run lens at all');

    // What the user sees.
    if (!requireDriverInCodeServer()) return;
    await showAt(shellUri, echo.startLine);
    await driver.waitFor('.codelens-decoration a', { text: SHELL_LENS, timeoutMs: 15_000 });
    await driver.screenshot('restricted-mode-lens');
    await showAt(sqlUri, sqlSnippet.startLine);
    await driver.waitFor('.codelens-decoration a', { text: SQL_LENS, timeoutMs: 15_000 });
    await driver.screenshot('restricted-mode-sql-lens');
    const rendered = (await driver.query('.codelens-decoration a')).filter((l) => l.visible).map((l) => l.text);
    assert.ok(!rendered.some((l) => /Run (on|in)/.test(l)), `no run lens rendered: ${rendered.join(' | ')}`);
  });

  it('shows no Run action on a SQL snippet in the tree', async function () {
    if (!requireDriverInCodeServer()) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.runbook');
    const sqlUri = workspaceUri('runbooks', 'diagnostics.md');
    const sqlSnippet = (
      await api.index.modelFor(await vscode.workspace.openTextDocument(sqlUri))
    ).runbook.snippets.find((s) => s.category === 'sql')!;
    const snippetNode = findSnippetNode(api, sqlUri, sqlSnippet.index);
    assert.equal(api.tree.getTreeItem(snippetNode).contextValue, 'snippet.sql');
    await revealInPlaybooks(api, snippetNode, { select: true, focus: true, expand: true });
    await sleep(300);
    const actions = (await driver.query('.pane-body .monaco-list-row.selected .actions .action-label')).map(
      (a) => a.title ?? a.ariaLabel ?? '',
    );
    assert.ok(
      !actions.some((a) => /Run SQL/i.test(a)),
      `inline actions on the selected SQL snippet: ${actions.join(' | ') || 'none'}`,
    );
    await driver.screenshot('restricted-mode-tree');
  });

  it('runs neither SQL nor terminal commands, and says so', async function () {
    const uri = workspaceUri('runbooks', 'cli.md');
    const echo = (await api.index.modelFor(await vscode.workspace.openTextDocument(uri))).runbook.snippets.find((s) =>
      /marker/.test(s.label),
    )!;
    const terminalsBefore = vscode.window.terminals.length;
    const shell = vscode.commands.executeCommand('runbook.runInTerminal', uri, echo.index);
    const sqlUri = workspaceUri('runbooks', 'diagnostics.md');
    const sqlSnippet = (
      await api.index.modelFor(await vscode.workspace.openTextDocument(sqlUri))
    ).runbook.snippets.find((s) => s.category === 'sql')!;
    const sql = vscode.commands.executeCommand('runbook.runSql', sqlUri, sqlSnippet.index);
    if (requireDriverInCodeServer()) {
      await driver.waitFor('.notifications-toasts', { text: 'do not run in Restricted Mode', timeoutMs: 10_000 });
      await driver.screenshot('restricted-mode-refused');
    }
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.all([shell, sql]);
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal was opened');
    assert.equal(api.journal.entries().length, 0, 'nothing was recorded as run');
  });
});
