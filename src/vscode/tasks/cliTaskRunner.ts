// Runs a command-line tool as a VS Code task and waits for it: live output in the terminal panel, a notification
// with progress whose Cancel terminates the process, the exit code from onDidEndTaskProcess, and the run in the
// journal (secrets masked) like a terminal run. The task's name says the project the command really reaches, ref in
// full; its secrets are only in the process's environment. VS Code's Rerun Last Task would start such a task again
// without its confirmation, with the secrets it was given: a start this runner did not ask for is ended at once.
import * as vscode from 'vscode';
import type { RunJournal } from '../../core/journal/runJournal';
import type { RunTarget } from '../../core/targets/runTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { toRunTarget } from '../../core/targets/toRunTarget';
import { maskSecrets } from '../../core/secrets/maskSecrets';
import { quoteShellWordIfNeeded } from '../../core/bash/shellQuote';
import { buildCliTask, cliExecution, CLI_TASK_TYPE, type CliTaskDefinition } from './cliTask';
import { Disposable } from '../../core/lifecycle/disposable';

export interface CliTaskRequest {
  /** The tool as the user knows it ("supabase"): how the command is shown and recorded. */
  tool: string;
  /** Absolute path of the program that runs. */
  program: string;
  args: readonly string[];
  /** What the task is called, before its target: "supabase migration list". */
  title: string;
  /** Where the command goes, as the journal keeps it; `kind` 'linked' and the rest as the targeting said. */
  target: RunTarget;
  /** The project selected in the extension, when the command reaches another one (the journal notes it). */
  activeProject?: string;
  scope?: vscode.WorkspaceFolder;
  cwd?: string;
  env?: Readonly<Record<string, string>>;
  /** Values to mask wherever the run is shown or recorded. */
  secrets?: readonly string[];
  /** Where the command came from, for the journal. */
  source?: { snippetId?: string; runbookPath?: string; line?: number };
}

export interface CliTaskOutcome {
  /** The process's exit code; undefined when it never started or was ended from outside. */
  exitCode: number | undefined;
  /** The user cancelled it (the notification's Cancel), which terminated the process. */
  cancelled: boolean;
  durationMs: number;
}

export class CliTaskRunner extends Disposable {
  private runs = 0;
  /** The runs this runner started and that have not ended: any other start of our task type is a rerun. */
  private readonly launched = new Set<string>();

  constructor(
    private readonly journal: RunJournal,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(
      vscode.tasks.onDidStartTask((e) => {
        const definition = e.execution.task.definition as Partial<CliTaskDefinition>;
        if (definition.type !== CLI_TASK_TYPE || this.launched.has(definition.runId ?? '')) return;
        e.execution.terminate();
        this.log.warn(`Task "${e.execution.task.name}" was started again from outside the runbook and ended at once`);
        void vscode.window.showWarningMessage(
          `"${e.execution.task.name}" was not run again: Runbook tasks run only from the runbook, where they are confirmed and given their credentials.`,
        );
      }),
    );
  }

  /** "supabase migration list → fixture": the task's name, as the terminal panel and the notification show it. */
  static nameOf(title: string, target: RunTarget): string {
    return `${title} → ${targetLabelWithRef(target)}`;
  }

  run(request: CliTaskRequest): Promise<CliTaskOutcome> {
    const secrets = request.secrets ?? [];
    const commandLine = maskSecrets([request.tool, ...request.args].map(quoteShellWordIfNeeded).join(' '), secrets);
    const name = maskSecrets(CliTaskRunner.nameOf(request.title, request.target), secrets);
    const runId = `${Date.now().toString(36)}-${++this.runs}`;
    const definition: CliTaskDefinition = {
      type: CLI_TASK_TYPE,
      tool: request.tool,
      args: request.args.map((a) => maskSecrets(a, secrets)),
      target: request.target.name,
      ...(request.target.ref ? { ref: request.target.ref } : {}),
      runId,
    };
    const task = buildCliTask(
      request.scope,
      definition,
      name,
      commandLine,
      cliExecution({
        program: request.program,
        args: request.args,
        ...(request.cwd ? { cwd: request.cwd } : {}),
        ...(request.env ? { env: request.env } : {}),
      }),
    );
    const progress = vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: name, cancellable: true },
      async (progress, cancellation) => {
        progress.report({ message: 'running in the terminal panel…' });
        const record = this.journal.record({
          kind: 'shell',
          project: request.target.name,
          command: commandLine,
          target: toRunTarget(request.target),
          ...(request.activeProject ? { activeProject: request.activeProject } : {}),
          ...(request.source ?? {}),
        });
        const started = Date.now();
        const outcome = await this.execute(task, runId, cancellation);
        const durationMs = Date.now() - started;
        this.journal.finish(record.id, { exitCode: outcome.exitCode ?? null, durationMs });
        this.log.info(
          `Task "${name}": ${commandLine} → ${outcome.cancelled ? 'cancelled' : `exit ${outcome.exitCode ?? 'unknown'}`} in ${durationMs} ms`,
        );
        return { ...outcome, durationMs };
      },
    );
    return Promise.resolve(progress);
  }

  /** Starts the task and resolves when it ends, with the exit code its process reported. */
  private async execute(
    task: vscode.Task,
    runId: string,
    cancellation: vscode.CancellationToken,
  ): Promise<Omit<CliTaskOutcome, 'durationMs'>> {
    const ours = (execution: vscode.TaskExecution) =>
      (execution.task.definition as Partial<CliTaskDefinition>).runId === runId;
    const subscriptions: vscode.Disposable[] = [];
    let exitCode: number | undefined;
    let cancelled = false;
    try {
      // Subscribed before the task starts: a quick command may end before executeTask resolves.
      const ended = new Promise<void>((resolve) => {
        subscriptions.push(
          vscode.tasks.onDidEndTaskProcess((e) => {
            if (ours(e.execution)) exitCode = e.exitCode;
          }),
          // Fires after the process's end, and also for a task whose process never started.
          vscode.tasks.onDidEndTask((e) => {
            if (ours(e.execution)) resolve();
          }),
        );
      });
      let execution: vscode.TaskExecution;
      this.launched.add(runId);
      try {
        execution = await vscode.tasks.executeTask(task);
      } catch (error) {
        void vscode.window.showErrorMessage(`"${task.name}" could not start: ${(error as Error).message}`);
        return { exitCode: undefined, cancelled: false };
      }
      subscriptions.push(
        cancellation.onCancellationRequested(() => {
          cancelled = true;
          execution.terminate();
        }),
      );
      await ended;
      return { exitCode, cancelled };
    } finally {
      this.launched.delete(runId);
      for (const s of subscriptions) s.dispose();
    }
  }
}
