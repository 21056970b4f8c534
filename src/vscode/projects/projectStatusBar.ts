// Always shows which project a Run will hit; production is painted in the warning colour.
import * as vscode from 'vscode';
import type { ProjectService } from './projectService';
import { describeTarget, projectLabel } from '../../core/projects/linkedProject';
import { Disposable } from '../../core/lifecycle/disposable';
import { COMMANDS } from '../commands/commandIds';

export class ProjectStatusBar extends Disposable {
  private readonly item = this._register(
    vscode.window.createStatusBarItem('runbook.project', vscode.StatusBarAlignment.Left, 50),
  );

  constructor(private readonly projects: ProjectService) {
    super();
    this.item.name = 'Runbook Project';
    this.item.command = COMMANDS.selectProject;
    this._register(projects.onDidChangeActive(() => this.render()));
    this.render();
    this.item.show();
  }

  render(): void {
    const project = this.projects.active;
    if (!project) {
      this.item.text = '$(database) No project';
      this.item.tooltip = 'Runbook: select the project snippets run against';
      this.item.backgroundColor = undefined;
      return;
    }
    this.item.text = `$(${project.production ? 'warning' : 'database'}) ${projectLabel(project)}`;
    this.item.tooltip = new vscode.MarkdownString(
      `**Runbook project: ${project.name}**${project.production ? ' — production' : ''}  \n${project.ref ? `Ref \`${project.ref}\`  \n` : ''}${project.apiUrl ? `API ${project.apiUrl}  \n` : ''}Database ${describeTarget(project)}  \n\nClick to switch project.`,
    );
    this.item.backgroundColor = project.production
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.color = project.production ? new vscode.ThemeColor('statusBarItem.warningForeground') : undefined;
  }
}
