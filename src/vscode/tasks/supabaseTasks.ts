// The Supabase CLI as a VS Code task, for the features that run it with a fixed argv (deploy, migrations, secret
// rotation). The command is judged as a terminal command would be: its real target worked out from the arguments
// (core/targets), the credentials it needs gathered (vscode/credentials), a risky command confirmed and a command the
// CLI does not have refused. It then runs the workspace's CLI binary by absolute path, arguments as an argv,
// secrets only in the process's environment.
import * as vscode from 'vscode';
import type { ProjectService } from '../projects/projectService';
import type { RiskGate } from '../safety/confirmRisk';
import type { SupabaseCliContext } from '../supabase/cliContext';
import type { CredentialService } from '../credentials/credentialService';
import type { CliTaskOutcome, CliTaskRequest, CliTaskRunner } from './cliTaskRunner';
import type { MissingCli } from './missingCli';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { targetContextOf } from '../../core/shell/commandTargetsPreview';
import {
  isElsewhere,
  primaryTarget,
  resolveCommandTargets,
  type CommandTarget,
} from '../../core/targets/commandTarget';
import { credentialNeeds, runCredentialNeeds } from '../../core/safety/credentialNeeds';
import { classifyShellRisk } from '../../core/safety/shellRisk';
import { staleSupabaseCommands } from '../../core/supabase/staleCommands';
import { quoteShellWordIfNeeded } from '../../core/bash/shellQuote';
import { riskConfirmation, staleQuestion } from '../safety/commandConfirmation';
import { pickProject } from '../projects/pickProject';

export interface SupabaseTaskRequest {
  /** The CLI's arguments after `supabase`: ['migration', 'list', '--remote=postgresql://…']. */
  args: readonly string[];
  /** What the task is called before its target; "supabase " and the first two arguments by default. */
  title?: string;
  /** The folder the CLI runs in (its supabase/ folder and link); the first workspace folder by default. */
  folder?: vscode.WorkspaceFolder;
  /** The project selected; the active one by default. */
  project?: LinkedProject;
  /** Where the command came from, for the journal. */
  source?: CliTaskRequest['source'];
}

export interface SupabaseTaskOutcome extends CliTaskOutcome {
  /** Where the command went. */
  target: CommandTarget;
}

export class SupabaseTasks {
  constructor(
    private readonly deps: {
      projects: ProjectService;
      cli: SupabaseCliContext;
      credentials: CredentialService;
      gate: RiskGate;
      tasks: CliTaskRunner;
      missingCli: MissingCli;
    },
  ) {}

  /** Runs the command as a task; undefined when it did not run (declined, cancelled, no CLI, not trusted). */
  async run(request: SupabaseTaskRequest): Promise<SupabaseTaskOutcome | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('Supabase commands do not run in Restricted Mode. Trust this workspace.');
      return undefined;
    }
    await this.deps.projects.ready();
    const project =
      request.project ??
      this.deps.projects.active ??
      (await pickProject(this.deps.projects, 'Run the Supabase CLI for which project?'));
    if (!project) return undefined;
    const folder = request.folder ?? vscode.workspace.workspaceFolders?.[0];
    const cli = await this.deps.cli.forRun(folder?.uri.fsPath, project);
    const text = ['supabase', ...request.args].map(quoteShellWordIfNeeded).join(' ');
    const title =
      request.title ?? ['supabase', ...request.args.filter((a) => !a.startsWith('-')).slice(0, 2)].join(' ');
    if (!cli.binary.path) {
      void this.deps.missingCli.explain(title, folder);
      return undefined;
    }

    const stale = staleSupabaseCommands(text);
    if (stale.length) {
      const question = staleQuestion(stale, 1);
      void vscode.window.showErrorMessage(`${question.message} ${question.detail}`);
      return undefined;
    }
    const targetContext = targetContextOf(cli.plan);
    const targets = resolveCommandTargets(text, targetContext);
    const target = primaryTarget(targets);
    const needs = runCredentialNeeds([credentialNeeds(text, targetContext)]);
    const credentials = await this.deps.credentials.obtain({
      project,
      needs,
      label: title,
      managementApiCommands: needs.managementApi ? [title] : [],
      cli: { binary: cli.binary.path, ...(folder ? { cwd: folder.uri } : {}) },
    });
    if (!credentials) return undefined;

    const risk = classifyShellRisk(text);
    if (
      risk.level === 'risky' &&
      !(await this.deps.gate.confirm(
        project,
        riskConfirmation([{ display: text, reasons: risk.reasons, targets }], 'Run Task'),
      ))
    )
      return undefined;

    const outcome = await this.deps.tasks.run({
      tool: 'supabase',
      program: cli.binary.path,
      args: request.args,
      title,
      target,
      ...(isElsewhere(target) ? { activeProject: project.name } : {}),
      ...(folder ? { scope: folder, cwd: folder.uri.fsPath } : {}),
      env: credentials.env,
      secrets: credentials.secrets,
      ...(request.source ? { source: request.source } : {}),
    });
    if (outcome.exitCode === 0) this.deps.credentials.keepWorkingPassword(project, credentials);
    return { ...outcome, target };
  }
}
