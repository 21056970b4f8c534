// Runs runbook shell commands in the project's terminal: a whole block, line by line, or one command. Placeholders
// are asked for, the commands planned (targeted, risk judged, real target worked out), confirmed when they change
// things or use a command the CLI no longer has, then run one at a time with their exit codes recorded. Each run's
// terminal gets only the secrets its commands need. What a finished run leaves is its outcome for the lens: the
// results with capped output and terminal names, never terminal objects, and only for the snippets still there.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { ProjectService } from '../projects/projectService';
import type { SecretStore } from '../secrets/secretStore';
import type { PlaceholderPrompt } from '../placeholders/placeholderPrompt';
import type { ConfirmTarget, RiskGate } from '../safety/confirmRisk';
import type { ProjectTerminals, TerminalRequest } from './projectTerminals';
import type { ResolvedBinary, SupabaseBinaries } from './supabaseBinary';
import type { LinkedRefs } from './linkedRefs';
import type { RunJournal, RunRecord } from '../../core/journal/runJournal';
import type { RunTarget } from '../../core/targets/runTarget';
import { projectLabel, type DatabaseTarget, type LinkedProject } from '../../core/projects/linkedProject';
import {
  commandAt,
  commentAbove,
  splitOfSnippet,
  type ShellCommand,
  type SplitShellSnippet,
} from '../../core/bash/splitShellSnippet';
import { isSecretPlaceholder, secretVariableName } from '../../core/secrets/secretNames';
import { maskSecrets } from '../../core/secrets/maskSecrets';
import { unfinishedCommandMessage } from '../../core/bash/openConstructs';
import {
  planShellCommands,
  previewCommandTargets,
  type PlanContext,
  type PlannedCommand,
  type ShellPlan,
} from '../../core/shell/planShellCommands';
import {
  describeTarget,
  isElsewhere,
  primaryTarget,
  targetName,
  uniqueTargets,
  type CommandTarget,
} from '../../core/targets/commandTarget';
import { runCredentialNeeds } from '../../core/safety/credentialNeeds';
import { SUPABASE_CLI_NAME } from '../../core/supabase/supabaseCommandTable';
import { formatMs } from '../../core/tables/quantity';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import { LOCAL_DB_PORT } from '../../core/projects/discoverProjects';
import { placeholderQuestions } from './shellQuestions';
import { listFunctionNames } from '../../node/supabase/functionNames';
import { shellForLanguage } from '../../node/shell/terminalShell';
import { executeInTerminal } from './terminalExecution';
import { askStep } from './stepPicker';
import { ShellChecklist } from './shellChecklist';
import { Disposable } from '../../core/lifecycle/disposable';
import { COMMANDS } from '../commands/commandIds';

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
  /** Where the command went: "linked project abcd…wxyz (production)". */
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

export class ShellSnippetRunner extends Disposable {
  private readonly states = new Map<string, SnippetRunState>();
  /** The run that last sent a command blindly to each terminal, whose Stop still reaches it. */
  private readonly blindSender = new Map<vscode.Terminal, SnippetRunState>();
  private readonly stopSignals = new WeakMap<SnippetRunState, () => void>();
  /** Terminals whose user was told that exit codes are unknown there: once is enough. */
  private readonly toldNoIntegration = new WeakSet<vscode.Terminal>();
  private readonly checklist: ShellChecklist;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeState = this.changed.event;

  constructor(
    private readonly deps: {
      index: RunbookIndex;
      projects: ProjectService;
      secrets: SecretStore;
      prompt: PlaceholderPrompt;
      gate: RiskGate;
      terminals: ProjectTerminals;
      journal: RunJournal;
      log: vscode.LogOutputChannel;
      binaries: SupabaseBinaries;
      linkedRefs: LinkedRefs;
    },
  ) {
    super();
    this.checklist = new ShellChecklist(deps.journal);
    this._register(
      vscode.window.onDidCloseTerminal((closed) => {
        const owner = this.blindSender.get(closed);
        this.blindSender.delete(closed);
        if (owner?.sentBlindTo.delete(closed)) this.changed.fire();
      }),
    );
    // The outcome of a snippet that is gone (deleted, its runbook edited away) is no longer shown anywhere.
    this._register(deps.index.onDidChange(() => this.forgetVanishedSnippets()));
  }

