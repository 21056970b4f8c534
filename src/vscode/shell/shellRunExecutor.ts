// Runs a confirmed plan's commands one at a time in the project's terminals. With shell integration each command's
// exit code and output are awaited, and the block stops at the first failure, a closed terminal or a command the
// shell never started; a command that runs until stopped gets a terminal of its own and the block goes on. Without
// shell integration nothing tells when a command ends: the text is typed, the user says when to send the next one,
// and the terminal stays "unsure" (the next run asks) while this run's Stop still reaches it. A busy terminal is
// never typed into.
import * as vscode from 'vscode';
import type { ProjectTerminals, TerminalRequest } from './projectTerminals';
import type { ShellRunRecorder } from './shellRunRecorder';
import type { CommandResult, RunMode, ShellRunStates, SnippetRunState, StartedRun } from './shellRunStates';
import { keptOutput } from './shellRunStates';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { PlannedCommand, ShellPlan } from '../../core/shell/planShellCommands';
import { commentAbove, type SplitShellSnippet } from '../../core/bash/splitShellSnippet';
import { isElsewhere, primaryTarget } from '../../core/targets/commandTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { maskSecrets } from '../../core/secrets/maskSecrets';
import { executeInTerminal } from './terminalExecution';
import { firstLine } from './commandText';
import { askStep } from './stepPicker';
import { Disposable } from '../../core/lifecycle/disposable';

/** Everything a run's commands need to go to their terminals. */
export interface PlannedRun {
  run: StartedRun;
  plan: ShellPlan;
  mode: RunMode;
  project: LinkedProject;
  split: SplitShellSnippet;
  snippetId: string;
  uri: vscode.Uri;
  /** The terminal request every command of the run shares; a command that runs until stopped gets its own purpose. */
  terminal: Omit<TerminalRequest, 'ownPurpose'> & { ownPurpose?: string };
  /** The secret values in the terminal's environment, masked in output, journal and log. */
  secrets: readonly string[];
  /** Line by Line asks about each risky or stale command before it runs. */
  confirm: (command: PlannedCommand) => Promise<boolean>;
}

/** How the sequence ended early; applied once the commands still running in their own terminals have ended too. */
export type EarlyEnd = 'closed' | 'unknown' | 'failed';

export class ShellRunExecutor extends Disposable {
  /** The run that last sent a command blindly to each terminal, whose Stop still reaches it. */
  private readonly blindSender = new Map<vscode.Terminal, SnippetRunState>();
  /** Terminals whose user was told that exit codes are unknown there: once is enough. */
  private readonly toldNoIntegration = new WeakSet<vscode.Terminal>();

  constructor(
    private readonly terminals: ProjectTerminals,
    private readonly recorder: ShellRunRecorder,
    private readonly states: ShellRunStates,
  ) {
    super();
    this._register(
      vscode.window.onDidCloseTerminal((closed) => {
        const owner = this.blindSender.get(closed);
        this.blindSender.delete(closed);
        if (owner?.sentBlindTo.delete(closed)) this.states.fire();
      }),
    );
  }

  /** Stop: Ctrl+C to every terminal the run is running in or sent a command to blindly. */
  interrupt(state: SnippetRunState): void {
    for (const terminal of new Set([...state.runningIn, ...state.sentBlindTo])) terminal.sendText('\u0003', false);
    // After Ctrl+C the shell is back at its prompt: the terminal may take commands again.
    for (const terminal of state.sentBlindTo) {
      this.terminals.acknowledge(terminal);
      this.blindSender.delete(terminal);
    }
    state.sentBlindTo.clear();
  }

