// Runs runbook shell commands in the project's terminal: a whole block, line by line, or one command. A run goes
// through five steps, each in its own place: the placeholders are asked for (shellQuestions, the prompt); the
// commands are planned, targeted and judged (core/shell, with the CLI context of vscode/supabase); the run's
// credentials are gathered (vscode/credentials: only what its commands need); risky and stale commands are confirmed
// (shellConfirmation); the commands run one at a time in their terminals (shellRunExecutor), with the journal and the
// outcome kept (shellRunRecorder, shellRunStates).
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { ProjectService } from '../projects/projectService';
import type { PlaceholderPrompt } from '../placeholders/placeholderPrompt';
import type { RiskGate } from '../safety/confirmRisk';
import type { ProjectTerminals } from './projectTerminals';
import type { SupabaseCliContext, CliRunContext } from '../supabase/cliContext';
import type { CredentialService, RunCredentials } from '../credentials/credentialService';
import type { MissingCli } from '../tasks/missingCli';
import type { RunJournal } from '../../core/journal/runJournal';
import type { LinkedProject } from '../../core/projects/linkedProject';
import {
  commandAt,
  splitOfSnippet,
  type ShellCommand,
  type SplitShellSnippet,
} from '../../core/bash/splitShellSnippet';
import { unfinishedCommandMessage } from '../../core/bash/openConstructs';
import { planShellCommands, type ShellPlan } from '../../core/shell/planShellCommands';
import { workspaceFolderOf as folderOf } from './workspaceFolderOf';
import { uniqueTargets } from '../../core/targets/commandTarget';
import { runCredentialNeeds, type CredentialNeeds } from '../../core/safety/credentialNeeds';
import { splitPlaceholderAnswers, type PlaceholderAnswers } from '../../core/credentials/secretPlaceholders';
import { formatMs } from '../../core/tables/quantity';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import { placeholderQuestions } from './shellQuestions';
import { listFunctionNames } from '../../node/supabase/functionNames';
import { shellForLanguage } from '../../node/shell/terminalShell';
import { ShellChecklist } from './shellChecklist';
import { ShellConfirmation } from './shellConfirmation';
import { ShellRunExecutor } from './shellRunExecutor';
import { commandName } from './commandText';
import { ShellRunRecorder } from './shellRunRecorder';
import { ShellRunStates, canStop, type RunMode, type SnippetRunState, type StartedRun } from './shellRunStates';
import { Disposable } from '../../core/lifecycle/disposable';
import { COMMANDS } from '../commands/commandIds';

export type { CommandResult, RunMode, SnippetRunState } from './shellRunStates';
export { canStop, KEPT_OUTCOMES, KEPT_OUTPUT_CHARS } from './shellRunStates';

/** A run's commands as planned, with the CLI that runs them. */
interface PreparedRun {
  plan: ShellPlan;
  cli: CliRunContext;
}

export class ShellSnippetRunner extends Disposable {
  private readonly states: ShellRunStates;
  private readonly executor: ShellRunExecutor;
  private readonly confirmation: ShellConfirmation;
  private readonly checklist: ShellChecklist;
  readonly onDidChangeState: vscode.Event<void>;
  /** Fires when where commands go may have changed: a CLI version read, a `supabase link` done. */
  readonly onDidChangeTargets: vscode.Event<void>;

  constructor(
    private readonly deps: {
      index: RunbookIndex;
      projects: ProjectService;
      prompt: PlaceholderPrompt;
      gate: RiskGate;
      terminals: ProjectTerminals;
      journal: RunJournal;
      log: vscode.LogOutputChannel;
      cli: SupabaseCliContext;
      credentials: CredentialService;
      missingCli: MissingCli;
      /** The runs' states, which the lenses and the Playbooks view read before any run loads this runner. */
      states: ShellRunStates;
    },
  ) {
    super();
    this.states = deps.states;
    this.executor = this._register(
      new ShellRunExecutor(deps.terminals, new ShellRunRecorder(deps.journal, deps.log), this.states),
    );
    this.confirmation = new ShellConfirmation(deps.gate, deps.log);
    this.checklist = new ShellChecklist(deps.journal);
    this.onDidChangeState = this.states.onDidChange;
    this.onDidChangeTargets = deps.cli.onDidChange;
  }

  /** The snippets (uri#id) with a run that Stop can still reach: running, or sent blindly and maybe running. */
  runningKeys(): string[] {
    return this.states.stoppableKeys();
  }

  stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined {
    return this.states.get(uri, snippetId);
  }