  /** Fires when where commands go may have changed: a CLI version read, a `supabase link` done. */
  readonly onDidChangeTargets: vscode.Event<void> = (listener, thisArg, disposables) => {
    const subscription = vscode.Disposable.from(
      this.deps.binaries.onDidDetectVersion(listener, thisArg),
      this.deps.linkedRefs.onDidChange(listener, thisArg),
    );
    disposables?.push(subscription);
    return subscription;
  };

  /** The snippets (uri#id) with a run that Stop can still reach: running, or sent blindly and maybe running. */
  runningKeys(): string[] {
    return [...this.states].filter(([, s]) => canStop(s)).map(([key]) => key);
  }

  stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined {
    return this.states.get(`${uri.toString()}#${snippetId}`);
  }

  /** Interrupts what a snippet's run is running (a `--tail`, a slow command) with Ctrl+C, and stops the rest. */
  stop(uri: vscode.Uri, snippetId: string): void {
    const state = this.stateOf(uri, snippetId);
    if (!state || !canStop(state)) return;
    state.stopRequested = true;
    for (const terminal of new Set([...state.runningIn, ...state.sentBlindTo])) terminal.sendText('\u0003', false);
    // After Ctrl+C the shell is back at its prompt: the terminal may take commands again.
    for (const terminal of state.sentBlindTo) {
      this.deps.terminals.acknowledge(terminal);
      this.blindSender.delete(terminal);
    }
    state.sentBlindTo.clear();
    if (state.status !== 'running') state.status = 'stopped';
    this.stopSignals.get(state)?.();
    this.changed.fire();
  }

