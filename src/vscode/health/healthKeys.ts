// The key the health probes send for a project: its anon or publishable key from SecretStorage, else the one the
// Management API lists (when a personal access token is set), else, for the local stack, its public default. Never
// the service role key: a stored key that is one is refused and the user told. Keys live in memory here and in
// SecretStorage only; they never reach the webview, a log or the output.
import type { LinkedProject } from '../../core/projects/linkedProject';
import { isLocalApiUrl, LOCAL_STACK_ANON_KEY, looksPrivileged, publicKeyOf } from '../../core/health/projectKey';
import type { ManagementApiClient } from '../../node/supabase/managementApiClient';
import type { SecretStore } from '../secrets/secretStore';

export interface ProjectKey {
  key?: string;
  /** How it was found, for the panel: never the key. */
  source?: string;
  /** Why there is none, or why a stored one is not used: one sentence. */
  note?: string;
}

/** Keys listed by the Management API are asked for again after this long. */
const FETCHED_KEY_TTL_MS = 10 * 60_000;

export class HealthKeys {
  private readonly fetched = new Map<string, { key?: string; kind?: string; at: number; error?: string }>();

  constructor(
    private readonly secrets: SecretStore,
    private readonly management: ManagementApiClient,
  ) {}

  /** Forget what the Management API said (a secret or the token changed). */
  clear(): void {
    this.fetched.clear();
  }

  async keyFor(project: LinkedProject): Promise<ProjectKey> {
    let note: string | undefined;
    const stored = await this.secrets.get(project, 'anonKey');
    if (stored && looksPrivileged(stored))
      note =
        "The key stored as this project's anon key is a service role or secret key, which the health checks never send: store the anon or publishable key instead (Runbook: Set Project Secret).";
    else if (stored) return { key: stored, source: 'SecretStorage (anon key)' };

    if (project.ref && (await this.management.hasToken())) {
      const cached = this.fetched.get(project.ref);
      const entry = cached && Date.now() - cached.at < FETCHED_KEY_TTL_MS ? cached : await this.fetchKey(project.ref);
      if (entry.key) return { key: entry.key, source: `Management API (${entry.kind} key)`, ...(note ? { note } : {}) };
      if (entry.error) note = `${note ? `${note} ` : ''}The key could not be fetched: ${entry.error}`;
    }
    if (project.apiUrl ? isLocalApiUrl(project.apiUrl) : project.isLocal)
      return { key: LOCAL_STACK_ANON_KEY, source: "the local stack's default anon key", ...(note ? { note } : {}) };
    return {
      note:
        note ??
        `No key for ${project.name}: store its anon or publishable key (Runbook: Set Project Secret), or a personal access token to fetch it.`,
    };
  }

  private async fetchKey(ref: string): Promise<{ key?: string; kind?: string; at: number; error?: string }> {
    let entry: { key?: string; kind?: string; at: number; error?: string };
    try {
      const found = publicKeyOf(await this.management.apiKeys(ref));
      entry = found
        ? { key: found.key, kind: found.kind, at: Date.now() }
        : { at: Date.now(), error: 'the project lists no anon or publishable key' };
    } catch (error) {
      entry = { at: Date.now(), error: (error as Error).message };
    }
    this.fetched.set(ref, entry);
    return entry;
  }
}
