// Quick Fixes for the runbook's stale Supabase CLI commands: each `supabase functions logs …` or `supabase db remote
// …` the Problems panel reports can be replaced, in place, by the command that works in CLI 3.1. For function logs a
// feature that shows them (the health panel's `runbook.showFunctionLogs`) is offered first once it is installed.
import * as vscode from 'vscode';
import { staleCommandFixes } from '../../core/supabase/staleCommands';

/**
 * The command a feature registers to show one Edge Function's logs, given its name as written in the runbook. The
 * health panel provides it; until it is registered, only the text replacement is offered.
 */
export const SHOW_FUNCTION_LOGS_COMMAND = 'runbook.showFunctionLogs';

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
    const canShowLogs = (await vscode.commands.getCommands(true)).includes(SHOW_FUNCTION_LOGS_COMMAND);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of stale) {
      for (let line = diagnostic.range.start.line; line <= diagnostic.range.end.line; line++) {
        for (const fix of staleCommandFixes(document.lineAt(line).text)) {
          const range = new vscode.Range(line, fix.start, line, fix.end);
          if (canShowLogs && fix.command === 'supabase functions logs') {
            const action = new vscode.CodeAction(
              `Show the logs of ${fix.functionName ?? 'the function'} in VS Code`,
              vscode.CodeActionKind.QuickFix,
            );
            action.command = {
              command: SHOW_FUNCTION_LOGS_COMMAND,
              title: action.title,
              arguments: fix.functionName ? [fix.functionName] : [],
            };
            action.diagnostics = [diagnostic];
            action.isPreferred = true;
            actions.push(action);
          }
          fix.replacements.forEach((replacement, k) => {
            const action = new vscode.CodeAction(replacement.title, vscode.CodeActionKind.QuickFix);
            action.edit = new vscode.WorkspaceEdit();
            action.edit.replace(document.uri, range, replacement.text);
            action.diagnostics = [diagnostic];
            action.isPreferred = k === 0 && !(canShowLogs && fix.command === 'supabase functions logs');
            actions.push(action);
          });
        }
      }
    }
    return actions;
  }
}