  async runFromCommand(args: unknown[], mode: RunMode): Promise<SnippetRunState | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      if (
        (await vscode.window.showWarningMessage(
          'Runbook snippets do not run in Restricted Mode. Trust this workspace to run commands.',
          manage,
        )) === manage
      ) {
        await vscode.commands.executeCommand('workbench.trust.manage');
      }
      return undefined;
    }
    const target = await resolveSnippetTarget(this.deps.index, args);
    if (!target) return undefined;
    if (target.snippet.category !== 'shell') {
      void vscode.window.showWarningMessage(
        `This block is ${target.snippet.language || 'plain text'}, not a shell snippet.`,
      );
      return undefined;
    }
    const split = splitOfSnippet(target.snippet);
    let commands = split.commands;
    if (mode === 'line') {
      const line = typeof args[2] === 'number' ? args[2] : vscode.window.activeTextEditor?.selection.active.line;
      const chosen = line === undefined ? undefined : commandAt(split, line);
      if (!chosen) {
        void vscode.window.showInformationMessage(`Line ${(line ?? 0) + 1} holds no command to run.`);
        return undefined;
      }
      commands = [chosen];
    }
    if (commands.length === 0) {
      if (split.proseSteps.length) await this.showChecklist(target, split);
      else if (split.transcript)
        void vscode.window.showInformationMessage(
          'This block shows output only: no line starts with a "$ " prompt, so there is no command to run.',
        );
      else void vscode.window.showInformationMessage('This block holds no command to run, only comments.');
      return undefined;
    }
    const unfinished = commands.find((c) => c.incomplete);
    if (unfinished) {
      const go = 'Go to Line';
      void vscode.window
        .showErrorMessage(unfinishedCommandMessage(unfinished.endLine, unfinished.incomplete!), go)
        .then((choice) => {
          if (choice === go) void vscode.commands.executeCommand(COMMANDS.revealLine, target.uri, unfinished.endLine);
        });
      return undefined;
    }
    await this.deps.projects.ready();
    const project =
      this.deps.projects.active ?? (await pickProject(this.deps.projects, 'Run in the terminal of which project?'));
    if (!project) return undefined;
    return this.run(target, commands, project, mode);
  }

  showChecklist(target: SnippetTarget, split: SplitShellSnippet): Promise<void> {
    return this.checklist.show(target, split, this.deps.projects.active);
  }

  /** Where each command of a block would go, for lenses: placeholders unresolved, the CLI version as known now. */
  previewTargets(
    uri: vscode.Uri,
    commands: readonly ShellCommand[],
    project: LinkedProject,
  ): ReadonlyArray<readonly CommandTarget[]> {
    const root = folderOf(uri)?.uri.fsPath;
    const binary = this.deps.binaries.resolve(root);
    return previewCommandTargets(
      commands,
      this.planContext(root, project, binary, this.deps.binaries.knownVersion(binary).major),
    );
  }

  /** What planning needs to know about where the commands run: the projects, the CLI, the link, the database. */
  private planContext(
    root: string | undefined,
    project: LinkedProject,
    binary: ResolvedBinary,
    cliMajorVersion: number,
  ): PlanContext {
    const linkedRef = this.deps.linkedRefs.refOf(root);
    const databaseUrl = localDatabaseUrl(project);
    return {
      project,
      projects: this.deps.projects.all,
      supabase: binary.environment,
      cliMajorVersion,
      ...(linkedRef ? { linkedRef } : {}),
      ...(databaseUrl ? { databaseUrl } : {}),
    };
  }

  private async run(
    target: SnippetTarget,
    commands: readonly ShellCommand[],
    project: LinkedProject,
    mode: RunMode,
  ): Promise<SnippetRunState | undefined> {
    const { snippet, uri } = target;
    const folder = folderOf(uri);
    const root = folder?.uri.fsPath;
    const questions = placeholderQuestions(commands, listFunctionNames(root));
    const answers = questions.length
      ? await this.deps.prompt.ask(uri, questions, `Run "${snippet.label}"`)
      : new Map<string, string>();
    if (!answers) return undefined;
    // Secret values travel in the terminal's environment; the command line only names the variable.
    const values: Record<string, string> = {};
    const secretVariables: Record<string, string> = {};
    const secretEnv: Record<string, string> = {};
    for (const [name, value] of answers) {
      if (isSecretPlaceholder(name)) {
        secretVariables[name] = secretVariableName(name);
        secretEnv[secretVariableName(name)] = value;
      } else values[name] = value;
    }

    const binary = this.deps.binaries.resolve(root);
    const version = await this.deps.binaries.version(binary);
    const context = this.planContext(root, project, binary, version.major);
    const plan = planShellCommands(commands, values, context, secretVariables);
    this.deps.log.info(
      `${snippet.label}: Supabase CLI ${binary.path ?? 'npx supabase'} ${version.description}; linked project ${context.linkedRef ?? 'none'}`,
    );
    if (plan.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${plan.problems.join(' ')}`);
      return undefined;
    }

    // Only a run that logs in to the project's database gets its password (nobody is asked for it to run `echo`),
    // and only one calling the Management API gets the access token.
    const needs = runCredentialNeeds(plan.commands.map((c) => c.credentials));
    const storedPassword =
      needs.database && project.db ? await this.deps.secrets.get(project, 'dbPassword') : undefined;
    const password =
      needs.database && project.db
        ? (storedPassword ?? (await this.deps.secrets.databasePassword(project)))
        : undefined;
    if (needs.database && project.db && password === undefined) return undefined;

    const shell = shellForLanguage(snippet.language);
    if (mode !== 'stepwise' && !(await this.confirm(snippet.label, plan.commands, plan, project))) return undefined;
    // Where a command goes when that is not the active project, for the commands no dialog asked about.
    const elsewhere = plan.commands
      .filter((c) => !c.risky)
      .flatMap((c) =>
        c.targets.filter(isElsewhere).map((t) => `"${firstLine(c.original)}" reaches ${describeTarget(t)}: ${t.via}.`),
      );
    const withheld =
      needs.otherDatabases.length && plan.commands.some((c) => c.credentials.database)
        ? [
            `The database password of ${projectLabel(project)} is not put in this terminal, because ${needs.otherDatabases.join('; ')} and would receive it. Run the commands for ${project.name} on their own to give them the password.`,
          ]
        : [];
    const notices = [...plan.notices, ...elsewhere, ...withheld, ...(shell.fallback ? [shell.fallback] : [])];
    if (notices.length) void vscode.window.showInformationMessage(notices.join(' '));
    const askedAbout = mode !== 'stepwise' && plan.commands.some((c) => c.risky || c.stale.length > 0);
    if (plan.warnings.length && !askedAbout) void vscode.window.showWarningMessage(plan.warnings.join(' '));
    for (const note of plan.notes) this.deps.log.info(`${snippet.label}: ${note}`);

    const token = needs.managementApi ? await this.deps.secrets.get(undefined, 'accessToken') : undefined;
    const env: Record<string, string> = {};
    if (token) env.SUPABASE_ACCESS_TOKEN = token;
    if (password !== undefined && project.db) Object.assign(env, databaseEnvironment(project.db, password));
    Object.assign(env, secretEnv);
    const secrets = [token, password, ...Object.values(secretEnv)].filter((s): s is string => Boolean(s));
    const holds = [password !== undefined ? 'database' : '', token ? 'access token' : ''].filter(Boolean).join(' + ');
    const carriesSecrets = secrets.length > 0;

    const key = `${uri.toString()}#${snippet.id}`;
    const split = splitOfSnippet(snippet);
    const state: SnippetRunState = {
      status: 'running',
      results: [],
      longRunning: plan.commands.some((c) => c.untilStopped),
      mode,
      runningIn: new Set(),
      sentBlindTo: new Set(),
      stopRequested: false,
    };
    const stopped = new Promise<'stopped'>((resolve) => this.stopSignals.set(state, () => resolve('stopped')));
    this.remember(key, state);
    this.changed.fire();

    const background: Promise<void>[] = [];
    // A command sent without shell integration that the user has not yet said is done (Line by Line: the next Run).
    let unacknowledged: vscode.Terminal | undefined;
    // How the sequence ended early; applied once the commands still running in their own terminals have ended too.
    let ended: 'closed' | 'unknown' | 'failed' | undefined;
    try {
      for (const [i, command] of plan.commands.entries()) {
        if (state.stopRequested) break;
        if (mode === 'stepwise') {
          const comment = commentAbove(split, command.line);
          const choice = await askStep({
            index: i,
            count: plan.commands.length,
            line: command.line,
            command: command.text,
            risky: command.risky,
            ...(comment ? { comment } : {}),
            ...(reachText(command, project) ? { reach: reachText(command, project)! } : {}),
          });
          if (choice === 'skip') continue;
          if (choice === 'stop') {
            state.stopRequested = true;
            break;
          }
          if (!(await this.confirm(snippet.label, [command], plan, project))) continue;
          if (unacknowledged) {
            this.deps.terminals.acknowledge(unacknowledged);
            unacknowledged = undefined;
          }
        }
        const purpose = command.untilStopped
          ? ownTerminalName(command)
          : Object.keys(secretEnv).length
            ? 'secret'
            : undefined;
        const terminal = await this.terminalFor(
          {
            project,
            env,
            cwd: folder?.uri,
            shell,
            secretEnv: carriesSecrets,
            ...(holds ? { holds } : {}),
            ...(purpose ? { ownPurpose: purpose } : {}),
          },
          stopped,
        );
        if (!terminal) {
          state.stopRequested = true;
          break;
        }
        terminal.show(true);
        const integration = await this.deps.terminals.integration(terminal);
        if (!integration) {
          state.results.push(this.send(terminal, command, project, secrets, snippet.id, uri, state));
          this.changed.fire();
          const remaining = plan.commands.length - i - 1;
          const next = await this.askAfterBlindSend(terminal, command, remaining, mode, stopped);
          if (next === 'stop') {
            state.stopRequested = true;
            break;
          }
          // "Send Next Command": the user saw the output, so the terminal may take the next one.
          if (next === 'next') this.deps.terminals.acknowledge(terminal);
          else unacknowledged = terminal;
          continue;
        }
        if (command.untilStopped) {
          background.push(
            this.execute(terminal, integration, command, project, secrets, snippet.id, uri, state).then(
              () => undefined,
            ),
          );
          continue;
        }
        const result = await this.execute(terminal, integration, command, project, secrets, snippet.id, uri, state);
        if (result.ending === 'closed') {
          ended = 'closed';
          void vscode.window.showWarningMessage(
            `The terminal was closed while "${firstLine(command.text)}" ran, so its outcome is unknown${this.restText(plan, i)}.`,
          );
          break;
        }
        if (result.ending === 'not-started') {
          ended = 'unknown';
          void vscode.window.showWarningMessage(
            `"${terminal.name}" did not start "${firstLine(command.text)}" within ${Math.round(result.durationMs / 1000)} s: it may be waiting for input. Nothing more is typed into it${this.restText(plan, i)}.`,
          );
          break;
        }
        if (state.stopRequested) break;
        if (result.exitCode !== undefined && result.exitCode !== 0) {
          ended = 'failed';
          void vscode.window.showErrorMessage(
            `"${firstLine(command.text)}" exited with ${result.exitCode}${this.restText(plan, i)}.`,
          );
          break;
        }
      }
      if (background.length) await Promise.all(background);
      if (ended && !(ended !== 'closed' && state.stopRequested)) state.status = ended;
      this.settle(state, password, storedPassword, project, snippet.label);
    } finally {
      if (state.status === 'running') state.status = 'stopped';
      state.runningIn.clear();
      this.stopSignals.delete(state);
      this.remember(key, state);
      this.changed.fire();
    }
    return state;
  }

  /**
   * The terminal for the next command. One that got a command without shell integration may still be running it:
   * the user says whether to use a new terminal, send anyway or cancel (undefined).
   */
  private async terminalFor(
    request: TerminalRequest,
    stopped: Promise<'stopped'>,
  ): Promise<vscode.Terminal | undefined> {
    let obtained = this.deps.terminals.obtain(request);
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
      if (choice === fresh) return this.deps.terminals.obtain({ ...request, fresh: true }).terminal;
      if (choice !== anyway) return undefined;
      this.deps.terminals.acknowledge(obtained.terminal);
      obtained = { terminal: obtained.terminal };
    }
    if (obtained.sibling)
      void vscode.window.showInformationMessage(
        `${capitalise(obtained.sibling)}, so this command runs in "${obtained.terminal.name}".`,
      );
    return obtained.terminal;
  }

  /** Keeps a run's state as the newest, and lets the oldest finished outcomes go. */
  private remember(key: string, state: SnippetRunState): void {
    this.states.delete(key);
    this.states.set(key, state);
    const finished = [...this.states].filter(([, s]) => !canStop(s));
    for (const [old] of finished.slice(0, Math.max(0, finished.length - KEPT_OUTCOMES))) this.states.delete(old);
  }

  private forgetVanishedSnippets(): void {
    const present = new Set(
      this.deps.index.all.flatMap((e) => e.runbook.snippets.map((s) => `${e.uri.toString()}#${s.id}`)),
    );
    let forgot = false;
    for (const [key, state] of this.states)
      if (!canStop(state) && !present.has(key)) {
        this.states.delete(key);
        forgot = true;
      }
    if (forgot) this.changed.fire();
  }

  private settle(
    state: SnippetRunState,
    password: string | undefined,
    storedPassword: string | undefined,
    project: LinkedProject,
    label: string,
  ): void {
    if (state.status !== 'running') return;
    if (state.stopRequested) {
      state.status = 'stopped';
      return;
    }
    if (state.results.some((r) => r.exitCode !== undefined && r.exitCode !== 0)) {
      state.status = 'failed';
      return;
    }
    // Shells report no exit code for some command lines (a bare subshell such as `(exit 3)`).
    state.status = state.results.every((r) => r.exitCode !== undefined) ? 'done' : 'unknown';
    if (state.status === 'done') {
      const total = state.results.reduce((n, r) => n + r.durationMs, 0);
      void vscode.window.setStatusBarMessage(`$(pass) "${label}" finished: exit 0 in ${formatMs(total)}`, 8000);
      // A password that just worked is kept, so the next run does not ask again.
      if (
        password !== undefined &&
        storedPassword === undefined &&
        !(project.isLocal && project.source === 'local stack')
      )
        void this.deps.secrets.store(project, 'dbPassword', password);
    }
  }

  /** One dialog for the risky and the stale commands among `commands`; true when there is nothing to ask. */
  private async confirm(
    label: string,
    commands: readonly PlannedCommand[],
    plan: ShellPlan,
    project: LinkedProject,
  ): Promise<boolean> {
    const risky = commands.filter((c) => c.risky);
    const stale = commands.filter((c) => c.stale.length > 0);
    if (risky.length === 0 && stale.length === 0) return true;
    const targets = uniqueTargets(risky.flatMap((c) => c.targets));
    const details = [
      ...risky.map(
        (c) =>
          `${c.text}\n   ↳ ${c.reasons.join('; ')}\n   ↳ reaches ${c.targets.map((t) => `${describeTarget(t)}: ${t.via}`).join('; ')}`,
      ),
      ...[...new Set(stale.flatMap((c) => c.stale))].map((m) => `⚠ ${m}`),
      ...plan.warnings.map((w) => `⚠ ${w}`),
      ...plan.notices.map((n) => `Note: ${n}`),
    ];
    const headline = risky.length
      ? `"${label}" runs ${risky.length === 1 ? 'a command that changes things' : `${risky.length} commands that change things`}`
      : `"${label}" uses ${stale.length === 1 ? 'a command' : 'commands'} ${SUPABASE_CLI_NAME} does not have`;
    const confirmTargets: ConfirmTarget[] = risky.length
      ? targets.map((t) => ({
          name: targetName(t),
          production: t.production,
          ...(t.ref ? { ref: t.ref } : {}),
          ...(t.confirmText ? { confirmText: t.confirmText } : {}),
        }))
      : [{ name: project.name, production: false }];
    return this.deps.gate.confirm(project, {
      headline,
      details,
      action: risky.length ? 'Run in Terminal' : 'Run Anyway',
      targets: confirmTargets,
    });
  }

  private async execute(
    terminal: vscode.Terminal,
    integration: vscode.TerminalShellIntegration,
    command: PlannedCommand,
    project: LinkedProject,
    secrets: string[],
    snippetId: string,
    uri: vscode.Uri,
    state: SnippetRunState,
  ): Promise<CommandResult> {
    const reached = primaryTarget(command.targets);
    const record = this.recordRun(command, reached, project, secrets, snippetId, uri);
    this.deps.terminals.markBusy(terminal, `"${firstLine(command.text)}"`);
    this.takeOver(terminal, undefined);
    state.runningIn.add(terminal);
    this.changed.fire();
    try {
      const outcome = await executeInTerminal(terminal, integration, command.text);
      if (outcome.ending === 'not-started') this.deps.terminals.markSuspect(terminal);
      else if (outcome.ending === undefined) this.deps.terminals.idle(terminal);
      this.deps.journal.finish(record.id, { exitCode: outcome.exitCode ?? null, durationMs: outcome.durationMs });
      this.deps.log.info(
        `Terminal ${terminal.name} (${describeTarget(reached)}): ${maskSecrets(command.text, secrets)} → ${outcome.ending ?? `exit ${outcome.exitCode ?? 'unknown'}`} in ${outcome.durationMs} ms`,
      );
      const result: CommandResult = {
        command: command.text,
        line: command.line,
        exitCode: outcome.exitCode,
        durationMs: outcome.durationMs,
        output: keptOutput(maskSecrets(outcome.output, secrets)),
        reached: describeTarget(reached),
        terminalName: terminal.name,
        ...(outcome.ending ? { ending: outcome.ending } : {}),
      };
      state.results.push(result);
      return result;
    } finally {
      state.runningIn.delete(terminal);
      this.changed.fire();
    }
  }

  /**
   * Without shell integration nothing tells when a command ends: the text is typed and the user drives. The
   * terminal stays "unsure" (the next run asks) and this run's Stop still reaches it.
   */
  private send(
    terminal: vscode.Terminal,
    command: PlannedCommand,
    project: LinkedProject,
    secrets: string[],
    snippetId: string,
    uri: vscode.Uri,
    state: SnippetRunState,
  ): CommandResult {
    const reached = primaryTarget(command.targets);
    this.recordRun(command, reached, project, secrets, snippetId, uri);
    terminal.sendText(command.text, true);
    this.deps.terminals.markSentBlind(terminal, `"${firstLine(command.text)}"`);
    this.takeOver(terminal, state);
    return {
      command: command.text,
      line: command.line,
      exitCode: undefined,
      durationMs: 0,
      output: '',
      ending: 'no-integration',
      reached: describeTarget(reached),
      terminalName: terminal.name,
    };
  }

  /** Files the command in the run journal under where it goes, secrets masked; the active project noted when it goes elsewhere. */
  private recordRun(
    command: PlannedCommand,
    reached: CommandTarget,
    project: LinkedProject,
    secrets: string[],
    snippetId: string,
    uri: vscode.Uri,
  ): RunRecord {
    return this.deps.journal.record({
      kind: 'shell',
      project: reached.name,
      command: maskSecrets(command.text, secrets),
      snippetId,
      runbookPath: vscode.workspace.asRelativePath(uri),
      line: command.line,
      target: toRunTarget(reached),
      ...(isElsewhere(reached) ? { activeProject: project.name } : {}),
    });
  }

  /** The run whose Stop reaches a blindly sent command in the terminal is the last one that typed there. */
  private takeOver(terminal: vscode.Terminal, state: SnippetRunState | undefined): void {
    const previous = this.blindSender.get(terminal);
    if (previous && previous !== state && previous.sentBlindTo.delete(terminal)) this.changed.fire();
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

  private restText(plan: ShellPlan, index: number): string {
    const rest = plan.commands.length - index - 1;
    return rest ? `; the ${rest} command${rest === 1 ? '' : 's'} after it did not run` : '';
  }
}

