// Shell snippets: lenses, commands and their wiring.
import * as vscode from 'vscode';
import type { SnippetCodeLensProvider } from '../commands/snippetCodeLensProvider';
import type { ShellSnippetRunner } from './shellSnippetRunner';
import type { RunMode, ShellRunStates } from './shellRunStates';
import type { LazyService } from '../../core/lifecycle/lazyService';
import type { SupabaseCliContext } from '../supabase/cliContext';
import { workspaceFolderOf } from './workspaceFolderOf';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { resolveSnippetTarget } from '../commands/snippetTarget';
import { loadShellSnippetOffers } from './loadShellSnippetOffers';
import { COMMANDS } from '../commands/commandIds';

export function registerShellFeature(
  lenses: SnippetCodeLensProvider,
  runner: LazyService<ShellSnippetRunner>,
  runs: ShellRunStates,
  cli: SupabaseCliContext,
  index: RunbookIndex,
): vscode.Disposable[] {
  lenses.register('shell', async (context) => {
    const { shellLenses, previewCommandTargets } = await loadShellSnippetOffers();
    return shellLenses(
      {
        stateOf: (uri, snippetId) => runs.get(uri, snippetId),
        previewTargets: (uri, commands, project) =>
          previewCommandTargets(commands, cli.preview(workspaceFolderOf(uri)?.uri.fsPath, project)),
      },
      context,
    );
  });
  const run = async (args: unknown[], mode: RunMode) => {
    try {
      return await (await runner.get()).runFromCommand(args, mode);
    } finally {
      runs.noteAnswered();
    }
  };
  return [
    // The provider redraws only the lenses whose text changed, so every state change may ask.
    runs.onDidChange(() => lenses.refresh()),
    // Where commands go may have changed: a CLI version read, a `supabase link` done.
    cli.onDidChange(() => lenses.refresh()),
    vscode.commands.registerCommand(COMMANDS.runInTerminal, (...args: unknown[]) => run(args, 'all')),
    vscode.commands.registerCommand(COMMANDS.runLineByLine, (...args: unknown[]) => run(args, 'stepwise')),
    vscode.commands.registerCommand(COMMANDS.runCommand, (...args: unknown[]) => run(args, 'line')),
    vscode.commands.registerCommand(COMMANDS.stopSnippet, async (...args: unknown[]) => {
      // Nothing runs before the runner is made, so there is nothing to stop then.
      const made = runner.ifMade;
      if (!made) return;
      // From a lens: (uri, snippetId); from the tree: the snippet's node.
      if (args[0] instanceof vscode.Uri && typeof args[1] === 'string') return made.stop(args[0], args[1]);
      const target = await resolveSnippetTarget(index, args);
      if (target) made.stop(target.uri, target.snippet.id);
    }),
    vscode.commands.registerCommand(COMMANDS.openChecklist, async (...args: unknown[]) => {
      const target = await resolveSnippetTarget(index, args);
      if (!target) return;
      const { splitOfSnippet } = await loadShellSnippetOffers();
      await (await runner.get()).showChecklist(target, splitOfSnippet(target.snippet));
    }),
    vscode.commands.registerCommand(COMMANDS.copyCommands, async (...args: unknown[]) => {
      const target = await resolveSnippetTarget(index, args);
      if (!target) return undefined;
      const { runnableText } = await loadShellSnippetOffers();
      const text = runnableText(target.snippet.body, target.snippet.bodyStartLine, target.snippet.language);
      await vscode.env.clipboard.writeText(text);
      void vscode.window.setStatusBarMessage(`$(check) Copied "${target.snippet.label}"`, 3000);
      return text;
    }),
    vscode.commands.registerCommand(COMMANDS.showCliProblem, (message: unknown) => {
      if (typeof message === 'string') void vscode.window.showWarningMessage(message);
    }),
  ];
}
