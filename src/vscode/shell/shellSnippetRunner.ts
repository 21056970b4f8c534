// Runs runbook shell commands in the project's terminal: a whole block, line by line, or one command. Placeholders
// are asked for, the commands planned (targeted, risk judged, real target worked out), confirmed when they change
// things or use a command the CLI no longer has, then run one at a time with their exit codes recorded.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { ProjectService } from '../projects/projectService';
import type { SecretStore } from '../secrets/secretStore';
import type { PlaceholderPrompt } from '../placeholders/placeholderPrompt';
import type { ConfirmTarget, RiskGate } from '../safety/confirmRisk';
import type { ProjectTerminals } from './projectTerminals';
import type { SupabaseBinaries } from './supabaseBinary';
import type { LinkedRefs } from './linkedRefs';
import type { RunJournal, RunTarget } from '../../core/journal/runJournal';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { splitShellSnippet, type ShellCommand, type SplitShellSnippet } from '../../core/shell/splitShellSnippet';
import { tokenizeShell } from '../../core/shell/shellLexer';
import { isSecretPlaceholder, secretVariableName } from '../../core/shell/placeholderValues';
import { maskSecrets } from '../../core/shell/maskSecrets';
import { unfinishedCommandMessage } from '../../core/shell/openConstructs';
import { planShellCommands, previewTargets, type PlanContext, type PlannedCommand, type ShellPlan } from '../../core/shell/planShellCommands';
import { describeTarget, type CommandTarget } from '../../core/shell/commandTarget';
import { SUPABASE_CLI_TABLE_VERSION } from '../../core/shell/supabaseCommandTable';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import { LOCAL_DB_PORT } from '../../core/projects/discoverProjects';
import { listFunctionNames, placeholderQuestions } from './shellQuestions';
import { shellForLanguage } from './terminalShell';
import { executeInTerminal } from './terminalExecution';
import { askStep } from './stepPicker';
import { ShellChecklist } from './shellChecklist';

export type RunMode = 'all' | 'stepwise' | 'line';

export interface CommandResult {
  command: string;
  line: number;
  exitCode: number | undefined;
  durationMs: number;
  /** Output as the terminal showed it (shell integration only), capped, secrets masked. */
  output: string;
  /** Why no exit code came. */
  ending?: 'closed' | 'not-started' | 'no-integration';
  /** Where the command went: "linked abcdefghijklmnopqrst (production)". */
  reached: string;
  terminal: vscode.Terminal;
}

export interface SnippetRunState {
  status: 'running' | 'done' | 'failed' | 'unknown' | 'stopped' | 'closed';
  results: CommandResult[];
  /** The terminal of the command that runs (or ran) last. */
  terminal?: vscode.Terminal;
  /** A command of this run runs until stopped, in a terminal of its own. */
  longRunning: boolean;
  mode: RunMode;
  /** Terminals where a command of this run is running now: Stop sends Ctrl+C to them. */
  runningIn: Set<vscode.Terminal>;
  stopRequested: boolean;
}

