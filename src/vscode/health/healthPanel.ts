// The health panel on the shared webview host: opened by "Runbook: Open Health Panel" (which starts the checks),
// kept up to date in the background while open, and brought back after a window reload. What the page asks for
// (a playbook, a diagnosis run) is looked up here from the project and check it names.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import {
  HEALTH_PANEL_VIEW_TYPE,
  readHealthState,
  type FromHealthPage,
  type HealthProtocol,
  type HealthSnapshot,
} from '../../shared/health/protocol';
import type { PanelDefinition, WebviewPanelHost } from '../webview/panelHost';
import type { HealthController } from './healthController';
import { COMMANDS } from '../commands/commandIds';
import { revealLine } from '../commands/navigationCommands';

export const HEALTH_PANEL: PanelDefinition<HealthProtocol> = {
  viewType: HEALTH_PANEL_VIEW_TYPE,
  title: 'Runbook Health',
  entry: 'health',
  styles: ['health.css'],
  icon: 'runbook.svg',
  column: vscode.ViewColumn.Active,
  // The page redraws from its saved snapshot; nothing of it is worth keeping in memory while hidden.
  retainContextWhenHidden: false,
  emptyText: 'Starting the health checks…',
  restoreState: readHealthState,
};

/** Background updates are posted at most this often: twenty projects finishing polls together are one redraw. */
const UPDATE_EVERY_MS = 250;

export class HealthPanel extends Disposable {
  private pending: ReturnType<typeof setTimeout> | undefined;
  private focus: string | undefined;
  /** The snapshot last delivered, for the tests. */
  lastSnapshot: HealthSnapshot | undefined;

  constructor(
    private readonly host: WebviewPanelHost<HealthProtocol>,
    private readonly controller: HealthController,
  ) {
    super();
    this._register(controller.onDidChange(() => this.schedule()));
    this._register(host.onDidLoadPage(() => void this.post(false)));
    this._register(host.onDidReceiveMessage((message) => void this.handle(message)));
    // A panel VS Code restores after a reload was open before: the checks it shows go on.
    this._register(host.onDidRestore(() => void controller.start().then(() => this.post(false))));
    this._register(host.onDidClose(() => controller.setShowing('panel', false)));
    this._register(vscode.window.onDidChangeWindowState(() => controller.setShowing('panel', host.visible)));
  }

  get visible(): boolean {
    return this.host.visible;
  }

  get html(): string | undefined {
    return this.host.html;
  }

  async open(project?: string): Promise<boolean> {
    this.focus = project;
    const started = await this.controller.start();
    if (!started) {
      void vscode.window.showWarningMessage(
        'Runbook: health checks do not run in Restricted Mode. Trust this workspace to run them.',
      );
      return false;
    }
    const posted = await this.post(true);
    this.controller.setShowing('panel', this.host.visible);
    return posted;
  }

  close(): void {
    this.host.close();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.post(false);
    }, UPDATE_EVERY_MS);
  }

  private async post(reveal: boolean): Promise<boolean> {
    if (this.isDisposed) return false;
    const snapshot: HealthSnapshot = {
      projects: this.controller.views(),
      watching: this.controller.watching,
      paused: this.controller.paused,
      takenAt: Date.now(),
    };
    const runbook = this.controller.runbook;
    if (runbook)
      snapshot.runbook = runbook.isSample ? 'the sample runbook' : vscode.workspace.asRelativePath(runbook.uri);
    if (this.focus) snapshot.focus = this.focus;
    const posted = await this.host.post({ type: 'snapshot', snapshot }, { reveal, reopen: reveal });
    if (posted) {
      this.lastSnapshot = snapshot;
      this.focus = undefined;
    }
    return posted;
  }

  private async handle(message: FromHealthPage): Promise<void> {
    const runbook = this.controller.runbook;
    switch (message.type) {
      case 'refresh':
        this.controller.refresh();
        return;
      case 'openRule':
        if (runbook && Number.isInteger(message.line) && message.line >= 0) await revealLine(runbook.uri, message.line);
        return;
      case 'tailLogs':
        await vscode.commands.executeCommand(COMMANDS.tailFunctionLogs, message.project);
        return;
      case 'openPlaybook':
      case 'runDiagnosis': {
        const check = this.controller
          .views()
          .find((v) => v.project === message.project)
          ?.checks.find((c) => c.id === message.checkId);
        const playbook = check?.playbook;
        if (!runbook || !playbook) return;
        if (message.type === 'openPlaybook')
          await vscode.commands.executeCommand(COMMANDS.revealPlaybook, runbook.uri, playbook.line);
        else if (playbook.diagnosisSnippetIndex !== undefined)
          await vscode.commands.executeCommand(
            COMMANDS.runDiagnosisOn,
            runbook.uri,
            playbook.diagnosisSnippetIndex,
            message.project,
          );
        return;
      }
    }
  }
}
