// The Health view in the Runbook container: each watched project with its state, and under it each check with its
// state and one line of what it saw. Selecting either opens the panel; a failing check offers its playbook.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import type { CheckView, ProjectHealthView } from '../../shared/health/healthView';
import { formatMs } from '../../core/tables/quantity';
import type { HealthController } from './healthController';
import { stateIcon, stateLabel } from './healthLook';
import { COMMANDS } from '../commands/commandIds';

export type HealthTreeNode = { type: 'project'; project: string } | { type: 'check'; project: string; check: string };

export class HealthTreeProvider extends Disposable implements vscode.TreeDataProvider<HealthTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<HealthTreeNode | undefined | void>());
  readonly onDidChangeTreeData = this.changed.event;
  private views = new Map<string, ProjectHealthView>();

  constructor(private readonly controller: HealthController) {
    super();
    this._register(controller.onDidChangeOncePerTick(() => this.changed.fire()));
  }

  getChildren(node?: HealthTreeNode): HealthTreeNode[] {
    if (!node) {
      this.views = new Map(this.controller.views().map((v) => [v.project, v]));
      return [...this.views.keys()].map((project) => ({ type: 'project', project }));
    }
    if (node.type === 'project')
      return (this.views.get(node.project)?.checks ?? []).map((c) => ({
        type: 'check',
        project: node.project,
        check: c.id,
      }));
    return [];
  }

  getParent(node: HealthTreeNode): HealthTreeNode | undefined {
    return node.type === 'check' ? { type: 'project', project: node.project } : undefined;
  }

  getTreeItem(node: HealthTreeNode): vscode.TreeItem {
    const view = this.views.get(node.project);
    if (node.type === 'project') {
      const item = new vscode.TreeItem(view?.label ?? node.project, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `health:${node.project}`;
      if (view) {
        item.iconPath = stateIcon(view.state);
        item.description = `${stateLabel(view.state)}${view.maintenance ? ' — maintenance' : ''}`;
        item.tooltip = `${view.label}${view.apiUrl ? ` · ${view.apiUrl}` : ''}: ${stateLabel(view.state)}`;
        item.accessibilityInformation = { label: `${view.label}: ${stateLabel(view.state)}` };
      }
      item.contextValue = 'health.project';
      item.command = { command: COMMANDS.openHealthPanel, title: 'Open Health Panel', arguments: [node.project] };
      return item;
    }
    const check = view?.checks.find((c) => c.id === node.check);
    const item = new vscode.TreeItem(check?.name ?? node.check, vscode.TreeItemCollapsibleState.None);
    item.id = `health:${node.project}:${node.check}`;
    if (check) {
      item.iconPath = stateIcon(check.state);
      item.description = describe(check);
      item.tooltip = new vscode.MarkdownString().appendText(`${stateLabel(check.state)}: ${check.summary}`);
      item.accessibilityInformation = { label: `${check.name}: ${stateLabel(check.state)}. ${check.summary}` };
      item.contextValue = check.playbook ? 'health.check.playbook' : 'health.check';
    }
    item.command = { command: COMMANDS.openHealthPanel, title: 'Open Health Panel', arguments: [node.project] };
    return item;
  }
}

function describe(check: CheckView): string {
  const latency = check.latencyMs !== undefined ? ` · ${formatMs(check.latencyMs)}` : '';
  return `${stateLabel(check.state)}${latency}${check.passedAfterRetry ? ' · passed after retry' : ''}`;
}
