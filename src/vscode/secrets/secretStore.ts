// Secrets live only in VS Code's SecretStorage, keyed by project. Nothing here logs or returns them
// anywhere but to the caller that connects with them.
import * as vscode from 'vscode';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';

export type SecretKind = 'dbPassword' | 'serviceRoleKey' | 'anonKey' | 'accessToken';

export const SECRET_LABELS: Record<SecretKind, string> = {
  dbPassword: 'Database password',
  serviceRoleKey: 'Service role key',
  anonKey: 'Anon key',
  accessToken: 'Personal access token',
};

/** The well-known password of the local stack that `supabase start` runs; never a real secret. */
const LOCAL_STACK_PASSWORD = 'postgres';

/**
 * A database password anyone can read off the project: the local stack's default, or the user or database
 * name itself. Masking it would blank out every "postgres" in the results while hiding nothing.
 */
export function isPublicPassword(password: string, project: LinkedProject): boolean {
  return password === LOCAL_STACK_PASSWORD || password === project.db?.user || password === project.db?.database;
}

export class SecretStore {
  constructor(private readonly storage: vscode.SecretStorage) {}

  private key(project: LinkedProject | undefined, kind: SecretKind): string {
    // The access token belongs to the person, not to a project.
    return kind === 'accessToken' || !project
      ? `runbook.${kind}`
      : `runbook.${project.name}.${project.ref ?? ''}.${kind}`;
  }

  get(project: LinkedProject | undefined, kind: SecretKind): Thenable<string | undefined> {
    return this.storage.get(this.key(project, kind));
  }

  store(project: LinkedProject | undefined, kind: SecretKind, value: string): Thenable<void> {
    return this.storage.store(this.key(project, kind), value);
  }

  delete(project: LinkedProject | undefined, kind: SecretKind): Thenable<void> {
    return this.storage.delete(this.key(project, kind));
  }

  /** The database password when known without asking: stored, or the local stack's default. For background checks. */
  async knownDatabasePassword(project: LinkedProject): Promise<string | undefined> {
    const stored = await this.get(project, 'dbPassword');
    if (stored !== undefined) return stored;
    return project.isLocal && project.source === 'local stack' ? LOCAL_STACK_PASSWORD : undefined;
  }

  /** The database password: stored, the local stack default, or asked for with a masked input. */
  async databasePassword(
    project: LinkedProject,
    options: { forceAsk?: boolean; reason?: string } = {},
  ): Promise<string | undefined> {
    if (!options.forceAsk) {
      const stored = await this.get(project, 'dbPassword');
      if (stored !== undefined) return stored;
      if (project.isLocal && project.source === 'local stack') return LOCAL_STACK_PASSWORD;
    }
    return this.ask(project, 'dbPassword', options.reason);
  }

  async ask(project: LinkedProject | undefined, kind: SecretKind, reason?: string): Promise<string | undefined> {
    const value = await vscode.window.showInputBox({
      title: `${SECRET_LABELS[kind]}${project && kind !== 'accessToken' ? ` for ${projectLabel(project)}` : ''}`,
      prompt: `${reason ? `${reason} ` : ''}Stored in VS Code's secret storage, never in settings or logs.`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (v.length === 0 ? 'Enter a value, or press Escape to cancel' : undefined),
    });
    return value === undefined ? undefined : value;
  }
}
