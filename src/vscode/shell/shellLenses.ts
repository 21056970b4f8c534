// The lenses of a shell fence. Above the fence: Run in Terminal (naming every project the block reaches), Run Line
// by Line for blocks of several commands, the checklist when the block has steps for a person, Copy, and the outcome
// or Stop. Above each command of a multi-command block: "Run this command" (naming where it goes when that is not
// the active project), and a warning where the CLI will not do what the line says.
import type * as vscode from 'vscode';
import type { LineLens, SnippetLensContext } from '../commands/snippetCodeLensProvider';
import { restrictedModeLens } from '../commands/snippetCodeLensProvider';
import { canStop, type SnippetRunState } from './shellRunStates';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { commandAt, splitOfSnippet, type ShellCommand } from '../../core/bash/splitShellSnippet';
import { snippetCliProblems, type CliProblem } from '../../core/supabase/cliProblems';
import { describeTarget, isElsewhere, uniqueTargets, type CommandTarget } from '../../core/targets/commandTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { SUPABASE_CLI_NAME as CLI } from '../../core/supabase/supabaseCommandTable';
import { outcomeTitle } from './outcomeTitle';
import { COMMANDS } from '../commands/commandIds';

/** What the lenses read: the runs' states, and where commands would go (without loading the runner). */
export interface ShellLensSources {
  stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined;
  previewTargets(
    uri: vscode.Uri,
    commands: readonly ShellCommand[],
    project: LinkedProject,
  ): ReadonlyArray<readonly CommandTarget[]>;
}

export function shellLenses(
  runner: ShellLensSources,
  { uri, snippet, project, trusted }: SnippetLensContext,
): Array<vscode.Command | LineLens> {
  const args = [uri, snippet.index];
  const split = splitOfSnippet(snippet);
  const commands = split.commands;
  const fence: vscode.Command[] = [];
  const lines: LineLens[] = snippetCliProblems(snippet)
    .filter(shownOnLine)
    .map((p) => ({
      line: p.line,
      command: {
        title: `$(${p.severity === 'error' ? 'error' : 'warning'}) ${problemTitle(p)}`,
        command: COMMANDS.showCliProblem,
        arguments: [p.message],
        tooltip: p.message,
      },
    }));
  const copy: vscode.Command = {
    title: '$(copy) Copy',
    command: COMMANDS.copyCommands,
    arguments: args,
    tooltip: commands.length
      ? 'Copy the commands to the clipboard (prompts, output and comments left out)'
      : 'Copy the block to the clipboard',
  };
  const steps: vscode.Command | undefined = split.proseSteps.length
    ? {
        title: `$(checklist) ${split.proseSteps.length} step${split.proseSteps.length === 1 ? '' : 's'} to do by hand`,
        command: COMMANDS.openChecklist,
        arguments: args,
        tooltip: 'These lines are instructions for a person, not commands: tick them off as you go',
      }
    : undefined;
  // Commands written as numbered steps, each run on its own.
  const numbered = split.proseSteps.flatMap((s) => (s.command ? [commandAt(split, s.line)!] : []));

  if (!trusted) return [restrictedModeLens(), ...(steps ? [steps] : []), copy, ...lines];
  if (commands.length === 0 && numbered.length === 0) {
    if (steps) return [steps, copy, ...lines];
    if (split.transcript) {
      const why =
        'No line of this block starts with a "$ " prompt, so it is read as output and there is nothing to run.';
      return [
        {
          title: '$(info) Output only: no "$ " prompt',
          command: COMMANDS.showCliProblem,
          arguments: [why],
          tooltip: why,
        },
        copy,
        ...lines,
      ];
    }
    return [copy, ...lines];
  }

  const targets = project ? runner.previewTargets(uri, [...commands, ...numbered], project) : [];
  if (commands.length > 0) {
    const elsewhere = uniqueElsewhere(targets.slice(0, commands.length).flat());
    const where = project ? ` (${[project.name, ...elsewhere.map(describeTarget)].join(' + ')})` : '';
    const warn = elsewhere.some((t) => t.production);
    fence.push({
      title: `$(${warn ? 'warning' : 'terminal'}) Run in Terminal${where}`,
      command: COMMANDS.runInTerminal,
      arguments: args,
      // The title abbreviates refs (space is short); the hover names them in full.
      tooltip: [...commands.map((c) => c.text), ...elsewhere.map((t) => `→ ${targetLabelWithRef(t)}: ${t.via}`)].join(
        '\n',
      ),
    });
  }
  if (commands.length > 1)
    fence.push({
      title: '$(debug-step-over) Run Line by Line',
      command: COMMANDS.runLineByLine,
      arguments: args,
      tooltip: 'Run, skip or stop before each command',
    });
  if (steps) fence.push(steps);
  fence.push(copy);
  fence.push(...outcomeLenses(runner.stateOf(uri, snippet.id), uri, snippet.id));

  // Blocks often hold alternatives ("deploy the previous version … or revert and redeploy"): each command can run alone.
  const single: Array<ShellCommand | undefined> = commands.length > 1 ? commands : [];
  const runnable = [
    ...single.map((c, i) => ({ command: c!, targets: targets[i] ?? [] })),
    ...numbered.map((command, i) => ({ command, targets: targets[commands.length + i] ?? [] })),
  ];
  for (const { command, targets: reach } of runnable) {
    if (command.incomplete) continue;
    const elsewhere = uniqueElsewhere(reach);
    const suffix = elsewhere.length ? ` → ${elsewhere.map(describeTarget).join(' + ')}` : '';
    lines.push({
      line: command.line,
      command: {
        title: `$(${elsewhere.some((t) => t.production) ? 'warning' : 'play'}) Run this command${suffix}`,
        command: COMMANDS.runCommand,
        arguments: [uri, snippet.index, command.line],
        tooltip: [command.text, ...elsewhere.map((t) => `→ ${targetLabelWithRef(t)}: ${t.via}`)].join('\n'),
      },
    });
  }
  return [...fence, ...lines];
}

