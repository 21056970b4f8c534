import * as vscode from 'vscode';
import type { ProjectService } from './projectService';
import { describeTarget, projectLabel, type LinkedProject } from '../../core/projects/linkedProject';

export async function pickProject(projects: ProjectService, title: string): Promise<LinkedProject | undefined> {
  await projects.ready();
  const active = projects.active;
  const choice = await vscode.window.showQuickPick(
    projects.all.map((p) => ({
      label: `$(${p.production ? 'warning' : 'database'}) ${projectLabel(p)}`,
      description: `${p.source}${p === active ? ' · active' : ''}`,
      detail: `${p.ref ? `ref ${p.ref} · ` : ''}${describeTarget(p)}`,
      project: p,
    })),
    { title, placeHolder: 'Projects from runbook.projects, supabase link and the local stack' },
  );
  return choice?.project;
}