  /** Interrupts what a snippet's run is running (a `--tail`, a slow command) with Ctrl+C, and stops the rest. */
  stop(uri: vscode.Uri, snippetId: string): void {
    const state = this.stateOf(uri, snippetId);
    if (!state || !canStop(state)) return;
    state.stopRequested = true;
    this.executor.interrupt(state);
    if (state.status !== 'running') state.status = 'stopped';
    this.states.signalStop(state);
    this.states.fire();
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
  private async run(
    target: SnippetTarget,
    commands: readonly ShellCommand[],
    project: LinkedProject,
    mode: RunMode,
  ): Promise<SnippetRunState | undefined> {
    const folder = folderOf(target.uri);
    const answers = await this.askPlaceholders(target, commands, folder);
    if (!answers) return undefined;
    const prepared = await this.prepare(target, commands, project, folder, answers);
    if (!prepared) return undefined;
    if (!this.cliAvailable(prepared.plan, folder, () => this.run(target, commands, project, mode))) return undefined;
    const credentials = await this.gatherCredentials(target, prepared, project, folder, answers);
    if (!credentials) return undefined;
    if (!(await this.confirm(target, prepared.plan, project, mode, credentials.needs))) return undefined;
    return this.execute(target, prepared.plan, project, mode, folder, credentials, answers);
  }

  /** Step 1: a value for each placeholder; secret ones go to the environment, never into the command line. */
  private async askPlaceholders(
    target: SnippetTarget,
    commands: readonly ShellCommand[],
    folder: vscode.WorkspaceFolder | undefined,
  ): Promise<PlaceholderAnswers | undefined> {
    const questions = placeholderQuestions(commands, listFunctionNames(folder?.uri.fsPath));
    const answers = questions.length
      ? await this.deps.prompt.ask(target.uri, questions, `Run "${target.snippet.label}"`)
      : new Map<string, string>();
    return answers && splitPlaceholderAnswers(answers);
  }

  /** Step 2: the commands as they will be typed, each with its real target, risk and needs; refused with its problems. */
  private async prepare(
    target: SnippetTarget,
    commands: readonly ShellCommand[],
    project: LinkedProject,
    folder: vscode.WorkspaceFolder | undefined,
    answers: PlaceholderAnswers,
  ): Promise<PreparedRun | undefined> {
    const label = target.snippet.label;
    const cli = await this.deps.cli.forRun(folder?.uri.fsPath, project);
    const plan = planShellCommands(commands, answers.values, cli.plan, answers.secretVariables);
    this.deps.log.info(
      `${label}: Supabase CLI ${cli.binary.path ?? 'npx supabase'} ${cli.version.description}; linked project ${cli.plan.linkedRef ?? 'none'}`,
    );
    if (plan.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${label}": ${plan.problems.join(' ')}`);
      return undefined;
    }
    return { plan, cli };
  }

  /**
   * Without a CLI, `supabase` would be typed as `npx supabase`, which fails in the terminal with npm's own words: say
   * so instead, with the fix, and send nothing. `retry` runs the block again once the CLI is added.
   */
  private cliAvailable(plan: ShellPlan, folder: vscode.WorkspaceFolder | undefined, retry: () => unknown): boolean {
    const first = plan.commands.find((c) => c.supabaseBinary === 'npx');
    if (!first) return true;
    void this.deps.missingCli.explain(commandName(first.display), folder, retry);
    return false;
  }

  /** Step 3: what the run's commands need, and nothing more; undefined when a question was cancelled. */
  private async gatherCredentials(
    target: SnippetTarget,
    { plan, cli }: PreparedRun,
    project: LinkedProject,
    folder: vscode.WorkspaceFolder | undefined,
    answers: PlaceholderAnswers,
  ): Promise<(RunCredentials & { needs: CredentialNeeds }) | undefined> {
    const needs = runCredentialNeeds(plan.commands.map((c) => c.credentials));
    const credentials = await this.deps.credentials.obtain({
      project,
      needs,
      secretEnv: answers.secretEnv,
      label: target.snippet.label,
      managementApiCommands: plan.commands
        .filter((c) => c.credentials.managementApi)
        .map((c) => commandName(c.display)),
      cli: {
        ...(cli.binary.path ? { binary: cli.binary.path } : {}),
        ...(folder ? { cwd: folder.uri } : {}),
      },
    });
    return credentials && { ...credentials, needs };
  }

  /** Step 4: commands that cannot be targeted are shown, stale and risky ones asked about (Line by Line: per command). */
  private async confirm(
    target: SnippetTarget,
    plan: ShellPlan,
    project: LinkedProject,
    mode: RunMode,
    needs: CredentialNeeds,
  ): Promise<boolean> {
    this.confirmation.warn(plan);
    if (mode !== 'stepwise' && !(await this.confirmation.confirm(plan.commands, project))) return false;
    this.confirmation.tell(target.snippet.label, plan, project, needs, shellForLanguage(target.snippet.language));
    return true;
  }

  /** Step 5: the commands in their terminals, the run's state kept for the lens and the tree. */
  private async execute(
    target: SnippetTarget,
    plan: ShellPlan,
    project: LinkedProject,
    mode: RunMode,
    folder: vscode.WorkspaceFolder | undefined,
    credentials: RunCredentials,
    answers: PlaceholderAnswers,
  ): Promise<SnippetRunState> {
    const run = this.states.start(
      target.uri,
      target.snippet.id,
      mode,
      plan.commands.some((c) => c.untilStopped),
    );
    try {
      const ended = await this.executor.execute({
        run,
        plan,
        mode,
        project,
        split: splitOfSnippet(target.snippet),
        snippetId: target.snippet.id,
        uri: target.uri,
        terminal: {
          project,
          // Named after where the commands really go, not after the active project.
          reaches: uniqueTargets(plan.commands.flatMap((c) => c.targets)),
          env: credentials.env,
          cwd: folder?.uri,
          shell: shellForLanguage(target.snippet.language),
          secretEnv: credentials.carriesSecrets,
          ...(credentials.holds ? { holds: credentials.holds } : {}),
          ...(Object.keys(answers.secretEnv).length ? { ownPurpose: 'secret' } : {}),
        },
        secrets: credentials.secrets,
        confirm: (command) => this.confirmation.confirm([command], project),
      });
      const { state } = run;
      if (ended && !(ended !== 'closed' && state.stopRequested)) state.status = ended;
      this.settle(run, project, credentials, target.snippet.label);
    } finally {
      this.states.end(run);
    }
    return run.state;
  }

  /** How a run that went through ended; a password that just worked is kept. */
  private settle(run: StartedRun, project: LinkedProject, credentials: RunCredentials, label: string): void {
    const { state } = run;
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
      this.deps.credentials.keepWorkingPassword(project, credentials);
    }
  }
}