/**
 * The lens that shows how the last run ended, or that it is running (with Stop). Their text stays the same while a
 * run goes on, so that the lenses are not replaced under a click on Stop.
 */
export function outcomeLenses(
  state: SnippetRunState | undefined,
  uri: vscode.Uri,
  snippetId: string,
): vscode.Command[] {
  if (!state) return [];
  const stop: vscode.Command = {
    title: '$(debug-stop) Stop',
    command: COMMANDS.stopSnippet,
    arguments: [uri, snippetId],
    tooltip: 'Send Ctrl+C to the terminal and run nothing more of this block',
  };
  if (state.status === 'running') {
    return [
      {
        title: state.longRunning ? '$(loading~spin) Running until stopped' : '$(loading~spin) Running…',
        command: '',
        tooltip: 'The block is running in the terminal',
      },
      stop,
    ];
  }
  if (state.results.length === 0) return [];
  const outcome: vscode.Command = {
    title: outcomeTitle(state),
    command: '',
    tooltip: state.results
      .map(
        (r) =>
          `${r.command} → ${r.ending ?? r.exitCode ?? 'unknown'} (${r.durationMs} ms, ${r.reached}, in "${r.terminalName}")`,
      )
      .join('\n'),
  };
  // Sent without shell integration: nobody saw it end, so Stop still reaches it.
  return canStop(state)
    ? [outcome, { ...stop, tooltip: 'Send Ctrl+C to the terminal: the command sent to it may still be running' }]
    : [outcome];
}

function uniqueElsewhere(targets: readonly CommandTarget[]): CommandTarget[] {
  return uniqueTargets(targets.filter(isElsewhere));
}

// Informational problems (deprecated flags) stay in the Problems panel; a numbered command gets a Run lens instead.
function shownOnLine(problem: CliProblem): boolean {
  return problem.severity !== 'info' && problem.code !== 'shell-numbered-command';
}

function problemTitle(problem: CliProblem): string {
  switch (problem.code) {
    case 'cli-unknown-command':
      return `Not a command of ${CLI}`;
    case 'cli-unknown-flag':
      return `Unknown flag in ${CLI}`;
    case 'cli-hidden-flag':
      return 'The flag does not do what the comment says';
    case 'cli-linked-target':
      return 'Goes to whichever project is linked';
    case 'cli-nested-call':
      return 'supabase inside $(…) is not targeted';
    case 'shell-unfinished-command':
      return 'Unfinished command: it will not run';
    default:
      return problem.message;
  }
}
