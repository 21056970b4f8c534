// The questions and notices around a terminal run. Commands that change things, and commands the Supabase CLI no
// longer has, are asked about in one modal dialog naming the project each really reaches (production ones then
// want their ref typed). What the user should know but not decide on comes after: URLs pointed at the active
// project, commands that go elsewhere, a password withheld, a shell that is not the fence's.
import * as vscode from 'vscode';
import type { ConfirmTarget, RiskGate } from '../safety/confirmRisk';
import type { TerminalShell } from '../../node/shell/terminalShell';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import type { CredentialNeeds } from '../../core/safety/credentialNeeds';
import type { PlannedCommand, ShellPlan } from '../../core/shell/planShellCommands';
import { describeTarget, isElsewhere, targetName, uniqueTargets } from '../../core/targets/commandTarget';
import { SUPABASE_CLI_NAME } from '../../core/supabase/supabaseCommandTable';
import { firstLine } from './shellRunExecutor';

export class ShellConfirmation {
  constructor(
    private readonly gate: RiskGate,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** One dialog for the risky and the stale commands among `commands`; true when there is nothing to ask. */
  async confirm(
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
    return this.gate.confirm(project, {
      headline,
      details,
      action: risky.length ? 'Run in Terminal' : 'Run Anyway',
      targets: confirmTargets,
    });
  }

  /**
   * What the user is told once the run goes ahead: rewrites, where commands go when not the active project (for
   * those no dialog asked about), a password withheld, a fallback shell; the warnings when no dialog showed them.
   */
  tell(
    label: string,
    plan: ShellPlan,
    mode: 'all' | 'stepwise' | 'line',
    project: LinkedProject,
    needs: CredentialNeeds,
    shell: TerminalShell,
  ): void {
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
    for (const note of plan.notes) this.log.info(`${label}: ${note}`);
  }
}