/** Stop can still reach the run: it is running, or a command it sent blindly may be. */
export function canStop(state: SnippetRunState): boolean {
  return state.status === 'running' || state.sentBlindTo.size > 0;
}

/** The connection of psql and the other clients: the active project's database, password included. */
function databaseEnvironment(db: DatabaseTarget, password: string): Record<string, string> {
  return {
    PGHOST: db.host,
    PGPORT: String(db.port),
    PGUSER: db.user,
    PGDATABASE: db.database,
    PGPASSWORD: password,
    PGSSLMODE: db.sslmode === 'prefer' ? 'prefer' : db.sslmode,
    ...(db.caFile && (db.sslmode === 'verify-ca' || db.sslmode === 'verify-full') ? { PGSSLROOTCERT: db.caFile } : {}),
  };
}

function keptOutput(output: string): string {
  return output.length > KEPT_OUTPUT_CHARS ? `…${output.slice(-KEPT_OUTPUT_CHARS)}` : output;
}

function folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
}

/** A passwordless URL for a local database that is not the stack's default; the password goes in PGPASSWORD. */
function localDatabaseUrl(project: LinkedProject): string | undefined {
  if (!project.isLocal || !project.db || (project.source === 'local stack' && project.db.port === LOCAL_DB_PORT))
    return undefined;
  const db = project.db;
  return `postgresql://${encodeURIComponent(db.user)}@${db.host}:${db.port}/${encodeURIComponent(db.database)}?sslmode=${db.sslmode === 'prefer' ? 'disable' : db.sslmode}`;
}

function toRunTarget(target: CommandTarget): RunTarget {
  return {
    name: target.name,
    production: target.production,
    kind: target.kind,
    ...(target.ref ? { ref: target.ref } : {}),
  };
}

function reachText(command: PlannedCommand, project: LinkedProject): string | undefined {
  const elsewhere = command.targets.filter(isElsewhere);
  return elsewhere.length ? `Reaches ${elsewhere.map(describeTarget).join(' and ')}, not ${project.name}` : undefined;
}

/** "functions logs", "tail /dev/null": what tells a terminal of its own apart, first in its name. */
function ownTerminalName(command: PlannedCommand): string {
  const words = command.original.split(/\s+/).filter((w) => !w.startsWith('-') && !w.startsWith('<'));
  return (words[0] === 'supabase' ? words.slice(1, 3) : words.slice(0, 2)).join(' ');
}

function firstLine(text: string): string {
  const lines = text.split('\n');
  return lines.length > 1 ? `${lines[0]} …` : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
