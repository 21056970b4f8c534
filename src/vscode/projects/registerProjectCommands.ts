// Select the active project, and set or clear its secrets.
import * as vscode from 'vscode';
import type { ProjectService } from './projectService';
import { pickProject } from './pickProject';
import { SECRET_LABELS, type SecretKind, type SecretStore } from '../secrets/secretStore';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { COMMANDS } from '../commands/commandIds';

/** `onSecretsChanged(project)`: the project's secrets were set or cleared, so its open connections are stale. */
export function registerProjectCommands(
  projects: ProjectService,
  secrets: SecretStore,
  onSecretsChanged: (project: LinkedProject) => void,
): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.selectProject, async () => {
      const project = await pickProject(projects, 'Select the project runbook snippets run against');
      if (project) await projects.setActive(project.name);
      return project?.name;
    }),
    vscode.commands.registerCommand(COMMANDS.setSecret, async () => {
      const project = await pickProject(projects, 'Set a secret for which project?');
      if (!project) return;
      const kinds = Object.keys(SECRET_LABELS) as SecretKind[];
      const items: Array<vscode.QuickPickItem & { secret: SecretKind }> = kinds.map((k) => ({
        label: SECRET_LABELS[k],
        secret: k,
        description: k === 'accessToken' ? 'shared by all projects' : projectLabel(project),
      }));
      const choice = await vscode.window.showQuickPick(items, { title: 'Which secret?' });
      if (!choice) return;
      const value = await secrets.ask(project, choice.secret);
      if (value === undefined) return;
      await secrets.store(project, choice.secret, value);
      onSecretsChanged(project);
      void vscode.window.showInformationMessage(`${choice.label} saved in VS Code's secret storage.`);
    }),
    vscode.commands.registerCommand(COMMANDS.clearSecrets, async () => {
      const project = await pickProject(projects, 'Clear the stored secrets of which project?');
      if (!project) return undefined;
      const projectKinds = ['dbPassword', 'serviceRoleKey', 'anonKey'] as const;
      const projectLabels = projectKinds.map((k) => SECRET_LABELS[k].toLowerCase()).join(', ');
      // The choice is the confirmation: nothing is cleared until one of these is picked.
      const choice = await vscode.window.showQuickPick(
        [
          {
            label: `$(trash) Clear the secrets of "${projectLabel(project)}"`,
            detail: `Its ${projectLabels}.`,
            kinds: [...projectKinds] as SecretKind[],
          },
          {
            label: `$(trash) Clear them and your personal access token`,
            detail: `Also the ${SECRET_LABELS.accessToken.toLowerCase()}, which every project's Supabase CLI commands use.`,
            kinds: [...projectKinds, 'accessToken'] as SecretKind[],
          },
        ],
        {
          title: `Clear stored secrets of "${projectLabel(project)}"`,
          placeHolder: "They stay in VS Code's secret storage until you clear them; Escape keeps them",
        },
      );
      if (!choice) return undefined;
      for (const kind of choice.kinds) await secrets.delete(project, kind);
      onSecretsChanged(project);
      void vscode.window.showInformationMessage(
        `Cleared ${choice.kinds.length === projectKinds.length ? `the secrets of "${projectLabel(project)}"` : `the secrets of "${projectLabel(project)}" and your personal access token`}.`,
      );
      return choice.kinds;
    }),
  ];
}
