// Quick Fixes for the runbook's stale Supabase CLI commands: each `supabase functions logs …` or `supabase db remote
// …` the Problems panel reports can be replaced, in place, by the command that works in CLI 3.1. For function logs the
// extension's own log tail (Runbook: Tail Function Logs, read from the Management API) is offered first.
import * as vscode from 'vscode';
import { COMMANDS } from '../commands/commandIds';

/** A deployed function's slug; anything else (`<function_name>`, `$FN`) is a placeholder the tail asks about. */
const FUNCTION_SLUG = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export class StaleCommandActions implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  async provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range | vscode.Selection,
    context: vscode.CodeActionContext,
  ): Promise<vscode.CodeAction[]> {
    const stale = context.diagnostics.filter((d) => d.source === 'Runbook' && d.code === 'cli-unknown-command');
    if (stale.length === 0) return [];
    // The CLI's command table loads with the first fix asked for (dist/lazy), not at activation.
    const { staleCommandFixes } = await import('../../core/supabase/staleCommands');
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of stale) {
      for (let line = diagnostic.range.start.line; line <= diagnostic.range.end.line; line++) {
        for (const fix of staleCommandFixes(document.lineAt(line).text)) {
          const range = new vscode.Range(line, fix.start, line, fix.end);
          const showsLogs = fix.command === 'supabase functions logs';
          if (showsLogs) {
            const slug = fix.functionName && FUNCTION_SLUG.test(fix.functionName) ? fix.functionName : undefined;
            const action = new vscode.CodeAction(
              slug ? `Tail the logs of ${slug} in VS Code` : "Tail a function's logs in VS Code (pick the function)",
              vscode.CodeActionKind.QuickFix,
            );
            // The project is asked for (or the active one taken) by the tail itself; a placeholder is never sent.
            action.command = { command: COMMANDS.tailFunctionLogs, title: action.title, arguments: [undefined, slug] };
            action.diagnostics = [diagnostic];
            action.isPreferred = true;
            actions.push(action);
          }
          fix.replacements.forEach((replacement, k) => {
            const action = new vscode.CodeAction(replacement.title, vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            action.edit.replace(document.uri, range, replacement.text);
            action.diagnostics = [diagnostic];
            action.isPreferred = k === 0 && !showsLogs;
            actions.push(action);
          });
        }
      }
    }
    return actions;
  }
}
