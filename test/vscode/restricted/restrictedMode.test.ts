// In an untrusted workspace (Workspace Trust) the runbook can be read, but nothing runs, and the lens says why.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, workspaceUri, sleep } from '../extensionApi';

describe('Restricted Mode', function () {
  it('opens untrusted', function () {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('still shows the playbook tree', async function () {
    const api = await activateExtension();
    assert.ok(api.index.all.some((e) => e.runbook.playbooks.length === 5));
  });

  it('says on the lens why nothing runs, and runs neither SQL nor terminal commands', async function () {
    const api = await activateExtension();
    const uri = workspaceUri('runbooks', 'cli.md');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document, { preview: false });
    const model = api.index.modelFor(document).runbook;
    const echo = model.snippets.find((s) => /marker/.test(s.label))!;
    editor.revealRange(new vscode.Range(echo.startLine - 1, 0, echo.startLine - 1, 0), vscode.TextEditorRevealType.AtTop);
    if (driver.available) {
      await driver.waitFor('.codelens-decoration a', { text: 'Running is disabled in Restricted Mode', timeoutMs: 15_000 });
      await sleep(300);
      await driver.screenshot('restricted-mode-lens');
      const lenses = (await driver.query('.codelens-decoration a')).filter((l) => l.visible).map((l) => l.text);
      assert.ok(!lenses.some((l) => l.includes('Run in Terminal')), `no run lens: ${lenses.join(' | ')}`);
    }
    const terminalsBefore = vscode.window.terminals.length;
    const shell = vscode.commands.executeCommand('runbook.runInTerminal', uri, echo.index);
    const sqlUri = workspaceUri('runbooks', 'diagnostics.md');
    const sqlDoc = await vscode.workspace.openTextDocument(sqlUri);
    const sqlSnippet = api.index.modelFor(sqlDoc).runbook.snippets.find((s) => s.category === 'sql')!;
    const sql = vscode.commands.executeCommand('runbook.runSql', sqlUri, sqlSnippet.index);
    if (driver.available) {
      await driver.waitFor('.notifications-toasts', { text: 'do not run in Restricted Mode', timeoutMs: 10_000 });
      await driver.screenshot('restricted-mode-refused');
    }
    await vscode.commands.executeCommand('notifications.clearAll');
    await Promise.all([shell, sql]);
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal was opened');
    assert.equal(api.journal.entries().length, 0, 'nothing was recorded as run');
  });
});
