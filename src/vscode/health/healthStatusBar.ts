// The worst health state over every watched project, always in sight; a click opens the health panel. Critical and
// Warning take the theme's error and warning colours, as VS Code's own status items do.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import type { HealthController } from './healthController';
import { codicon, stateLabel } from './healthLook';
import { COMMANDS } from '../commands/commandIds';

export class HealthStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('runbook.health', vscode.StatusBarAlignment.Left, 49),
  );

  constructor(private readonly controller: HealthController) {
    super();
    this.item.name = 'Runbook Health';
    this.item.command = COMMANDS.openHealthPanel;
    this._register(controller.onDidChangeOncePerTick(() => this.render()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.render()));
    this.render();
    this.item.show();
  }

  render(): void {
    if (this.isDisposed) return;
    if (!vscode.workspace.isTrusted) {
      this.item.text = '$(pulse) Health off';
      this.item.tooltip = 'Runbook: health checks do not run in Restricted Mode. Trust this workspace to run them.';
      this.item.backgroundColor = undefined;
      return;
    }
    const worst = this.controller.worst;
    if (!this.controller.watching || !worst) {
      this.item.text = '$(pulse) Health';
      this.item.tooltip = 'Runbook: health checks are not running. Click to open the health panel and start them.';
      this.item.backgroundColor = undefined;
      this.item.accessibilityInformation = { label: 'Runbook health: not watching' };
      return;
    }
    const views = this.controller.views();
    const paused = this.controller.paused ? ' (paused)' : '';
    this.item.text = `$(${codicon(worst)}) Health: ${stateLabel(worst)}${paused}`;
    // Names come from the runbook and settings: appended as text, never as markdown.
    const tooltip = new vscode.MarkdownString();
    for (const v of views) {
      const failing = v.checks.filter((c) => c.state === 'critical' || c.state === 'warning');
      tooltip.appendText(
        `${v.label}: ${stateLabel(v.state)}${failing.length ? ` — ${failing.map((c) => c.name).join(', ')}` : ''}`,
      );
      tooltip.appendMarkdown('  \n');
    }
    if (paused) tooltip.appendText('Polling is paused while the window is unfocused.\n');
    tooltip.appendMarkdown('\nClick to open the health panel.');
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Runbook health: ${stateLabel(worst)}${paused}` };
    this.item.backgroundColor =
      worst === 'critical'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : worst === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    this.item.color =
      worst === 'critical'
        ? new vscode.ThemeColor('statusBarItem.errorForeground')
        : worst === 'warning'
          ? new vscode.ThemeColor('statusBarItem.warningForeground')
          : undefined;
  }
}
