// What a terminal run leaves behind: each command in the run journal under the project it really reached (the
// active one noted when it went elsewhere), secrets masked, finished with its exit code and duration; and a line in
// the log. Nothing here ever writes a secret value.
import * as vscode from 'vscode';
import type { RunJournal, RunRecord } from '../../core/journal/runJournal';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { PlannedCommand } from '../../core/shell/planShellCommands';
import { isElsewhere, type CommandTarget } from '../../core/targets/commandTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { toRunTarget } from '../../core/targets/toRunTarget';
import { maskSecrets } from '../../core/secrets/maskSecrets';

export interface RecordedCommand {
  command: PlannedCommand;
  reached: CommandTarget;
  project: LinkedProject;
  secrets: readonly string[];
  snippetId: string;
  uri: vscode.Uri;
}

export class ShellRunRecorder {
  constructor(
    private readonly journal: RunJournal,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Files the command in the run journal as it starts. */
  started({ command, reached, project, secrets, snippetId, uri }: RecordedCommand): RunRecord {
    return this.journal.record({
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

  finished(
    record: RunRecord,
    recorded: RecordedCommand,
    terminalName: string,
    outcome: { exitCode: number | undefined; durationMs: number; ending?: string },
  ): void {
    this.journal.finish(record.id, { exitCode: outcome.exitCode ?? null, durationMs: outcome.durationMs });
    this.log.info(
      `Terminal ${terminalName} (${targetLabelWithRef(recorded.reached)}): ${maskSecrets(recorded.command.text, recorded.secrets)} → ${outcome.ending ?? `exit ${outcome.exitCode ?? 'unknown'}`} in ${outcome.durationMs} ms`,
    );
  }
}
