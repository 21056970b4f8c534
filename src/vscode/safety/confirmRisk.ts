// Anything that writes asks first with a modal dialog. On production the user also types the project ref (or
// name) to go on: on the project the change really reaches, which for a CLI command may not be the active one
// (a hosted-only command goes to the linked project; a snippet may name its own with --remote=<ref>). Every project
// is named with its ref in full: this is where the user checks it.
import * as vscode from 'vscode';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { labelWithRef } from '../../core/targets/targetLabel';

export interface ConfirmTarget {
  /** How the dialog names it, production and ref left out (they are added once): "staging", "linked project <ref>". */
  name: string;
  ref?: string;
  production: boolean;
  /** What to type to go on when it is production; the ref by default. */
  confirmText?: string;
}

export interface RiskConfirmation {
  /** What changes, without where: "This SQL block writes to the database", "git push publishes commits to a remote". */
  headline: string;
  /** One line per risky statement or command, with its reason. */
  details: string[];
  /** The button label: "Run as Write", "Run in Terminal". */
  action: string;
  /**
   * Where the changes land, when that is not simply the active project. Each production one (and each remote
   * nobody configured) needs its text typed. Absent: the active project.
   */
  targets?: readonly ConfirmTarget[];
}

export type ModalQuestion = (message: string, detail: string, action: string) => Thenable<string | undefined>;

const askModal: ModalQuestion = (message, detail, action) =>
  vscode.window.showWarningMessage(message, { modal: true, detail }, action);

const MAX_DETAIL_LINES = 14;

export class RiskGate {
  /**
   * The modal dialog. VS Code refuses every dialog while extension tests run, so the integration tests
   * answer this one question themselves after checking the real dialog was requested; nothing else is replaced.
   */
  modal: ModalQuestion = askModal;

  /** "<headline> on <where>.", the details below, then the ref typed for each production target. */
  async confirm(project: LinkedProject, confirmation: RiskConfirmation): Promise<boolean> {
    const targets: readonly ConfirmTarget[] = confirmation.targets?.length
      ? confirmation.targets
      : [{ name: project.name, production: project.production, ...(project.ref ? { ref: project.ref } : {}) }];
    const where = targets.map(labelOf).join(' and ');
    if (!(await this.ask(`${confirmation.headline} on ${where}.`, confirmation.details, confirmation.action)))
      return false;
    for (const target of targets) {
      if (!target.production) continue;
      if (!(await this.typeToConfirm(target))) return false;
    }
    return true;
  }

  /** A modal question with one action besides Cancel; true when the action was chosen. */
  async ask(message: string, details: readonly string[], action: string): Promise<boolean> {
    const detail = `${details.slice(0, MAX_DETAIL_LINES).join('\n')}${details.length > MAX_DETAIL_LINES ? `\n… and ${details.length - MAX_DETAIL_LINES} more` : ''}`;
    return (await this.modal(message, detail, action)) === action;
  }

  private async typeToConfirm(target: ConfirmTarget): Promise<boolean> {
    const expected = target.confirmText ?? target.ref ?? target.name;
    const typed = await vscode.window.showInputBox({
      title: `Confirm on ${labelOf(target)}`,
      prompt:
        expected === target.ref
          ? `Type the project ref "${expected}" to run this on production.`
          : `Type "${expected}" to run this on ${target.name}, which is treated as production.`,
      placeHolder: expected,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || expected.startsWith(v) ? undefined : `This is not "${expected}".`),
    });
    return typed === expected;
  }
}

/** "prod-eu (ref abcdefghijklmnopqrst)", "linked project abcdefghijklmnopqrst (production)". */
function labelOf(target: ConfirmTarget): string {
  return labelWithRef(target.name, target.ref, target.production);
}
