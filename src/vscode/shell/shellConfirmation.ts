// The questions and notices around a terminal run. A command the Supabase CLI no longer has is asked about first, on
// its own: it says the runbook is out of date. Commands that change things are then confirmed in one modal dialog
// that leads with what changes and where (the project each really reaches, ref in full), one line per risky command
// and nothing else; production ones then want their ref typed. What the user should know but not decide on comes as
// notices: URLs pointed at the active project, commands that go elsewhere, a password withheld, a shell that is not
// the fence's, and commands that could not be targeted.
import * as vscode from 'vscode';
import type { RiskGate } from '../safety/confirmRisk';
import type { TerminalShell } from '../../node/shell/terminalShell';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import type { CredentialNeeds } from '../../core/safety/credentialNeeds';
import type { PlannedCommand, ShellPlan } from '../../core/shell/planShellCommands';
import { isElsewhere } from '../../core/targets/commandTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { riskConfirmation, staleQuestion } from '../safety/commandConfirmation';
import { firstLine } from './commandText';

export class ShellConfirmation {
  constructor(
    private readonly gate: RiskGate,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The stale question, then the risk question, for `commands`; true when nothing was asked or everything agreed. */
  async confirm(commands: readonly PlannedCommand[], project: LinkedProject): Promise<boolean> {
    const stale = commands.filter((c) => c.stale.length > 0);
    if (stale.length) {
      const question = staleQuestion(
        stale.flatMap((c) => c.stale),
        stale.length,
      );
      if (!(await this.gate.ask(question.message, [question.detail], 'Run Anyway'))) return false;
    }
    const risky = commands.filter((c) => c.risky);
    if (risky.length === 0) return true;
    return this.gate.confirm(
      project,
      riskConfirmation(
        risky.map((c) => ({ display: firstLine(c.display), reasons: c.reasons, targets: c.targets })),
        'Run in Terminal',
      ),
    );
  }

  /** Commands that could not be targeted (`supabase` inside `$(…)`): shown before any question, apart from the risk. */
  warn(plan: ShellPlan): void {
    if (plan.warnings.length) void vscode.window.showWarningMessage(plan.warnings.join(' '));
  }

  /**
   * What the user is told once the run goes ahead: rewrites, where commands go when not the active project (for
   * those no dialog asked about), a password withheld, a fallback shell.
   */
  tell(label: string, plan: ShellPlan, project: LinkedProject, needs: CredentialNeeds, shell: TerminalShell): void {
    const elsewhere = plan.commands
      .filter((c) => !c.risky)
      .flatMap((c) =>
        c.targets
          .filter(isElsewhere)
          .map((t) => `"${firstLine(c.original)}" reaches ${targetLabelWithRef(t)}: ${t.via}.`),
      );
    const withheld =
      needs.otherDatabases.length && plan.commands.some((c) => c.credentials.database)
        ? [
            `The database password of ${projectLabel(project)} is not put in this terminal, because ${needs.otherDatabases.join('; ')} and would receive it. Run the commands for ${project.name} on their own to give them the password.`,
          ]
        : [];
    const notices = [...plan.notices, ...elsewhere, ...withheld, ...(shell.fallback ? [shell.fallback] : [])];
    if (notices.length) void vscode.window.showInformationMessage(notices.join(' '));
    for (const note of plan.notes) this.log.info(`${label}: ${note}`);
  }
}