// `supabase migration new` only writes a file: it needs no database password.
const DATABASE_CLIENTS = /(^|[\s;&|(])(supabase\s+(db|migrations?(?!\s+new\b)|inspect|gen|seed|test)\b|psql\b|pg_dump\b|pg_restore\b|pgbench\b)/;

export class ShellSnippetRunner implements vscode.Disposable {
  private readonly states = new Map<string, SnippetRunState>();
  private readonly checklist: ShellChecklist;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeState = this.changed.event;

  constructor(private readonly deps: {
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
  }) {
    this.checklist = new ShellChecklist(deps.journal);
  }

  /** Fires when where commands go may have changed: a CLI version read, a `supabase link` done. */
  readonly onDidChangeTargets: vscode.Event<void> = (listener, thisArg, disposables) => {
    const subscription = vscode.Disposable.from(this.deps.binaries.onDidDetectVersion(listener, thisArg), this.deps.linkedRefs.onDidChange(listener, thisArg));
    disposables?.push(subscription);
    return subscription;
  };

  /**
   * What the lenses and the tree show of every run, as one string: they redraw only when it changes, because every
   * redraw replaces the lenses and a click on a replaced lens is lost.
   */
  visibleStateKey(): string {
    return [...this.states].map(([key, s]) => `${key}|${s.status}|${s.results.length}|${s.longRunning}`).join('\n');
  }

  /** The snippets (uri#id) with a run going on. */
  runningKeys(): string[] {
    return [...this.states].filter(([, s]) => s.status === 'running').map(([key]) => key);
  }

  stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined {
    return this.states.get(`${uri.toString()}#${snippetId}`);
  }

  /** Interrupts what a snippet's run is running (a `--tail`, a slow command) with Ctrl+C, and stops the rest. */
  stop(uri: vscode.Uri, snippetId: string): void {
    const state = this.stateOf(uri, snippetId);
    if (!state || state.status !== 'running') return;
    state.stopRequested = true;
    for (const terminal of state.runningIn) terminal.sendText('\u0003', false);
    this.changed.fire();
  }

  async runFromCommand(args: unknown[], mode: RunMode): Promise<SnippetRunState | undefined> {
    if (!vscode.workspace.isTrusted) {
      const manage = 'Manage Workspace Trust';
      if (await vscode.window.showWarningMessage('Runbook snippets do not run in Restricted Mode. Trust this workspace to run commands.', manage) === manage) {
        await vscode.commands.executeCommand('workbench.trust.manage');
      }
      return undefined;
    }
    const target = await resolveSnippetTarget(this.deps.index, args);
    if (!target) return undefined;
    if (target.snippet.category !== 'shell') {
      void vscode.window.showWarningMessage(`This block is ${target.snippet.language || 'plain text'}, not a shell snippet.`);
      return undefined;
    }
    const split = splitShellSnippet(target.snippet.body, target.snippet.bodyStartLine, target.snippet.language);
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
      else if (split.transcript) void vscode.window.showInformationMessage('This block shows output only: no line starts with a "$ " prompt, so there is no command to run.');
      else void vscode.window.showInformationMessage('This block holds no command to run, only comments.');
      return undefined;
    }
    const unfinished = commands.find((c) => c.incomplete);
    if (unfinished) {
      const go = 'Go to Line';
      void vscode.window.showErrorMessage(unfinishedCommandMessage(unfinished.endLine, unfinished.incomplete!), go).then((choice) => {
        if (choice === go) void vscode.commands.executeCommand('runbook.revealLine', target.uri, unfinished.endLine);
      });
      return undefined;
    }
    await this.deps.projects.ready();
    const project = this.deps.projects.active ?? await pickProject(this.deps.projects, 'Run in the terminal of which project?');
    if (!project) return undefined;
    return this.run(target, commands, project, mode);
  }

  showChecklist(target: SnippetTarget, split: SplitShellSnippet): Promise<void> {
    return this.checklist.show(target, split, this.deps.projects.active);
  }

  /** Where each command of a block would go, for lenses: placeholders unresolved, the CLI version as known now. */
  previewTargets(uri: vscode.Uri, commands: readonly ShellCommand[], project: LinkedProject): CommandTarget[][] {
    const folder = folderOf(uri);
    const binary = this.deps.binaries.resolve(folder?.uri.fsPath);
    const context: PlanContext = {
      project, projects: this.deps.projects.all, supabase: binary.environment, cliMajorVersion: this.deps.binaries.knownVersion(binary).major,
      ...(this.deps.linkedRefs.refOf(folder?.uri.fsPath) ? { linkedRef: this.deps.linkedRefs.refOf(folder?.uri.fsPath)! } : {}),
      ...(localDatabaseUrl(project) ? { databaseUrl: localDatabaseUrl(project)! } : {}),
    };
    return commands.map((c) => (c.incomplete ? [] : previewTargets(c.text, context)));
  }

  private async run(target: SnippetTarget, commands: readonly ShellCommand[], project: LinkedProject, mode: RunMode): Promise<SnippetRunState | undefined> {
    const { snippet, uri } = target;
    const folder = folderOf(uri);
    const root = folder?.uri.fsPath;
    const questions = placeholderQuestions(commands, listFunctionNames(root));
    const answers = questions.length ? await this.deps.prompt.ask(uri, questions, `Run "${snippet.label}"`) : new Map<string, string>();
    if (!answers) return undefined;
    // Secret values travel in the terminal's environment; the command line only names the variable.
    const values: Record<string, string> = {};
    const secretVariables: Record<string, string> = {};
    const secretEnv: Record<string, string> = {};
    for (const [name, value] of answers) {
      if (isSecretPlaceholder(name)) { secretVariables[name] = secretVariableName(name); secretEnv[secretVariableName(name)] = value; } else values[name] = value;
    }

    // Only commands that reach the database need its password; nobody should be asked for it to run `echo`.
    const needsDatabase = commands.some((c) => DATABASE_CLIENTS.test(c.text));
    const storedPassword = project.db ? await this.deps.secrets.get(project, 'dbPassword') : undefined;
    const password = storedPassword ?? (project.db && needsDatabase ? await this.deps.secrets.databasePassword(project) : undefined);
    if (project.db && needsDatabase && password === undefined) return undefined;

    const binary = this.deps.binaries.resolve(root);
    const version = await this.deps.binaries.version(binary);
    const linkedRef = this.deps.linkedRefs.refOf(root);
    const databaseUrl = localDatabaseUrl(project);
    const plan = planShellCommands(commands, values, {
      project, projects: this.deps.projects.all, supabase: binary.environment, cliMajorVersion: version.major,
      ...(linkedRef ? { linkedRef } : {}), ...(databaseUrl ? { databaseUrl } : {}),
    }, secretVariables);
    this.deps.log.info(`${snippet.label}: Supabase CLI ${binary.path ?? 'npx supabase'} ${version.description}; linked project ${linkedRef ?? 'none'}`);
    if (plan.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${plan.problems.join(' ')}`);
      return undefined;
    }
    const shell = shellForLanguage(snippet.language);
    if (mode !== 'stepwise' && !(await this.confirm(snippet.label, plan.commands, plan, project))) return undefined;
    // Where a command goes when that is not the active project, for the commands no dialog asked about.
    const elsewhere = plan.commands.filter((c) => !c.risky).flatMap((c) => c.targets.filter((t) => t.kind !== 'active').map((t) => `"${firstLine(c.original)}" reaches ${describeTarget(t)}: ${t.via}.`));
    const notices = [...plan.notices, ...elsewhere, ...(shell.fallback ? [shell.fallback] : [])];
    if (notices.length) void vscode.window.showInformationMessage(notices.join(' '));
    const askedAbout = mode !== 'stepwise' && plan.commands.some((c) => c.risky || c.stale.length > 0);
    if (plan.warnings.length && !askedAbout) void vscode.window.showWarningMessage(plan.warnings.join(' '));
    for (const note of plan.notes) this.deps.log.info(`${snippet.label}: ${note}`);

    const env: Record<string, string> = {};
    const token = await this.deps.secrets.get(undefined, 'accessToken');
    if (token) env.SUPABASE_ACCESS_TOKEN = token;
    if (password) env.PGPASSWORD = password;
    if (project.db) env.PGSSLMODE = project.db.sslmode === 'prefer' ? 'prefer' : project.db.sslmode;
    Object.assign(env, secretEnv);
    const secrets = [token, password, ...Object.values(secretEnv)].filter((s): s is string => Boolean(s));
    const carriesSecrets = Boolean(token || password || Object.keys(secretEnv).length);

    const key = `${uri.toString()}#${snippet.id}`;
    const state: SnippetRunState = { status: 'running', results: [], longRunning: plan.commands.some((c) => c.untilStopped), mode, runningIn: new Set(), stopRequested: false };
    this.states.set(key, state);
    this.changed.fire();

    const background: Promise<void>[] = [];
    let warnedNoIntegration = false;
    // How the sequence ended early; applied once the commands still running in their own terminals have ended too.
    let ended: 'closed' | 'unknown' | 'failed' | undefined;
    try {
      for (const [i, command] of plan.commands.entries()) {
        if (state.stopRequested) break;
        if (mode === 'stepwise') {
          const comment = commentAbove(target, command.line);
          const choice = await askStep({ index: i, count: plan.commands.length, line: command.line, command: command.text, risky: command.risky, ...(comment ? { comment } : {}), ...(reachText(command, project) ? { reach: reachText(command, project)! } : {}) });
          if (choice === 'skip') continue;
          if (choice === 'stop') { state.stopRequested = true; break; }
          if (!(await this.confirm(snippet.label, [command], plan, project))) continue;
        }
        const purpose = command.untilStopped ? ownTerminalName(command) : Object.keys(secretEnv).length ? 'secret' : undefined;
        const { terminal, sibling } = this.deps.terminals.obtain({ project, env, cwd: folder?.uri, shell, secretEnv: carriesSecrets, ...(purpose ? { ownPurpose: purpose } : {}) });
        if (sibling) void vscode.window.showInformationMessage(`${capitalise(sibling)}, so this command runs in "${terminal.name}".`);
        terminal.show(true);
        state.terminal = terminal;
        this.changed.fire();
        const integration = await this.deps.terminals.integration(terminal);
        if (!integration) {
          state.results.push(this.send(terminal, command, project, secrets, snippet.id, uri));
          this.changed.fire();
          const remaining = plan.commands.length - i - 1;
          const next = await this.askAfterBlindSend(command, remaining, mode, warnedNoIntegration);
          warnedNoIntegration = true;
          if (next !== 'next') { state.stopRequested = true; break; }
          continue;
        }
        if (command.untilStopped) {
          background.push(this.execute(terminal, integration, command, project, secrets, snippet.id, uri, state).then(() => undefined));
          continue;
        }
        const result = await this.execute(terminal, integration, command, project, secrets, snippet.id, uri, state);
        if (result.ending === 'closed') {
          ended = 'closed';
          void vscode.window.showWarningMessage(`The terminal was closed while "${firstLine(command.text)}" ran, so its outcome is unknown${this.restText(plan, i)}.`);
          break;
        }
        if (result.ending === 'not-started') {
          ended = 'unknown';
          void vscode.window.showWarningMessage(`"${terminal.name}" did not start "${firstLine(command.text)}" within ${Math.round(result.durationMs / 1000)} s: it may be waiting for input. Nothing more is typed into it${this.restText(plan, i)}.`);
          break;
        }
        if (state.stopRequested) break;
        if (result.exitCode !== undefined && result.exitCode !== 0) {
          ended = 'failed';
          void vscode.window.showErrorMessage(`"${firstLine(command.text)}" exited with ${result.exitCode}${this.restText(plan, i)}.`);
          break;
        }
      }
      if (background.length) await Promise.all(background);
      if (ended && !(ended !== 'closed' && state.stopRequested)) state.status = ended;
      this.settle(state, password, storedPassword, project, snippet.label);
    } finally {
      if (state.status === 'running') state.status = 'stopped';
      state.runningIn.clear();
      this.changed.fire();
    }
    return state;
  }

  private settle(state: SnippetRunState, password: string | undefined, storedPassword: string | undefined, project: LinkedProject, label: string): void {
    if (state.status !== 'running') return;
    if (state.stopRequested) { state.status = 'stopped'; return; }
    if (state.results.some((r) => r.exitCode !== undefined && r.exitCode !== 0)) { state.status = 'failed'; return; }
    // Shells report no exit code for some command lines (a bare subshell such as `(exit 3)`).
    state.status = state.results.every((r) => r.exitCode !== undefined) ? 'done' : 'unknown';
    if (state.status === 'done') {
      const total = state.results.reduce((n, r) => n + r.durationMs, 0);
      void vscode.window.setStatusBarMessage(`$(pass) "${label}" finished: exit 0 in ${formatDuration(total)}`, 8000);
      // A password that just worked is kept, so the next run does not ask again.
      if (password !== undefined && storedPassword === undefined && !(project.isLocal && project.source === 'local stack')) void this.deps.secrets.store(project, 'dbPassword', password);
    }
  }

  /** One dialog for the risky and the stale commands among `commands`; true when there is nothing to ask. */
  private async confirm(label: string, commands: readonly PlannedCommand[], plan: ShellPlan, project: LinkedProject): Promise<boolean> {
    const risky = commands.filter((c) => c.risky);
    const stale = commands.filter((c) => c.stale.length > 0);
    if (risky.length === 0 && stale.length === 0) return true;
    const targets = uniqueTargets(risky.flatMap((c) => c.targets));
    const details = [
      ...risky.map((c) => `${c.text}\n   ↳ ${c.reasons.join('; ')}\n   ↳ reaches ${c.targets.map((t) => `${describeTarget(t)}: ${t.via}`).join('; ')}`),
      ...[...new Set(stale.flatMap((c) => c.stale))].map((m) => `⚠ ${m}`),
      ...plan.warnings.map((w) => `⚠ ${w}`),
      ...plan.notices.map((n) => `Note: ${n}`),
    ];
    const headline = risky.length
      ? `"${label}" runs ${risky.length === 1 ? 'a command that changes things' : `${risky.length} commands that change things`}`
      : `"${label}" uses ${stale.length === 1 ? 'a command' : 'commands'} Supabase CLI ${SUPABASE_CLI_TABLE_VERSION.replace(/\.0$/, '')} does not have`;
    const confirmTargets: ConfirmTarget[] = risky.length ? targets.map((t) => ({ name: t.name, production: t.production, ...(t.ref ? { ref: t.ref } : {}), ...(t.confirmText ? { confirmText: t.confirmText } : {}) })) : [{ name: project.name, production: false }];
    return this.deps.gate.confirm(project, { headline, details, action: risky.length ? 'Run in Terminal' : 'Run Anyway', targets: confirmTargets });
  }

  private async execute(terminal: vscode.Terminal, integration: vscode.TerminalShellIntegration, command: PlannedCommand, project: LinkedProject, secrets: string[], snippetId: string, uri: vscode.Uri, state: SnippetRunState): Promise<CommandResult> {
    const reached = primaryTarget(command);
    const record = this.deps.journal.record({
      kind: 'shell', project: reached.name, command: maskSecrets(command.text, secrets), snippetId, runbookPath: vscode.workspace.asRelativePath(uri), line: command.line,
      target: toRunTarget(reached), ...(reached.kind !== 'active' ? { activeProject: project.name } : {}),
    });
    this.deps.terminals.markBusy(terminal, `"${firstLine(command.text)}"`);
    state.runningIn.add(terminal);
    this.changed.fire();
    try {
      const outcome = await executeInTerminal(terminal, integration, command.text);
      if (outcome.ending === 'not-started') this.deps.terminals.markSuspect(terminal);
      else if (outcome.ending === undefined) this.deps.terminals.idle(terminal);
      this.deps.journal.finish(record.id, { exitCode: outcome.exitCode ?? null, durationMs: outcome.durationMs });
      this.deps.log.info(`Terminal ${terminal.name} (${describeTarget(reached)}): ${maskSecrets(command.text, secrets)} → ${outcome.ending ?? `exit ${outcome.exitCode ?? 'unknown'}`} in ${outcome.durationMs} ms`);
      const result: CommandResult = {
        command: command.text, line: command.line, exitCode: outcome.exitCode, durationMs: outcome.durationMs, output: maskSecrets(outcome.output, secrets),
        reached: describeTarget(reached), terminal, ...(outcome.ending ? { ending: outcome.ending } : {}),
      };
      state.results.push(result);
      return result;
    } finally {
      state.runningIn.delete(terminal);
      this.changed.fire();
    }
  }

  /** Without shell integration nothing tells when a command ends: the text is typed and the user drives. */
  private send(terminal: vscode.Terminal, command: PlannedCommand, project: LinkedProject, secrets: string[], snippetId: string, uri: vscode.Uri): CommandResult {
    const reached = primaryTarget(command);
    this.deps.journal.record({
      kind: 'shell', project: reached.name, command: maskSecrets(command.text, secrets), snippetId, runbookPath: vscode.workspace.asRelativePath(uri), line: command.line,
      target: toRunTarget(reached), ...(reached.kind !== 'active' ? { activeProject: project.name } : {}),
    });
    terminal.sendText(command.text, true);
    return { command: command.text, line: command.line, exitCode: undefined, durationMs: 0, output: '', ending: 'no-integration', reached: describeTarget(reached), terminal };
  }

  private async askAfterBlindSend(command: PlannedCommand, remaining: number, mode: RunMode, warned: boolean): Promise<'next' | 'stop'> {
    const base = `Sent "${firstLine(command.text)}" to the terminal. Exit codes are unknown because this shell has no shell integration, so the extension cannot tell when a command ends or whether it failed.`;
    if (remaining === 0 || mode === 'stepwise') {
      if (!warned) void vscode.window.showInformationMessage(base);
      return 'next';
    }
    const next = 'Send Next Command';
    const choice = await vscode.window.showWarningMessage(`${base} The ${remaining} command${remaining === 1 ? '' : 's'} after it ${remaining === 1 ? 'waits' : 'wait'} until you send ${remaining === 1 ? 'it' : 'them'}: check its output first.`, next, 'Stop');
    return choice === next ? 'next' : 'stop';
  }

  private restText(plan: ShellPlan, index: number): string {
    const rest = plan.commands.length - index - 1;
    return rest ? `; the ${rest} command${rest === 1 ? '' : 's'} after it did not run` : '';
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The command on a document line: one of the block's commands, or a command written as a numbered step. */
export function commandAt(split: SplitShellSnippet, line: number): ShellCommand | undefined {
  const command = split.commands.find((c) => line >= c.line && line <= c.endLine);
  if (command) return command;
  const step = split.proseSteps.find((s) => s.command && line >= s.line && line <= s.endLine);
  if (!step?.command) return undefined;
  const placeholders = tokenizeShell(step.command).placeholders.filter((p) => p.context !== 'comment').map((p) => ({ name: p.name, line: step.line, column: p.start }));
  return { text: step.command, line: step.line, endLine: step.endLine, placeholders, program: step.command.split(/\s+/)[0] ?? '' };
}

function folderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
}

/** A passwordless URL for a local database that is not the stack's default; the password goes in PGPASSWORD. */
function localDatabaseUrl(project: LinkedProject): string | undefined {
  if (!project.isLocal || !project.db || (project.source === 'local stack' && project.db.port === LOCAL_DB_PORT)) return undefined;
  const db = project.db;
  return `postgresql://${encodeURIComponent(db.user)}@${db.host}:${db.port}/${encodeURIComponent(db.database)}?sslmode=${db.sslmode === 'prefer' ? 'disable' : db.sslmode}`;
}

/** The target a run is filed under: the first one that is not the active project, else the active one. */
function primaryTarget(command: PlannedCommand): CommandTarget {
  return command.targets.find((t) => t.kind !== 'active') ?? command.targets[0];
}

function toRunTarget(target: CommandTarget): RunTarget {
  return { name: target.name, production: target.production, kind: target.kind, ...(target.ref ? { ref: target.ref } : {}) };
}

function uniqueTargets(targets: readonly CommandTarget[]): CommandTarget[] {
  const seen = new Map<string, CommandTarget>();
  for (const t of targets) if (!seen.has(`${t.name}|${t.ref ?? ''}`)) seen.set(`${t.name}|${t.ref ?? ''}`, t);
  return [...seen.values()];
}

function reachText(command: PlannedCommand, project: LinkedProject): string | undefined {
  const elsewhere = command.targets.filter((t) => t.kind !== 'active');
  return elsewhere.length ? `Reaches ${elsewhere.map(describeTarget).join(' and ')}, not ${project.name}` : undefined;
}

function ownTerminalName(command: PlannedCommand): string {
  const words = command.original.split(/\s+/).filter((w) => !w.startsWith('-') && !w.startsWith('<'));
  return words.slice(0, words[0] === 'supabase' ? 3 : 2).join(' ');
}

function commentAbove(target: SnippetTarget, line: number): string | undefined {
  const split = splitShellSnippet(target.snippet.body, target.snippet.bodyStartLine, target.snippet.language);
  const previousEnd = Math.max(-1, ...split.commands.filter((c) => c.endLine < line).map((c) => c.endLine));
  const comments = split.comments.filter((c) => c.line > previousEnd && c.line < line).map((c) => c.text);
  return comments.length ? comments.join(' ') : undefined;
}

function firstLine(text: string): string {
  const lines = text.split('\n');
  return lines.length > 1 ? `${lines[0]} …` : text;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
