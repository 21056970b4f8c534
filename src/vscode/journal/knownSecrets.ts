// The secret values the run journal masks in every record, whatever the record's author did: every secret this
// extension keeps in SecretStorage (for every known project) and secret-looking variables of the environment.
// Kept as a snapshot, refreshed when secrets or projects change, because the journal asks synchronously.
import * as vscode from 'vscode';
import type { ProjectService } from '../projects/projectService';
import { SECRET_LABELS, type SecretKind, type SecretStore } from '../secrets/secretStore';
import { isSecretName } from '../../core/secrets/secretNames';
import { Disposable } from '../../core/lifecycle/disposable';

export class KnownSecrets extends Disposable {
  private values: readonly string[] = environmentSecrets();
  /** Settles once the secrets in SecretStorage have been read the first time (also when reading failed). */
  readonly loaded: Promise<void>;

  constructor(
    storage: vscode.SecretStorage,
    private readonly secrets: SecretStore,
    private readonly projects: ProjectService,
  ) {
    super();
    this._register(storage.onDidChange(() => void this.refresh()));
    this._register(projects.onDidChangeActive(() => void this.refresh()));
    this.loaded = this.refresh().catch(() => undefined);
  }

  get current(): readonly string[] {
    return this.values;
  }

  async refresh(): Promise<void> {
    await this.projects.ready();
    const kinds = Object.keys(SECRET_LABELS) as SecretKind[];
    const found = new Set(environmentSecrets());
    const token = await this.secrets.get(undefined, 'accessToken');
    if (token) found.add(token);
    for (const project of this.projects.all) {
      for (const kind of kinds) {
        const value = await this.secrets.get(project, kind);
        if (value) found.add(value);
      }
    }
    this.values = [...found];
  }
}

function environmentSecrets(): string[] {
  return Object.entries(process.env)
    .filter(([name, value]) => isSecretName(name) && value && value.length >= 8)
    .map(([, value]) => value!);
}
