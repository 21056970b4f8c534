// One key for "run what my cursor is in": SQL goes to the database, shell to the terminal, the same way
// their lenses would run them (so every guard and confirmation still applies).
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { resolveSnippetTarget } from './snippetTarget';
import { COMMANDS } from './commandIds';

export function registerRunSnippetAtCursor(index: RunbookIndex): vscode.Disposable {
  return vscode.commands.registerCommand(COMMANDS.runSnippet, async () => {
    const target = await resolveSnippetTarget(index, []);
    if (!target) return undefined;
    const args = [target.uri, target.snippet.index];
    switch (target.snippet.category) {
      case 'sql':
        return vscode.commands.executeCommand(COMMANDS.runSql, ...args);
      case 'shell':
        return vscode.commands.executeCommand(COMMANDS.runInTerminal, ...args);
      default:
        // Other blocks have no lenses, so the way to copy is offered here.
        void vscode.window
          .showInformationMessage(
            `"${target.snippet.label}" is a ${target.snippet.language || 'plain'} block; only SQL and shell blocks run.`,
            'Copy',
          )
          .then((choice) =>
            choice === 'Copy' ? vscode.commands.executeCommand(COMMANDS.copySnippet, ...args) : undefined,
          );
        return undefined;
    }
  });
}