  /** Runs the commands; resolves when the sequence is over and every command of its own terminal has ended. */
  async execute(planned: PlannedRun): Promise<EarlyEnd | undefined> {
    const { plan, mode, run } = planned;
    const { state, stopped } = run;
    const background: Promise<void>[] = [];
    // A command sent without shell integration that the user has not yet said is done (Line by Line: the next Run).
    let unacknowledged: vscode.Terminal | undefined;
    let ended: EarlyEnd | undefined;
    for (const [i, command] of plan.commands.entries()) {
      if (state.stopRequested) break;
      if (mode === 'stepwise') {
        const choice = await this.askStep(planned, command, i);
        if (choice === 'skip') continue;
        if (choice === 'stop') {
          state.stopRequested = true;
          break;
        }
        if (!(await planned.confirm(command))) continue;
        if (unacknowledged) {
          this.terminals.acknowledge(unacknowledged);
          unacknowledged = undefined;
        }
      }
      const purpose = command.untilStopped ? ownTerminalName(command) : planned.terminal.ownPurpose;
      const terminal = await this.terminalFor(
        { ...planned.terminal, ...(purpose ? { ownPurpose: purpose } : {}) },
        stopped,
      );
      if (!terminal) {
        state.stopRequested = true;
        break;
      }
      terminal.show(true);
      const integration = await this.terminals.integration(terminal);
      if (!integration) {
        state.results.push(this.send(terminal, command, planned));
        this.states.fire();
        const remaining = plan.commands.length - i - 1;
        const next = await this.askAfterBlindSend(terminal, command, remaining, mode, stopped);
        if (next === 'stop') {
          state.stopRequested = true;
          break;
        }
        // "Send Next Command": the user saw the output, so the terminal may take the next one.
        if (next === 'next') this.terminals.acknowledge(terminal);
        else unacknowledged = terminal;
        continue;
      }
      if (command.untilStopped) {
        background.push(this.executeOne(terminal, integration, command, planned).then(() => undefined));
        continue;
      }
      const result = await this.executeOne(terminal, integration, command, planned);
      if (result.ending === 'closed') {
        ended = 'closed';
        void vscode.window.showWarningMessage(
          `The terminal was closed while "${firstLine(command.text)}" ran, so its outcome is unknown${restText(plan, i)}.`,
        );
        break;
      }
      if (result.ending === 'not-started') {
        ended = 'unknown';
        void vscode.window.showWarningMessage(
          `"${terminal.name}" did not start "${firstLine(command.text)}" within ${Math.round(result.durationMs / 1000)} s: it may be waiting for input. Nothing more is typed into it${restText(plan, i)}.`,
        );
        break;
      }
      if (state.stopRequested) break;
      if (result.exitCode !== undefined && result.exitCode !== 0) {
        ended = 'failed';
        void vscode.window.showErrorMessage(
          `"${firstLine(command.text)}" exited with ${result.exitCode}${restText(plan, i)}.`,
        );
        break;
      }
    }
    if (background.length) await Promise.all(background);
    return ended;
  }

  private askStep(planned: PlannedRun, command: PlannedCommand, index: number) {
    const comment = commentAbove(planned.split, command.line);
    const reach = reachText(command, planned.project);
    return askStep({
      index,
      count: planned.plan.commands.length,
      line: command.line,
      command: command.text,
      risky: command.risky,
      ...(comment ? { comment } : {}),
      ...(reach ? { reach } : {}),
    });
  }

  /**
   * The terminal for the next command. One that got a command without shell integration may still be running it:
   * the user says whether to use a new terminal, send anyway or cancel (undefined).
   */
  private async terminalFor(
    request: TerminalRequest,
    stopped: Promise<'stopped'>,
  ): Promise<vscode.Terminal | undefined> {
    let obtained = this.terminals.obtain(request);
    if (obtained.unsure) {
      const fresh = 'Use a New Terminal';
      const anyway = 'Send Anyway';
      const choice = await Promise.race([
        stopped,
        vscode.window.showWarningMessage(
          `The last command sent to "${obtained.terminal.name}" (${obtained.unsure}) may still be running; shell integration is off, so its end can't be seen.`,
          fresh,
          anyway,
          'Cancel',
        ),
      ]);
      if (choice === fresh) return this.terminals.obtain({ ...request, fresh: true }).terminal;
      if (choice !== anyway) return undefined;
      this.terminals.acknowledge(obtained.terminal);
      obtained = { terminal: obtained.terminal };
    }
    if (obtained.sibling)
      void vscode.window.showInformationMessage(
        `${capitalise(obtained.sibling)}, so this command runs in "${obtained.terminal.name}".`,
      );
    return obtained.terminal;
  }

