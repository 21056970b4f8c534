// The bookkeeping of terminal runs: each snippet's last run (running, or how it ended) for its lens and the tree,
// the signal that Stop gives a run in progress, and forgetting. What a finished run leaves is its outcome: results
// with capped output and terminal names, never terminal objects, and only for the snippets still there.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import { Disposable } from '../../core/lifecycle/disposable';

export type RunMode = 'all' | 'stepwise' | 'line';

export interface CommandResult {
  command: string;
  line: number;
  exitCode: number | undefined;
  durationMs: number;
  /** The end of the output as the terminal showed it (shell integration only), secrets masked. */
  output: string;
  /** Why no exit code came. */
  ending?: 'closed' | 'not-started' | 'no-integration';
  /** Where the command went, ref in full: "linked project linkedprojectrefabcd (production)". */
  reached: string;
  /** The terminal it ran in, by name (names are unique among open terminals): results never hold the terminal. */
  terminalName: string;
}

export interface SnippetRunState {
  status: 'running' | 'done' | 'failed' | 'unknown' | 'stopped' | 'closed';
  results: CommandResult[];
  /** A command of this run runs until stopped, in a terminal of its own. */
  longRunning: boolean;
  mode: RunMode;
  /** Terminals where a command of this run is running now: Stop sends Ctrl+C to them. */
  runningIn: Set<vscode.Terminal>;
  /**
   * Terminals a command of this run was sent to without shell integration, whose end nobody saw: Stop still sends
   * Ctrl+C there, also after the run. Emptied when the terminal closes or another run takes it over.
   */
  sentBlindTo: Set<vscode.Terminal>;
  stopRequested: boolean;
}

/** The end of a command's output that a finished run keeps for its lens and tooltip. */
export const KEPT_OUTPUT_CHARS = 8 * 1024;
/** Finished runs whose outcome is kept; the oldest go first. */
export const KEPT_OUTCOMES = 50;

/** Stop can still reach the run: it is running, or a command it sent blindly may be. */
export function canStop(state: SnippetRunState): boolean {
  return state.status === 'running' || state.sentBlindTo.size > 0;
}

export function keptOutput(output: string): string {
  return output.length > KEPT_OUTPUT_CHARS ? `…${output.slice(-KEPT_OUTPUT_CHARS)}` : output;
}

/** A run in progress: its state, and a promise that resolves when Stop is asked for. */
export interface StartedRun {
  key: string;
  state: SnippetRunState;
  stopped: Promise<'stopped'>;
}

export class ShellRunStates extends Disposable {
  private readonly states = new Map<string, SnippetRunState>();
  private readonly stopSignals = new WeakMap<SnippetRunState, () => void>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private answered = 0;

  constructor(private readonly index: RunbookIndex) {
    super();
    // The outcome of a snippet that is gone (deleted, its runbook edited away) is no longer shown anywhere.
    this._register(index.onDidChange(() => this.forgetVanishedSnippets()));
  }

  fire(): void {
    this.changed.fire();
  }

  /**
   * How many Run commands have been answered so far: run to the end, declined at a question, or refused. Something
   * that has to know a declined run did nothing (the tests) waits for this, not for time.
   */
  get answeredRequests(): number {
    return this.answered;
  }

  noteAnswered(): void {
    this.answered++;
  }

  get(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined {
    return this.states.get(keyOf(uri, snippetId));
  }

  /** The snippets (uri#id) with a run that Stop can still reach. */
  stoppableKeys(): string[] {
    return [...this.states].filter(([, s]) => canStop(s)).map(([key]) => key);
  }

  start(uri: vscode.Uri, snippetId: string, mode: RunMode, longRunning: boolean): StartedRun {
    const key = keyOf(uri, snippetId);
    const state: SnippetRunState = {
      status: 'running',
      results: [],
      longRunning,
      mode,
      runningIn: new Set(),
      sentBlindTo: new Set(),
      stopRequested: false,
    };
    const stopped = new Promise<'stopped'>((resolve) => this.stopSignals.set(state, () => resolve('stopped')));
    this.remember(key, state);
    this.changed.fire();
    return { key, state, stopped };
  }

  /** Lets whatever waits in the run (a question, the next command) know that Stop was asked for. */
  signalStop(state: SnippetRunState): void {
    this.stopSignals.get(state)?.();
  }

  /** The run is over: a run still marked running was stopped; its state is kept as the newest outcome. */
  end(run: StartedRun): void {
    const { state } = run;
    if (state.status === 'running') state.status = 'stopped';
    state.runningIn.clear();
    this.stopSignals.delete(state);
    this.remember(run.key, state);
    this.changed.fire();
  }

  /** Keeps a run's state as the newest, and lets the oldest finished outcomes go. */
  private remember(key: string, state: SnippetRunState): void {
    this.states.delete(key);
    this.states.set(key, state);
    const finished = [...this.states].filter(([, s]) => !canStop(s));
    for (const [old] of finished.slice(0, Math.max(0, finished.length - KEPT_OUTCOMES))) this.states.delete(old);
  }

  private forgetVanishedSnippets(): void {
    const present = new Set(this.index.all.flatMap((e) => e.runbook.snippets.map((s) => keyOf(e.uri, s.id))));
    let forgot = false;
    for (const [key, state] of this.states)
      if (!canStop(state) && !present.has(key)) {
        this.states.delete(key);
        forgot = true;
      }
    if (forgot) this.changed.fire();
  }
}

function keyOf(uri: vscode.Uri, snippetId: string): string {
  return `${uri.toString()}#${snippetId}`;
}
