// Runs a runbook shell block in the project's terminal: placeholders, guards, exit codes and durations.
import * as vscode from 'vscode';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { ProjectService } from '../projects/projectService';
import type { SecretStore } from '../secrets/secretStore';
import type { PlaceholderPrompt } from '../placeholders/placeholderPrompt';
import type { RiskGate } from '../safety/confirmRisk';
import type { ProjectTerminals } from './projectTerminals';
import type { RunJournal } from '../../core/journal/runJournal';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { splitShellSnippet, type SplitShellSnippet } from '../../core/shell/splitShellSnippet';
import { placeholderKind, placeholderSuggestions, validatePlaceholderValue } from '../../core/shell/placeholderValues';
import { maskSecrets } from '../../core/shell/maskSecrets';
import { resolveSnippetTarget, type SnippetTarget } from '../commands/snippetTarget';
import { pickProject } from '../projects/pickProject';
import { planShellCommands, type PlannedCommand } from './shellCommandPlan';
import { LOCAL_DB_PORT } from '../../core/projects/discoverProjects';

export interface CommandResult {
  command: string;
  exitCode: number | undefined;
  durationMs: number;
  /** Output as the terminal showed it (shell integration only), capped. */
  output: string;
}

export interface SnippetRunState {
  status: 'running' | 'done' | 'failed' | 'unknown' | 'stopped';
  results: CommandResult[];
  terminal?: vscode.Terminal;
  longRunning: boolean;
}

