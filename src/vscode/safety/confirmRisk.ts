// Anything that writes asks first with a modal dialog; on production the user also types the project
// ref (or name) to go on.
import * as vscode from 'vscode';
import type { LinkedProject } from '../../core/projects/linkedProject';

export interface RiskConfirmation {
  /** "This SQL block writes to the database" */
  headline: string;
  /** One line per risky statement or command, with its reason. */
  details: string[];
  /** The button label: "Run as Write", "Run in Terminal". */
  action: string;
}

export type ModalQuestion = (message: string, detail: string, action: string) => Thenable<string | undefined>;

const askModal: ModalQuestion = (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action);

export class RiskGate {
  /**
   * The modal dialog. VS Code refuses every dialog while extension tests run, so the integration tests
   * answer this one question themselves after checking the real dialog was requested; nothing else is replaced.
   */
  modal: ModalQuestion = askModal;

  async confirm(project: LinkedProject, confirmation: RiskConfirmation): Promise<boolean> {
    const target = `${project.name}${project.production ? ' (PRODUCTION)' : ''}`;
    const detail = `${confirmation.details.slice(0, 12).join('\n')}${confirmation.details.length > 12 ? `\n… and ${confirmation.details.length - 12} more` : ''}`;
    const choice = await this.modal(`${confirmation.headline} on ${target}.`, detail, confirmation.action);
    if (choice !== confirmation.action) return false;
    if (!project.production) return true;
    const expected = project.ref ?? project.name;
    const typed = await vscode.window.showInputBox({
      title: `Confirm on production: ${project.name}`,
      prompt: `Type the project ref "${expected}" to run this on production.`,
      placeHolder: expected,
      ignoreFocusOut: true,
      validateInput: (v) => (v === '' || expected.startsWith(v) ? undefined : `This is not "${expected}".`),
    });
    return typed === expected;
  }
}
