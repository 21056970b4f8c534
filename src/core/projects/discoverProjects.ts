// Finds the projects a workspace can target, from what the Supabase CLI and the user left behind:
// named environments in settings first, then the project `supabase link` recorded, then the remote environments of
// supabase/config.toml ([remotes.<name>], each named by its remote), then the local stack.
import {
  DATABASE_DEFAULTS,
  nameSaysNotProduction,
  nameSaysProduction,
  PROJECT_REF,
  type LinkedProject,
  type DatabaseTarget,
  type SslMode,
} from './linkedProject';
import type { SupabaseConfig } from './supabaseConfig';
import { resolveUserPath, type UserPathBase } from './resolveUserPath';

export interface ProjectSettingInput {
  name: string;
  ref?: string;
  apiUrl?: string;
  production?: boolean;
  db?: { host: string; port?: number; database?: string; user?: string; sslmode?: SslMode; caFile?: string };
}

export interface WorkspaceSupabaseFiles {
  /** supabase/config.toml, read by readSupabaseConfig */
  config?: SupabaseConfig;
  /** supabase/.temp/project-ref, written by `supabase link` */
  projectRef?: string;
  /** supabase/.temp/pooler-url */
  poolerUrl?: string;
}

export const LOCAL_API_PORT = 54321;
export const LOCAL_DB_PORT = 54322;

/** `paths` resolves a relative or `~` caFile; without it the path is kept as written. */
export function discoverProjects(
  files: WorkspaceSupabaseFiles,
  settings: readonly ProjectSettingInput[],
  paths: UserPathBase = {},
): LinkedProject[] {
  const projects: LinkedProject[] = [];
  const names = new Set<string>();
  const add = (p: LinkedProject) => {
    if (!names.has(p.name)) {
      names.add(p.name);
      projects.push(p);
    }
  };

  for (const s of settings) add(fromSetting(s, paths));

  const remotes = files.config?.remotes ?? [];
  const ref = files.projectRef?.trim();
  if (ref && PROJECT_REF.test(ref) && !projects.some((p) => p.ref === ref)) {
    const remote = remotes.find((r) => r.projectId === ref);
    add(fromLink(ref, files.poolerUrl, remote?.name));
  }
  for (const remote of remotes)
    if (!projects.some((p) => p.ref === remote.projectId)) add(fromRemote(remote.name, remote.projectId));

  const api = files.config?.api ?? {};
  if (!projects.some((p) => p.isLocal)) {
    add({
      name: 'local',
      apiUrl: `${api.tls ? 'https' : 'http'}://127.0.0.1:${api.port ?? LOCAL_API_PORT}`,
      db: {
        host: '127.0.0.1',
        port: files.config?.db.port ?? LOCAL_DB_PORT,
        database: 'postgres',
        user: 'postgres',
        sslmode: 'disable',
      },
      production: false,
      isLocal: true,
      source: 'local stack',
    });
  }
  return projects;
}

function fromSetting(s: ProjectSettingInput, paths: UserPathBase): LinkedProject {
  const db: DatabaseTarget | undefined = s.db
    ? {
        host: s.db.host,
        port: s.db.port ?? DATABASE_DEFAULTS.port,
        database: s.db.database ?? DATABASE_DEFAULTS.database,
        user: s.db.user ?? DATABASE_DEFAULTS.user,
        sslmode: s.db.sslmode ?? (isLoopback(s.db.host) ? 'disable' : 'require'),
        ...(s.db.caFile ? { caFile: resolveUserPath(s.db.caFile, paths) } : {}),
      }
    : s.ref
      ? directDatabase(s.ref)
      : undefined;
  const project: LinkedProject = {
    name: s.name,
    production: s.production ?? nameSaysProduction(s.name),
    isLocal: db ? isLoopback(db.host) : false,
    source: 'settings',
  };
  if (s.ref) project.ref = s.ref;
  const apiUrl = s.apiUrl ?? (s.ref ? `https://${s.ref}.supabase.co` : undefined);
  if (apiUrl) project.apiUrl = apiUrl;
  if (db) project.db = db;
  return project;
}

/** `remote`: the [remotes.<name>] of config.toml with the linked ref, which names the project. */
function fromLink(ref: string, poolerUrl: string | undefined, remote: string | undefined): LinkedProject {
  return {
    name: remote ?? 'linked',
    ref,
    apiUrl: `https://${ref}.supabase.co`,
    db: (poolerUrl && poolerDatabase(poolerUrl)) || directDatabase(ref),
    production: fileProjectIsProduction(remote ?? 'linked'),
    isLocal: false,
    source: 'supabase link',
  };
}

function fromRemote(name: string, ref: string): LinkedProject {
  return {
    name,
    ref,
    apiUrl: `https://${ref}.supabase.co`,
    db: directDatabase(ref),
    production: fileProjectIsProduction(name),
    isLocal: false,
    source: 'config.toml',
  };
}

/**
 * A hosted project found in the Supabase files is treated as production unless its name says it is not (staging,
 * dev, preview, …): safety over convenience. A runbook.projects entry with the same ref says otherwise, and wins.
 */
function fileProjectIsProduction(name: string): boolean {
  return nameSaysProduction(name) || !nameSaysNotProduction(name);
}

function directDatabase(ref: string): DatabaseTarget {
  return { host: `db.${ref}.supabase.co`, port: 5432, database: 'postgres', user: 'postgres', sslmode: 'require' };
}

/** The pooler URL the CLI writes has no password; anything after a colon in the user part is dropped. */
export function poolerDatabase(url: string): DatabaseTarget | undefined {
  try {
    const u = new URL(url.trim());
    if (!/^postgres(ql)?:$/.test(u.protocol) || !u.hostname) return undefined;
    return {
      host: u.hostname,
      port: u.port ? Number(u.port) : 5432,
      database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
      user: decodeURIComponent(u.username) || 'postgres',
      sslmode: 'require',
    };
  } catch {
    return undefined;
  }
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
