// Always shows which project a Run will hit; production is painted in the warning colour. A project known only by
// `supabase link` is called "linked", which says nothing: the text adds its short ref (space is short there). The
// hover names the project with its full ref first, where the user checks it.
import * as vscode from 'vscode';
import type { ProjectService } from './projectService';
import { describeTarget, projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { shortRef } from '../../core/targets/commandTarget';
import { labelWithRef } from '../../core/targets/targetLabel';
import { Disposable } from '../../core/lifecycle/disposable';
import { COMMANDS } from '../commands/commandIds';

const SOURCES: Record<LinkedProject['source'], string> = {
  settings: 'From the setting runbook.projects',
  'supabase link': 'From supabase link (supabase/.temp/project-ref)',
  'config.toml': 'From a [remotes.<name>] section of supabase/config.toml',
  'local stack': 'The local stack of supabase start',
};

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
    const name =
      project.source === 'supabase link' && project.ref ? `${project.name} ${shortRef(project.ref)}` : project.name;
    this.item.text = `$(${project.production ? 'warning' : 'database'}) ${projectLabel({ name, production: project.production })}`;
    const tooltip = new vscode.MarkdownString();
    tooltip.appendMarkdown('**Runbook project:** ');
    tooltip.appendText(labelWithRef(project.name, project.ref, project.production));
    tooltip.appendMarkdown('  \n');
    if (project.apiUrl) tooltip.appendText(`API ${project.apiUrl}`).appendMarkdown('  \n');
    tooltip.appendText(`Database ${describeTarget(project)}`).appendMarkdown('  \n');
    tooltip.appendText(SOURCES[project.source]).appendMarkdown('\n\nClick to switch project.');
    this.item.tooltip = tooltip;
    this.item.backgroundColor = project.production
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : undefined;
    this.item.color = project.production ? new vscode.ThemeColor('statusBarItem.warningForeground') : undefined;
  }
}
