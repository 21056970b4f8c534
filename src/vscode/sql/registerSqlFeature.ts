// SQL snippets: lenses, commands and their wiring.
import * as vscode from 'vscode';
import { restrictedModeLens, type SnippetCodeLensProvider } from '../commands/snippetCodeLensProvider';
import type { SqlSnippetRunner } from './sqlSnippetRunner';
import type { LazyService } from '../../core/lifecycle/lazyService';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { resolveSnippetTarget } from '../commands/snippetTarget';
import { projectLabel } from '../../core/projects/linkedProject';
import { COMMANDS } from '../commands/commandIds';

/** Says which kind of snippet is held back, so a SQL block and a shell block read differently. */
const SQL_RESTRICTED_LENS = restrictedModeLens({
  title: 'SQL does not run in Restricted Mode',
  tooltip: 'Trust this workspace to run its SQL snippets against your projects',
});

export function registerSqlFeature(
  lenses: SnippetCodeLensProvider,
  runner: LazyService<SqlSnippetRunner>,
  index: RunbookIndex,
): vscode.Disposable[] {
  lenses.register('sql', ({ uri, snippet, project, trusted }) => {
    const args = [uri, snippet.index];
    const copy = {
      title: '$(copy) Copy',
      command: COMMANDS.copySnippet,
      arguments: args,
      tooltip: 'Copy the SQL to the clipboard',
    };
    if (!trusted) return [SQL_RESTRICTED_LENS, copy];
    const name = project ? projectLabel(project) : 'project';
    return [
      {
        title: `$(${project?.production ? 'warning' : 'play'}) Run on ${name}`,
        command: COMMANDS.runSql,
        arguments: args,
        tooltip: 'Run in a read-only transaction; writes ask first',
      },
      {
        title: '$(server-environment) Run on…',
        command: COMMANDS.runSqlOn,
        arguments: args,
        tooltip: 'Choose the project to run on',
      },
      copy,
    ];
  });
  return [
    vscode.commands.registerCommand(COMMANDS.runSql, async (...args: unknown[]) =>
      (await runner.get()).runFromCommand(args, false),
    ),
    vscode.commands.registerCommand(COMMANDS.runSqlOn, async (...args: unknown[]) =>
      (await runner.get()).runFromCommand(args, true),
    ),
    // Before the first run there is nothing to cancel.
    vscode.commands.registerCommand(COMMANDS.cancelQuery, () => runner.ifMade?.cancel()),
    vscode.commands.registerCommand(COMMANDS.copySnippet, async (...args: unknown[]) => {
      const target = await resolveSnippetTarget(index, args);
      if (!target) return;
      // As written in the runbook (a psql transcript with its output, placeholders in their own spelling).
      await vscode.env.clipboard.writeText(target.snippet.source);
      void vscode.window.setStatusBarMessage(`$(check) Copied "${target.snippet.label}"`, 3000);
    }),
  ];
}
