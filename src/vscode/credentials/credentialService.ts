// The credentials of a run, for the terminal runner and the task runner alike. A run gets only what its commands need
// (CredentialNeeds, worked out by core/safety from the commands as they will run): the active project's database
// password as libpq's PG* variables, asked masked when none is stored; the Management API's access token from VS
// Code's secret storage, or none when the CLI has a login of its own, or asked for when neither exists; secret
// placeholder values under RUNBOOK_SECRET_*. Values go only into the run's environment; what is logged says where
// a credential came from, never what it is.
import type * as vscode from 'vscode';
import type { SecretStore } from '../secrets/secretStore';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { CredentialNeeds } from '../../core/safety/credentialNeeds';
import { runEnvironment, type RunEnvironment } from '../../core/credentials/runEnvironment';
import { findCliLogin } from '../../node/supabase/cliLogin';
import { terminalEnvironment } from '../supabase/terminalEnvironment';
import { askForAccessToken } from './accessTokenQuestion';

export interface CredentialRequest {
  project: LinkedProject;
  needs: CredentialNeeds;
  /** Secret placeholder values by environment variable. */
  secretEnv?: Readonly<Record<string, string>>;
  /** The commands that call the Management API, as the user reads them, for the question when no token is found. */
  managementApiCommands?: readonly string[];
  /** The Supabase CLI binary and the folder it runs in, for `supabase login`. */
  cli?: { binary?: string; cwd?: vscode.Uri };
  /** What the log calls the run. */
  label: string;
}

export interface RunCredentials extends RunEnvironment {
  /** The environment holds a secret: a terminal with it must not be restored after a reload. */
  carriesSecrets: boolean;
  /** The database password given, and whether it came from the secret storage (else it was asked or is the default). */
  password?: { value: string; stored: boolean };
}

export class CredentialService {
  constructor(
    private readonly secrets: SecretStore,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** The run's environment; undefined when the user cancelled a question (nothing may run then). */
  async obtain(request: CredentialRequest): Promise<RunCredentials | undefined> {
    const { project, needs } = request;
    let password: RunCredentials['password'];
    if (needs.database && project.db) {
      const stored = await this.secrets.get(project, 'dbPassword');
      const value = stored ?? (await this.secrets.databasePassword(project));
      if (value === undefined) return undefined;
      password = { value, stored: stored !== undefined };
    }
    let accessToken: string | undefined;
    if (needs.managementApi) {
      const token = await this.accessToken(request);
      if (token === undefined) return undefined;
      accessToken = token || undefined;
    }
    const environment = runEnvironment({
      ...(password && project.db ? { database: { db: project.db, password: password.value } } : {}),
      ...(accessToken ? { accessToken } : {}),
      ...(request.secretEnv ? { secretEnv: request.secretEnv } : {}),
    });
    return { ...environment, carriesSecrets: environment.secrets.length > 0, ...(password ? { password } : {}) };
  }

  /**
   * A password that just worked is kept, so that the next run does not ask again (the local stack's well-known one
   * needs no keeping).
   */
  keepWorkingPassword(project: LinkedProject, credentials: RunCredentials): void {
    if (!credentials.password || credentials.password.stored) return;
    if (project.isLocal && project.source === 'local stack') return;
    void this.secrets.store(project, 'dbPassword', credentials.password.value);
  }

  /** The stored token; '' when the CLI's own login is to be used; undefined when the run stops. */
  private async accessToken(request: CredentialRequest): Promise<string | undefined> {
    const stored = await this.secrets.get(undefined, 'accessToken');
    if (stored) return stored;
    // Where the CLI in a terminal would look: its environment (HOME, SUPABASE_ACCESS_TOKEN), the keyring, the token file.
    const login = await findCliLogin(terminalEnvironment());
    if (login.source) {
      this.log.info(`${request.label}: no access token in the secret storage; the CLI uses its own (${login.source})`);
      return '';
    }
    const answer = await askForAccessToken(this.secrets, {
      commands: request.managementApiCommands?.length ? request.managementApiCommands : [request.label],
      login,
      ...(request.cli?.binary ? { binary: request.cli.binary } : {}),
      ...(request.cli?.cwd ? { cwd: request.cli.cwd } : {}),
    });
    if (!answer) return undefined;
    if ('cliLogin' in answer) {
      this.log.info(`${request.label}: run without an access token, on whatever login the CLI finds`);
      return '';
    }
    this.log.info(`${request.label}: access token entered and kept in the secret storage`);
    return answer.token;
  }
}
