// Shell snippets: lenses, commands and their wiring.
import * as vscode from 'vscode';
import type { SnippetCodeLensProvider } from '../commands/snippetCodeLensProvider';
import { restrictedModeLens } from '../commands/snippetCodeLensProvider';
import type { ShellSnippetRunner } from './shellSnippetRunner';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { splitShellSnippet } from '../../core/shell/splitShellSnippet';
import { resolveSnippetTarget } from '../commands/snippetTarget';

export function registerShellFeature(lenses: SnippetCodeLensProvider, runner: ShellSnippetRunner, index: RunbookIndex): vscode.Disposable[] {
  lenses.register('shell', ({ uri, snippet, project, trusted }) => {
    const args = [uri, snippet.index];
    const copy = { title: '$(copy) Copy', command: 'runbook.copySnippet', arguments: args, tooltip: 'Copy the commands to the clipboard' };
    const split = splitShellSnippet(snippet.body, snippet.bodyStartLine, snippet.language);
    if (split.commands.length === 0) {
      return split.proseSteps.length ? [{ title: `$(checklist) ${split.proseSteps.length} steps to do by hand`, command: 'runbook.openChecklist', arguments: args, tooltip: 'These lines are instructions, not commands' }, copy] : [copy];
    }
    if (!trusted) return [restrictedModeLens(), copy];
    const where = project ? ` (${project.name})` : '';
    const commands: vscode.Command[] = [{ title: `$(terminal) Run in Terminal${where}`, command: 'runbook.runInTerminal', arguments: args, tooltip: split.commands.map((c) => c.text).join('\n') }];
    if (split.commands.length > 1) commands.push({ title: '$(debug-step-over) Run Line by Line', command: 'runbook.runLineByLine', arguments: args, tooltip: 'Confirm each command before it runs' });
    commands.push(copy);
    const state = runner.stateOf(uri, snippet.id);
    if (state?.status === 'running' && state.longRunning) commands.push({ title: '$(debug-stop) Stop', command: 'runbook.stopSnippet', arguments: [uri, snippet.id], tooltip: 'Send Ctrl+C to the terminal' });
    else if (state && state.results.length) {
      const last = state.results[state.results.length - 1];
      const total = state.results.reduce((n, r) => n + r.durationMs, 0);
      const label = last.exitCode === undefined ? '$(question) exit code unknown' : last.exitCode === 0 ? `$(pass) exit 0 · ${seconds(total)}` : `$(error) exit ${last.exitCode} · ${seconds(total)}`;
      commands.push({ title: label, command: '', tooltip: state.results.map((r) => `${r.command} → ${r.exitCode ?? 'unknown'} (${r.durationMs} ms)`).join('\n') });
    }
    return commands;
  });
  return [
    runner.onDidChangeState(() => lenses.refresh()),
    vscode.commands.registerCommand('runbook.runInTerminal', (...args: unknown[]) => runner.runFromCommand(args, 'all')),
    vscode.commands.registerCommand('runbook.runLineByLine', (...args: unknown[]) => runner.runFromCommand(args, 'stepwise')),
    vscode.commands.registerCommand('runbook.stopSnippet', (uri: vscode.Uri, snippetId: string) => runner.stop(uri, snippetId)),
    vscode.commands.registerCommand('runbook.openChecklist', async (...args: unknown[]) => {
      const target = await resolveSnippetTarget(index, args);
      if (target) await runner.showChecklist(target, splitShellSnippet(target.snippet.body, target.snippet.bodyStartLine, target.snippet.language));
    }),
  ];
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
