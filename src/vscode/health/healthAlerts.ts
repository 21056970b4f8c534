// What a state change leaves behind: every change of a check goes into the run journal (for the incident timeline),
// and a project that turns Critical raises one notification per change, with the way to its playbook.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import type { RunJournal } from '../../core/journal/runJournal';
import { EXIT_CODES } from '../../core/health/healthReport';
import { describeRule } from '../../core/health/healthReport';
import type { HealthEvent } from '../../node/health/healthMonitor';
import type { HealthController } from './healthController';
import { stateLabel } from './healthLook';
import { COMMANDS } from '../commands/commandIds';

export class HealthAlerts extends Disposable {
  constructor(
    private readonly controller: HealthController,
    private readonly journal: RunJournal,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    this._register(controller.onDidChangeState((event) => this.take(event)));
  }

  private take(event: HealthEvent): void {
    const runbook = this.controller.runbook;
    if (event.type === 'check') {
      const { change } = event;
      // A first poll that finds all well is not news; one that finds trouble is.
      if (change.from === undefined && change.to === 'healthy') return;
      const crossed = change.view.rules.find((r) => r.level) ?? change.view.rules[0];
      const text = `Health ${change.checkName}: ${change.from ? stateLabel(change.from) : 'first check'} → ${stateLabel(change.to)}. ${change.view.summary}${crossed ? ` [${describeRule(crossed)}]` : ''}`;
      this.journal.record({
        project: event.project,
        kind: 'health',
        command: text,
        exitCode: EXIT_CODES[change.to],
        durationMs: change.view.latencyMs ?? null,
        ...(runbook && !runbook.isSample ? { runbookPath: runbook.uri.fsPath } : {}),
        ...(crossed?.line !== undefined ? { line: crossed.line } : {}),
      });
      this.log.info(`${event.project}: ${text}`);
      return;
    }
    if (event.type !== 'project' || event.change.to !== 'critical' || event.change.from === 'critical') return;
    const view = event.view;
    const worst = view.checks.find((c) => c.state === 'critical');
    const open = 'Open Health Panel';
    const playbook = worst?.playbook && runbook ? `Open Playbook: ${worst.playbook.name}` : undefined;
    void vscode.window
      .showErrorMessage(
        `Runbook: ${view.label} is Critical${worst ? ` — ${worst.name}: ${worst.summary}` : ''}`,
        ...[open, ...(playbook ? [playbook] : [])],
      )
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand(COMMANDS.openHealthPanel, view.project);
        else if (choice && playbook && worst?.playbook && runbook)
          void vscode.commands.executeCommand(COMMANDS.revealPlaybook, runbook.uri, worst.playbook.line);
      });
  }
}
