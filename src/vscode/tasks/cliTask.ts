// One task type for every command-line tool the extension runs as a VS Code task (the Supabase CLI for deploys,
// migrations and secret rotation; npm to add the CLI to a workspace), shaped like rust-analyzer's tasks.ts: a task
// type declared in package.json's taskDefinitions, a definition that says what runs, and a task built from it with a
// ProcessExecution. The program gets its arguments as an argv (no shell, so nothing is quoted or expanded) and its
// secrets only in the execution's environment: the definition, which VS Code keeps (recently used tasks) and shows,
// and the task's name hold no secret.
import * as vscode from 'vscode';

/** The `type` of the tasks, as package.json's taskDefinitions declares it. */
export const CLI_TASK_TYPE = 'runbook-cli';
/** Shown beside the task's name in the task pickers and the terminal. */
export const CLI_TASK_SOURCE = 'Runbook';

export interface CliTaskDefinition extends vscode.TaskDefinition {
  readonly type: typeof CLI_TASK_TYPE;
  /** The tool as the user knows it: "supabase", "npm". */
  tool: string;
  /** Its arguments, secrets masked (the execution gets them unmasked: none are secret, secrets go in the env). */
  args: string[];
  /** The project the command reaches, by name, and its ref. */
  target: string;
  ref?: string;
  /** Tells two runs of the same command apart, so that their ends are never mistaken for each other. */
  runId: string;
}

export interface CliExecution {
  /** Absolute path of the program. */
  program: string;
  args: readonly string[];
  cwd?: string;
  /** Added to the extension host's environment for this process only. */
  env?: Readonly<Record<string, string>>;
}

export function cliExecution({ program, args, cwd, env }: CliExecution): vscode.ProcessExecution {
  return new vscode.ProcessExecution(program, [...args], {
    ...(cwd ? { cwd } : {}),
    ...(env ? { env: { ...env } } : {}),
  });
}

export function buildCliTask(
  scope: vscode.WorkspaceFolder | vscode.TaskScope | undefined,
  definition: CliTaskDefinition,
  name: string,
  detail: string,
  execution: vscode.ProcessExecution,
): vscode.Task {
  // A task needs a scope; without a folder the workspace is the one the documentation recommends.
  const task = new vscode.Task(definition, scope ?? vscode.TaskScope.Workspace, name, CLI_TASK_SOURCE, execution, []);
  task.detail = detail;
  task.presentationOptions = {
    reveal: vscode.TaskRevealKind.Always,
    focus: false,
    panel: vscode.TaskPanelKind.Shared,
    clear: true,
    echo: true,
    close: false,
  };
  return task;
}