  private async executeOne(
    terminal: vscode.Terminal,
    integration: vscode.TerminalShellIntegration,
    command: PlannedCommand,
    planned: PlannedRun,
  ): Promise<CommandResult> {
    const { state } = planned.run;
    const recorded = {
      command,
      reached: primaryTarget(command.targets),
      project: planned.project,
      secrets: planned.secrets,
      snippetId: planned.snippetId,
      uri: planned.uri,
    };
    const record = this.recorder.started(recorded);
    this.terminals.markBusy(terminal, `"${firstLine(command.text)}"`);
    this.takeOver(terminal, undefined);
    state.runningIn.add(terminal);
    this.states.fire();
    try {
      const outcome = await executeInTerminal(terminal, integration, command.text);
      if (outcome.ending === 'not-started') this.terminals.markSuspect(terminal);
      else if (outcome.ending === undefined) this.terminals.idle(terminal);
      this.recorder.finished(record, recorded, terminal.name, outcome);
      const result: CommandResult = {
        command: command.text,
        line: command.line,
        exitCode: outcome.exitCode,
        durationMs: outcome.durationMs,
        output: keptOutput(maskSecrets(outcome.output, planned.secrets)),
        reached: targetLabelWithRef(recorded.reached),
        terminalName: terminal.name,
        ...(outcome.ending ? { ending: outcome.ending } : {}),
      };
      state.results.push(result);
      return result;
    } finally {
      state.runningIn.delete(terminal);
      this.states.fire();
    }
  }

  /** Without shell integration: the text is typed, and this run's Stop reaches the terminal until another run does. */
  private send(terminal: vscode.Terminal, command: PlannedCommand, planned: PlannedRun): CommandResult {
    const reached = primaryTarget(command.targets);
    this.recorder.started({
      command,
      reached,
      project: planned.project,
      secrets: planned.secrets,
      snippetId: planned.snippetId,
      uri: planned.uri,
    });
    terminal.sendText(command.text, true);
    this.terminals.markSentBlind(terminal, `"${firstLine(command.text)}"`);
    this.takeOver(terminal, planned.run.state);
    return {
      command: command.text,
      line: command.line,
      exitCode: undefined,
      durationMs: 0,
      output: '',
      ending: 'no-integration',
      reached: targetLabelWithRef(reached),
      terminalName: terminal.name,
    };
  }

  /** The run whose Stop reaches a blindly sent command in the terminal is the last one that typed there. */
  private takeOver(terminal: vscode.Terminal, state: SnippetRunState | undefined): void {
    const previous = this.blindSender.get(terminal);
    if (previous && previous !== state && previous.sentBlindTo.delete(terminal)) this.states.fire();
    if (state) {
      this.blindSender.set(terminal, state);
      state.sentBlindTo.add(terminal);
    } else this.blindSender.delete(terminal);
  }

  /** 'next': the user chose to send the next command; 'last': nothing was asked (last command, or Line by Line). */
  private async askAfterBlindSend(
    terminal: vscode.Terminal,
    command: PlannedCommand,
    remaining: number,
    mode: RunMode,
    stopped: Promise<'stopped'>,
  ): Promise<'next' | 'last' | 'stop'> {
    const base = `Sent "${firstLine(command.text)}" to "${terminal.name}". Exit codes are unknown because this shell has no shell integration, so the extension cannot tell when a command ends or whether it failed.`;
    if (remaining === 0 || mode === 'stepwise') {
      if (!this.toldNoIntegration.has(terminal))
        void vscode.window.showInformationMessage(`${base} Stop (on the block's lens) sends Ctrl+C to it.`);
      this.toldNoIntegration.add(terminal);
      return 'last';
    }
    this.toldNoIntegration.add(terminal);
    const next = 'Send Next Command';
    const choice = await Promise.race([
      stopped,
      vscode.window.showWarningMessage(
        `${base} The ${remaining} command${remaining === 1 ? '' : 's'} after it ${remaining === 1 ? 'waits' : 'wait'} until you send ${remaining === 1 ? 'it' : 'them'}: check its output first.`,
        next,
        'Stop',
      ),
    ]);
    return choice === next ? 'next' : 'stop';
  }
}

function restText(plan: ShellPlan, index: number): string {
  const rest = plan.commands.length - index - 1;
  return rest ? `; the ${rest} command${rest === 1 ? '' : 's'} after it did not run` : '';
}

function reachText(command: PlannedCommand, project: LinkedProject): string | undefined {
  const elsewhere = command.targets.filter(isElsewhere);
  return elsewhere.length
    ? `Reaches ${elsewhere.map(targetLabelWithRef).join(' and ')}, not ${project.name}`
    : undefined;
}

/** "functions logs", "tail /dev/null": what tells a terminal of its own apart, first in its name. */
function ownTerminalName(command: PlannedCommand): string {
  const words = command.original.split(/\s+/).filter((w) => !w.startsWith('-') && !w.startsWith('<'));
  return (words[0] === 'supabase' ? words.slice(1, 3) : words.slice(0, 2)).join(' ');
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
