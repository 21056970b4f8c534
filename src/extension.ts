// Composition root: builds the parts, wires them together and registers every Disposable.
import * as vscode from 'vscode';
import { RunbookIndex } from './vscode/runbooks/runbookIndex';
import { PlaybookTreeProvider } from './vscode/tree/playbookTreeProvider';
import { registerNavigationCommands } from './vscode/commands/navigationCommands';
import type { RunbookCompanionApi } from './vscode/api';

export function activate(context: vscode.ExtensionContext): RunbookCompanionApi {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Runbook Companion', { log: true });
  const index = new RunbookIndex(context.extensionUri, log);
  const tree = new PlaybookTreeProvider(index);
  const treeView = vscode.window.createTreeView('runbook.playbooks', { treeDataProvider: tree, showCollapseAll: true });

  context.subscriptions.push(log, index, tree, treeView, ...registerNavigationCommands(index));
  void index.rescan();

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  return { index, tree, treeView, activationMs };
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
