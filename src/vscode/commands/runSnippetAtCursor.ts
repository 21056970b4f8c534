// One key for "run what my cursor is in": SQL goes to the database, shell to the terminal, the same way
// their lenses would run them (so every guard and confirmation still applies).
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { resolveSnippetTarget } from './snippetTarget';

export const RUN_SNIPPET_AT_CURSOR_COMMAND = 'runbook.runSnippet';

export function registerRunSnippetAtCursor(index: RunbookIndex): vscode.Disposable {
  return vscode.commands.registerCommand(RUN_SNIPPET_AT_CURSOR_COMMAND, async () => {
    const target = await resolveSnippetTarget(index, []);
    if (!target) return undefined;
    const args = [target.uri, target.snippet.index];
    switch (target.snippet.category) {
      case 'sql':
        return vscode.commands.executeCommand('runbook.runSql', ...args);
      case 'shell':
        return vscode.commands.executeCommand('runbook.runInTerminal', ...args);
      default:
        // Other blocks have no lenses, so the way to copy is offered here.
        void vscode.window
          .showInformationMessage(
            `"${target.snippet.label}" is a ${target.snippet.language || 'plain'} block; only SQL and shell blocks run.`,
            'Copy',
          )
          .then((choice) =>
            choice === 'Copy' ? vscode.commands.executeCommand('runbook.copySnippet', ...args) : undefined,
          );
        return undefined;
    }
  });
}