const OUTPUT_CAP = 64 * 1024;
const DATABASE_CLIENTS = /(^|[\s;&|(])(supabase\s+(db|migration|inspect|gen|seed|test)\b|psql\b|pg_dump\b|pg_restore\b|pgbench\b)/;

export class ShellSnippetRunner implements vscode.Disposable {
  private readonly states = new Map<string, SnippetRunState>();
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
  }) {}

  stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined {
    return this.states.get(`${uri.toString()}#${snippetId}`);
  }

  /** Interrupts a long-running command (`--tail`) of a snippet with Ctrl+C. */
  stop(uri: vscode.Uri, snippetId: string): void {
    const state = this.stateOf(uri, snippetId);
    if (!state?.terminal) return;
    state.terminal.sendText('\u0003', false);
    state.status = 'stopped';
    this.changed.fire();
  }

  async runFromCommand(args: unknown[], mode: 'all' | 'stepwise'): Promise<SnippetRunState | undefined> {
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
    if (split.commands.length === 0) {
      if (split.proseSteps.length) await this.showChecklist(target, split);
      else void vscode.window.showInformationMessage('This block holds no command to run, only comments.');
      return undefined;
    }
    await this.deps.projects.ready();
    const project = this.deps.projects.active ?? await pickProject(this.deps.projects, 'Run in the terminal of which project?');
    if (!project) return undefined;
    return this.run(target, split, project, mode);
  }

  async showChecklist(target: SnippetTarget, split: SplitShellSnippet): Promise<void> {
    const picked = await vscode.window.showQuickPick(split.proseSteps.map((s) => ({ label: s.text, description: `line ${s.line + 1}`, picked: false })), {
      title: `${target.snippet.label}: steps to do by hand`,
      placeHolder: 'These lines are instructions, not commands. Tick them off as you go.',
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (picked) void vscode.window.showInformationMessage(`${picked.length} of ${split.proseSteps.length} steps done.`);
  }

  private async run(target: SnippetTarget, split: SplitShellSnippet, project: LinkedProject, mode: 'all' | 'stepwise'): Promise<SnippetRunState | undefined> {
    const { snippet, uri } = target;
    const folder = vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
    const functionNames = folder ? listFunctionNames(folder.uri.fsPath) : [];
    const names = [...new Set(split.commands.flatMap((c) => c.placeholders.map((p) => p.name)))];
    const questions = names.map((name) => {
      const commandText = split.commands.find((c) => c.placeholders.some((p) => p.name === name))?.text;
      const kind = placeholderKind(name, commandText);
      const suggestions = placeholderSuggestions(name, { functionNames });
      return {
        name,
        hint: kind === 'function' ? `an Edge Function${suggestions.length ? `: ${suggestions.slice(0, 5).join(', ')}` : ''}` : kind === 'migration' ? 'a migration name in snake_case' : 'quoted for the shell, so it stays one word',
        validate: (v: string) => {
          const r = validatePlaceholderValue(name, v, { functionNames, kind });
          return r.ok ? (r.warning ? { message: r.warning, severity: vscode.InputBoxValidationSeverity.Warning } : undefined) : r.message;
        },
      };
    });
    const values = questions.length ? await this.deps.prompt.ask(uri, questions, `Run "${snippet.label}"`) : new Map<string, string>();
    if (!values) return undefined;

    // Only commands that reach the database need its password; nobody should be asked for it to run `echo`.
    const needsDatabase = split.commands.some((c) => DATABASE_CLIENTS.test(c.text));
    const storedPassword = project.db ? await this.deps.secrets.get(project, 'dbPassword') : undefined;
    const password = storedPassword ?? (project.db && needsDatabase ? await this.deps.secrets.databasePassword(project) : undefined);
    if (project.db && needsDatabase && password === undefined) return undefined;
    const databaseUrl = project.isLocal && project.db && (project.source !== 'local stack' || project.db.port !== LOCAL_DB_PORT)
      ? `postgresql://${encodeURIComponent(project.db.user)}@${project.db.host}:${project.db.port}/${encodeURIComponent(project.db.database)}?sslmode=${project.db.sslmode === 'prefer' ? 'disable' : project.db.sslmode}`
      : undefined;
    const plan = planShellCommands(split.commands, Object.fromEntries(values), project, supabaseEnvironment(folder?.uri.fsPath), databaseUrl);
    if (plan.problems.length) {
      void vscode.window.showErrorMessage(`Cannot run "${snippet.label}": ${plan.problems.join(' ')}`);
      return undefined;
    }
    const risky = plan.commands.filter((c) => c.risky);
    if (risky.length) {
      const ok = await this.deps.gate.confirm(project, {
        headline: `"${snippet.label}" runs ${risky.length === 1 ? 'a command that changes things' : `${risky.length} commands that change things`}`,
        details: [...risky.map((c) => `${c.text}\n   ↳ ${c.reasons.join('; ')}`), ...plan.notices.map((n) => `Note: ${n}`)],
        action: 'Run in Terminal',
      });
      if (!ok) return undefined;
    }
    if (plan.notices.length) void vscode.window.showInformationMessage(plan.notices.join(' '));
    for (const note of plan.notes) this.deps.log.info(`${snippet.label}: ${note}`);

    const env: Record<string, string> = {};
    const token = await this.deps.secrets.get(undefined, 'accessToken');
    if (token) env.SUPABASE_ACCESS_TOKEN = token;
    if (password) env.PGPASSWORD = password;
    if (project.db) env.PGSSLMODE = project.db.sslmode === 'prefer' ? 'prefer' : project.db.sslmode;
    const terminal = this.deps.terminals.obtain(project, env, folder?.uri);
    terminal.show(true);
    const key = `${uri.toString()}#${snippet.id}`;
    const state: SnippetRunState = { status: 'running', results: [], terminal, longRunning: plan.commands.some((c) => c.longRunning) };
    this.states.set(key, state);
    this.changed.fire();

    const integration = await this.deps.terminals.integration(terminal);
    const secrets = [token, password].filter((s): s is string => Boolean(s));
    try {
      for (const [i, command] of plan.commands.entries()) {
        if (mode === 'stepwise') {
          const choice = await vscode.window.showInformationMessage(`Step ${i + 1} of ${plan.commands.length}: ${command.text}`, 'Run', 'Skip', 'Stop');
          if (choice === 'Skip') continue;
          if (choice !== 'Run') break;
        }
        const result = integration ? await this.execute(integration, command, project, secrets, snippet.id, uri) : this.send(terminal, command, project, secrets, snippet.id, uri);
        state.results.push(result);
        if (result.exitCode === undefined && !integration) continue;
        if ((state.status as SnippetRunState['status']) === 'stopped') break;
        if (result.exitCode !== undefined && result.exitCode !== 0) {
          state.status = 'failed';
          const rest = plan.commands.length - i - 1;
          void vscode.window.showErrorMessage(`"${command.text}" exited with ${result.exitCode}${rest ? `; the ${rest} command${rest === 1 ? '' : 's'} after it did not run` : ''}.`);
          break;
        }
      }
      // Shells report no exit code for some command lines (a bare subshell such as `(exit 3)`).
      const unknown = state.results.some((r) => r.exitCode === undefined);
      if (state.status === 'running') state.status = integration && !unknown ? 'done' : 'unknown';
      // A password that just worked is kept, so the next run does not ask again.
      if (state.status === 'done' && password !== undefined && storedPassword === undefined && !(project.isLocal && project.source === 'local stack')) {
        await this.deps.secrets.store(project, 'dbPassword', password);
      }
      if (!integration) void vscode.window.showInformationMessage('Sent to the terminal. Exit codes are unknown because this shell has no shell integration.');
      else if (state.status === 'done') {
        const total = state.results.reduce((n, r) => n + r.durationMs, 0);
        void vscode.window.setStatusBarMessage(`$(pass) "${snippet.label}" finished: exit 0 in ${formatDuration(total)}`, 8000);
      }
    } finally {
      if (state.status === 'running') state.status = 'stopped';
      this.changed.fire();
    }
    return state;
  }

  private async execute(integration: vscode.TerminalShellIntegration, command: PlannedCommand, project: LinkedProject, secrets: string[], snippetId: string, uri: vscode.Uri): Promise<CommandResult> {
    const started = Date.now();
    const record = this.deps.journal.record({ kind: 'shell', project: project.name, command: maskSecrets(command.text, secrets), snippetId, runbookPath: vscode.workspace.asRelativePath(uri) });
    const execution = integration.executeCommand(command.text);
    let output = '';
    const reading = (async () => {
      for await (const chunk of execution.read()) if (output.length < OUTPUT_CAP) output += chunk;
    })().catch(() => undefined);
    const exitCode = await new Promise<number | undefined>((resolve) => {
      const listener = vscode.window.onDidEndTerminalShellExecution((e) => {
        if (e.execution !== execution) return;
        listener.dispose();
        resolve(e.exitCode);
      });
    });
    await Promise.race([reading, new Promise((r) => setTimeout(r, 500))]);
    const durationMs = Date.now() - started;
    this.deps.journal.finish(record.id, { exitCode: exitCode ?? null, durationMs });
    this.deps.log.info(`Terminal ${project.name}: ${maskSecrets(command.text, secrets)} → exit ${exitCode ?? 'unknown'} in ${durationMs} ms`);
    return { command: command.text, exitCode, durationMs, output: maskSecrets(stripAnsi(output), secrets) };
  }

  private send(terminal: vscode.Terminal, command: PlannedCommand, project: LinkedProject, secrets: string[], snippetId: string, uri: vscode.Uri): CommandResult {
    this.deps.journal.record({ kind: 'shell', project: project.name, command: maskSecrets(command.text, secrets), snippetId, runbookPath: vscode.workspace.asRelativePath(uri) });
    terminal.sendText(command.text, true);
    return { command: command.text, exitCode: undefined, durationMs: 0, output: '' };
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function listFunctionNames(root: string): string[] {
  const dir = join(root, 'supabase', 'functions');
  try {
    return readdirSync(dir).filter((name) => !name.startsWith('_') && !name.startsWith('.') && statSync(join(dir, name)).isDirectory()).sort();
  } catch {
    return [];
  }
}

function supabaseEnvironment(root: string | undefined): { workspaceBin?: string; onPath: boolean } {
  const workspaceBin = root ? join(root, 'node_modules', '.bin', 'supabase') : undefined;
  const onPath = (process.env.PATH ?? '').split(delimiter).some((dir) => dir && existsSync(join(dir, process.platform === 'win32' ? 'supabase.exe' : 'supabase')));
  return workspaceBin && existsSync(workspaceBin) ? { workspaceBin: 'node_modules/.bin/supabase', onPath } : { onPath };
}

function stripAnsi(text: string): string {
  return text.replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
