// The Playbooks tree in a real VS Code: through the extension's API and as rendered in the workbench.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, waitUntil, workspaceUri, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { PlaybookTreeNode } from '../../../src/vscode/tree/treeNodes';

function label(api: RunbookCompanionApi, node: PlaybookTreeNode): string {
  const l = api.tree.getTreeItem(node).label;
  return typeof l === 'string' ? l : l?.label ?? '';
}

function childByLabel(api: RunbookCompanionApi, parent: PlaybookTreeNode | undefined, text: string): PlaybookTreeNode {
  const found = api.tree.getChildren(parent).find((n) => label(api, n) === text);
  assert.ok(found, `no tree node "${text}" under ${parent ? label(api, parent) : 'the root'}; have ${api.tree.getChildren(parent).map((n) => label(api, n)).join(', ')}`);
  return found;
}

/** Rows of the Playbooks view as VS Code rendered them. */
async function renderedRows(): Promise<string[]> {
  const rows = await driver.query('.pane-body .monaco-list-row');
  return rows.filter((r) => r.visible).map((r) => r.text);
}

describe('Playbooks tree', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    api = await activateExtension();
  });

  it('lists every runbook of the workspace with its sections', function () {
    const roots = api.tree.getChildren();
    assert.deepEqual(roots.map((n) => label(api, n)), ['Operations Runbook', 'CLI Runbook', 'Diagnostics Runbook', 'Payments Runbook']);
    const ops = roots[0];
    assert.equal(api.tree.getTreeItem(ops).description, 'RUNBOOK.md');
    assert.deepEqual(api.tree.getChildren(ops).map((n) => label(api, n)), [
      'Deployment Procedures', 'Monitoring & Alerting', 'Incident Response Playbooks', 'Rollback Procedures', 'Health Checks',
      'Secrets Management', 'Performance Baselines', 'Emergency Contacts', 'Appendix: Common Commands',
    ]);
  });

  it('shows playbooks with Symptoms, Diagnosis and Mitigation, snippets, steps and checklists', function () {
    const ops = api.tree.getChildren()[0];
    const incidents = childByLabel(api, ops, 'Incident Response Playbooks');
    const playbook = childByLabel(api, incidents, 'Database Connection Exhaustion');
    assert.equal(api.tree.getTreeItem(playbook).contextValue, 'playbook');
    assert.deepEqual(api.tree.getChildren(playbook).map((n) => label(api, n)), ['Symptoms', 'Diagnosis', 'Mitigation']);
    const [diagnosis] = api.tree.getChildren(childByLabel(api, playbook, 'Diagnosis'));
    const snippetItem = api.tree.getTreeItem(diagnosis);
    assert.equal(snippetItem.contextValue, 'snippet.sql');
    assert.equal((snippetItem.iconPath as vscode.ThemeIcon).id, 'database');
    const steps = api.tree.getChildren(childByLabel(api, playbook, 'Mitigation'));
    assert.equal(steps.length, 4);
    assert.ok(steps.every((s) => api.tree.getTreeItem(s).contextValue === 'step'));
    const deployment = childByLabel(api, ops, 'Deployment Procedures');
    const checklist = api.tree.getChildren(childByLabel(api, deployment, 'Pre-Deployment Checklist'));
    assert.equal(checklist.length, 7);
    assert.ok(checklist.every((c) => api.tree.getTreeItem(c).contextValue === 'checklistItem'));
  });

  it('renders in the Runbook view and opens the markdown at the clicked line', async function () {
    if (!driver.available) this.skip();
    await vscode.commands.executeCommand('workbench.view.extension.runbook');
    const ops = api.tree.getChildren()[0];
    const incidents = childByLabel(api, ops, 'Incident Response Playbooks');
    const playbook = childByLabel(api, incidents, 'Authentication Failures');
    const diagnosis = childByLabel(api, playbook, 'Diagnosis');
    const [snippet] = api.tree.getChildren(diagnosis);
    await api.treeView.reveal(snippet, { select: false, focus: false, expand: true });
    const snippetLabel = label(api, snippet);
    await driver.waitFor('.pane-body .monaco-list-row', { text: snippetLabel });
    const rows = await renderedRows();
    assert.ok(rows.some((r) => r.includes('Incident Response Playbooks')), `rendered rows: ${rows.join(' | ')}`);
    assert.ok(rows.some((r) => r.includes('Authentication Failures')));
    await driver.screenshot('tree-playbooks');

    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await driver.click('.pane-body .monaco-list-row', { text: snippetLabel });
    const expectedLine = api.index.all[0].runbook.snippets.find((s) => s.label === snippetLabel)!.startLine;
    const editor = await waitUntil(() => vscode.window.activeTextEditor?.document.uri.path.endsWith('RUNBOOK.md') && vscode.window.activeTextEditor, 'the runbook editor');
    await waitUntil(() => editor.selection.active.line === expectedLine, `cursor on line ${expectedLine + 1} (is ${editor.selection.active.line + 1})`);
    assert.equal(editor.document.lineAt(expectedLine).text.trim(), '```sql');
    await driver.screenshot('tree-click-opens-line');
  });

  it('updates while the runbook is edited', async function () {
    const uri = workspaceUri('runbooks', 'payments.md');
    const document = await vscode.workspace.openTextDocument(uri);
    const original = document.getText();
    await vscode.window.showTextDocument(document);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(uri, new vscode.Position(document.lineCount, 0), '\n### Playbook: Refund Storm\n\n**Diagnosis:**\n```sql\nselect 1;\n```\n\n**Mitigation:**\n1. Pause refunds\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const payments = () => api.tree.getChildren().find((n) => label(api, n) === 'Payments Runbook')!;
    const incidents = () => childByLabel(api, payments(), 'Incident Response Playbooks');
    await waitUntil(() => api.tree.getChildren(incidents()).some((n) => label(api, n) === 'Refund Storm'), 'the new playbook in the tree');
    if (driver.available) {
      await vscode.commands.executeCommand('workbench.view.extension.runbook');
      const node = api.tree.getChildren(incidents()).find((n) => label(api, n) === 'Refund Storm')!;
      await api.treeView.reveal(node, { select: true, expand: true });
      await driver.waitFor('.pane-body .monaco-list-row', { text: 'Refund Storm' });
      await driver.screenshot('tree-after-edit');
    }
    const undo = new vscode.WorkspaceEdit();
    undo.replace(uri, new vscode.Range(new vscode.Position(0, 0), document.lineAt(document.lineCount - 1).range.end), original);
    assert.ok(await vscode.workspace.applyEdit(undo));
    await document.save();
    await waitUntil(() => !api.tree.getChildren(incidents()).some((n) => label(api, n) === 'Refund Storm'), 'the reverted tree');
  });

  it('follows runbook files being added, renamed and deleted', async function () {
    const added = workspaceUri('runbooks', 'storage.md');
    await vscode.workspace.fs.writeFile(added, new TextEncoder().encode('# Storage Runbook\n\n## Playbook: Bucket Full\n\n**Diagnosis:**\n```sql\nselect 1;\n```\n'));
    await waitUntil(() => api.tree.getChildren().some((n) => label(api, n) === 'Storage Runbook'), 'the added runbook');
    const renamed = workspaceUri('runbooks', 'storage-renamed.md');
    await vscode.workspace.fs.rename(added, renamed);
    await waitUntil(() => api.index.all.some((e) => e.uri.path.endsWith('storage-renamed.md')) && !api.index.all.some((e) => e.uri.path.endsWith('/storage.md')), 'the renamed runbook');
    await vscode.workspace.fs.delete(renamed);
    await waitUntil(() => !api.tree.getChildren().some((n) => label(api, n) === 'Storage Runbook'), 'the deleted runbook to disappear');
  });

  it('Find Playbook jumps to the chosen playbook', async function () {
    if (!driver.available) this.skip();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const done = vscode.commands.executeCommand('runbook.findPlaybook');
    await driver.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', { text: 'Database Connection Exhaustion' });
    await driver.type('OAuth Integration');
    await sleep(300);
    await driver.screenshot('find-playbook');
    await driver.press('Enter');
    await done;
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    const playbook = api.index.all[0].runbook.playbooks.find((p) => p.name === 'OAuth Integration Failures')!;
    assert.equal(editor.selection.active.line, playbook.line);
    assert.match(editor.document.lineAt(playbook.line).text, /Playbook: OAuth Integration Failures/);
  });

  it('every runbook.* command is declared in package.json with category Runbook, and registered', async function () {
    const extension = vscode.extensions.getExtension('runbook-companion.runbook-companion')!;
    const declared = (extension.packageJSON.contributes.commands as Array<{ command: string; category: string }>);
    // VS Code adds focus commands for the view itself (runbook.playbooks.focus …); those are not ours.
    const registered = (await vscode.commands.getCommands(true)).filter((c) => /^runbook\.[A-Za-z]+$/.test(c));
    for (const c of declared) {
      assert.equal(c.category, 'Runbook', `${c.command} category`);
      assert.match(c.command, /^runbook\.[a-z][A-Za-z]+$/);
      assert.ok(registered.includes(c.command), `${c.command} is declared but not registered`);
    }
    for (const c of registered) assert.ok(declared.some((d) => d.command === c), `${c} is registered but not declared in package.json`);
  });
});
