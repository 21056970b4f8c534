// Which project a command really reaches, worked out from the command as it will be typed (after targeting):
// the active project, the one `supabase link` recorded, a configured project named by ref or URL, the local stack,
// or a remote nobody configured. The confirmation, the lens and the journal all show this, and production (or an
// unknown remote) needs its ref typed, whatever project happens to be active.
import type { RunTarget } from './runTarget';
import { projectLabel } from '../projects/linkedProject';
import { splitSimpleCommands, unwrapCommand, type SimpleCommand } from '../bash/simpleCommands';
import {
  describeSupabaseCommand,
  parseSupabaseCommand,
  projectSelection,
  type ParsedSupabaseCommand,
} from '../supabase/supabaseCli';
import { postgresClientCall, type PostgresConnection } from './postgresConnection';

export interface KnownProject {
  name: string;
  ref?: string;
  isLocal: boolean;
  /** The stack `supabase start` runs (the CLI's local default), as opposed to another local database. */
  isLocalStack?: boolean;
  production: boolean;
  db?: { host: string; port: number };
}

export interface TargetContext {
  active: KnownProject;
  /** Every project the workspace knows, the active one included. */
  projects: readonly KnownProject[];
  /** The ref in supabase/.temp/project-ref of the folder the command runs in; undefined when nothing is linked. */
  linkedRef?: string;
  /** Major version of the Supabase CLI that runs the command. */
  cliMajorVersion: number;
}

export interface CommandTarget extends RunTarget {
  /** What the user types to confirm a change there: the ref, a database host, or `linked` when the ref is unknown. */
  confirmText?: string;
  /** Why the command goes there: "supabase functions deploy uses the linked project". */
  via: string;
}

const REF = /^[a-z0-9]{20}$/;

/**
 * The projects a command reaches, one per distinct target. A command without `supabase` calls reaches the active
 * project: it runs in that project's terminal, with its credentials, and project URLs are pointed at it.
 */
export function resolveCommandTargets(command: string, context: TargetContext): CommandTarget[] {
  const targets: CommandTarget[] = [];
  for (const simple of splitSimpleCommands(command)) {
    const target = targetOfSimpleCommand(simple, context);
    if (target) targets.push(target);
  }
  return targets.length > 0 ? uniqueTargets(targets) : [activeTarget(context)];
}

/** Where one simple command goes when it names a project or a database itself; undefined when it does not. */
export function targetOfSimpleCommand(simple: SimpleCommand, context: TargetContext): CommandTarget | undefined {
  const parsed = parseSupabaseCommand(unwrapCommand(simple.words).argv);
  if (parsed) return targetOf(parsed, context);
  const client = postgresClientCall(simple);
  return client ? databaseTarget(client.program, client.connection, context) : undefined;
}

export function activeTarget(context: TargetContext): CommandTarget {
  return fromProject(context.active, context, 'active', "the command runs in the active project's terminal");
}

/** Where a PostgreSQL client connects; no host means the active project's (its terminal's PGHOST). */
function databaseTarget(
  program: string,
  connection: PostgresConnection,
  context: TargetContext,
): CommandTarget | undefined {
  if (connection.kind === 'default')
    return fromProject(
      context.active,
      context,
      'active',
      `${program} connects to the active project's database (the terminal's PGHOST)`,
    );
  if (connection.kind === 'unknown') {
    return {
      name: `the database in ${connection.text}`,
      production: true,
      kind: 'unknown-remote',
      confirmText: connection.text,
      via: `${program} connects to the database in ${connection.text}, known only when it runs`,
    };
  }
  const { host, port } = connection;
  const via = `${program} connects to ${host}${port ? `:${port}` : ''}`;
  // Without a port the terminal's PGPORT (the active project's) or 5432 applies: the host decides.
  const matches = (p: KnownProject) =>
    p.db !== undefined && sameHost(p.db.host, host) && (port === undefined || p.db.port === port);
  if (matches(context.active)) return fromProject(context.active, context, 'active', via);
  const configured = context.projects.find(matches);
  if (configured) return fromProject(configured, context, 'configured', via);
  const ref = /^db\.([a-z0-9]{20})\.supabase\.(co|in)$/.exec(host)?.[1];
  if (ref) return byRef(ref, context, via);
  if (isLoopback(host))
    return { name: `the local database at ${host}${port ? `:${port}` : ''}`, production: false, kind: 'local', via };
  return {
    name: host,
    production: true,
    kind: 'unknown-remote',
    confirmText: host,
    via: `${via}, which no configured project has`,
  };
}

function sameHost(a: string, b: string): boolean {
  return a === b || (isLoopback(a) && isLoopback(b));
}

/** True when the target is not the active project. */
export function isElsewhere(target: Pick<CommandTarget, 'kind'>): boolean {
  return target.kind !== 'active';
}

/** The target a run is filed under: the first one that is not the active project, else the first. */
export function primaryTarget<T extends Pick<CommandTarget, 'kind'>>(targets: readonly T[]): T {
  return targets.find(isElsewhere) ?? targets[0];
}

/** The targets without repeats (the same project by name and ref), first occurrence kept, in order. */
export function uniqueTargets<T extends Pick<CommandTarget, 'name' | 'ref'>>(targets: readonly T[]): T[] {
  const seen = new Map<string, T>();
  for (const t of targets) {
    const key = `${t.name}|${t.ref ?? ''}`;
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.values()];
}

function targetOf(parsed: ParsedSupabaseCommand, context: TargetContext): CommandTarget | undefined {
  const spec = parsed.spec;
  if (parsed.unknown || !spec || spec.target === 'account') return undefined;
  const name = describeSupabaseCommand(parsed);
  if (spec.target === 'local-only') return localOnly(context, `${name} works on this machine's stack and files`);
  const selection = projectSelection(parsed, context.cliMajorVersion);
  switch (selection?.kind) {
    case undefined:
    case 'rejected':
      return undefined; // rejected by the CLI: runs nowhere
    // CLI 3 runs database commands on the local stack by default; CLI 2 used the linked project for several.
    case 'local':
      return localStack(
        context,
        selection.flag
          ? `${name} names the local database (${selection.flag})`
          : `${name} runs on the local database by default`,
      );
    case 'linked':
      if (selection.flag) return linked(context, `${name} names the linked project (${selection.flag})`);
      return linked(
        context,
        spec.target === 'remote-only'
          ? `${name} uses the linked project`
          : `${name} uses the linked project (Supabase CLI ${context.cliMajorVersion})`,
      );
    case 'url':
      return byDatabaseUrl(selection.value, context, `${name} names a database by URL (${selection.flag})`);
    case 'ref':
      return byRef(selection.value, context, `${name} names the project ${selection.value} (${selection.flag})`);
  }
}

function byRef(value: string, context: TargetContext, via: string): CommandTarget {
  if (context.active.ref === value) return fromProject(context.active, context, 'active', via);
  const configured = context.projects.find((p) => p.ref === value);
  if (configured) return fromProject(configured, context, 'configured', via);
  if (value === context.linkedRef)
    return { name: 'linked', ref: value, production: true, kind: 'linked', confirmText: value, via };
  // A ref, a preview branch or a placeholder nobody configured: treated like production.
  const what = REF.test(value) ? value : `"${value}"`;
  return {
    name: what,
    ...(REF.test(value) ? { ref: value } : {}),
    production: true,
    kind: 'unknown-remote',
    confirmText: value,
    via: `${via}, which no configured project has`,
  };
}

function byDatabaseUrl(value: string, context: TargetContext, via: string): CommandTarget {
  let host: string;
  let port: number;
  let user = '';
  try {
    const url = new URL(value);
    host = url.hostname.replace(/^\[|\]$/g, '');
    port = url.port ? Number(url.port) : 5432;
    user = decodeURIComponent(url.username);
  } catch {
    return { name: 'a database URL', production: true, kind: 'unknown-remote', confirmText: value, via };
  }
  const matches = (p: KnownProject) => p.db?.host === host && p.db.port === port;
  if (matches(context.active)) return fromProject(context.active, context, 'active', via);
  const configured = context.projects.find(matches);
  if (configured) return fromProject(configured, context, 'configured', via);
  // db.<ref>.supabase.co, or the pooler with user postgres.<ref>.
  const ref = /^db\.([a-z0-9]{20})\.supabase\.(co|in)$/.exec(host)?.[1] ?? /^[a-z_]+\.([a-z0-9]{20})$/.exec(user)?.[1];
  if (ref) return byRef(ref, context, via);
  if (isLoopback(host)) return { name: `the local database at ${host}:${port}`, production: false, kind: 'local', via };
  return {
    name: host,
    production: true,
    kind: 'unknown-remote',
    confirmText: host,
    via: `${via}, which no configured project has`,
  };
}

function linked(context: TargetContext, via: string): CommandTarget {
  const ref = context.linkedRef;
  if (!ref) {
    // The CLI looks for a link upward from the working directory, so one may exist outside the workspace.
    return {
      name: 'whichever project is linked',
      production: true,
      kind: 'linked',
      confirmText: 'linked',
      via: `${via}; none is linked in this workspace, so the CLI may stop or use a link found in a parent folder`,
    };
  }
  const configured = context.projects.find((p) => p.ref === ref);
  if (configured)
    return {
      ...fromProject(configured, context, configured === context.active ? 'active' : 'linked', via),
      kind: configured === context.active ? 'active' : 'linked',
    };
  // `supabase link` without a matching setting: production until the user says otherwise.
  return { name: 'linked', ref, production: true, kind: 'linked', confirmText: ref, via };
}

function localStack(context: TargetContext, via: string): CommandTarget {
  if (context.active.isLocalStack) return fromProject(context.active, context, 'active', via);
  const stack = context.projects.find((p) => p.isLocalStack);
  if (stack) return fromProject(stack, context, 'configured', via);
  return { name: 'the local stack', production: false, kind: 'local', via };
}

function localOnly(context: TargetContext, via: string): CommandTarget {
  if (context.active.isLocal) return fromProject(context.active, context, 'active', via);
  return { name: 'this machine', production: false, kind: 'local', via };
}

function fromProject(
  project: KnownProject,
  context: TargetContext,
  kind: RunTarget['kind'],
  via: string,
): CommandTarget {
  const confirmText = project.production ? (project.ref ?? project.name) : undefined;
  const linkedKind =
    kind === 'configured' && project.ref !== undefined && project.ref === context.linkedRef ? 'linked' : kind;
  return {
    name: project.name,
    ...(project.ref ? { ref: project.ref } : {}),
    production: project.production,
    kind: linkedKind,
    ...(confirmText ? { confirmText } : {}),
    via,
  };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/**
 * The target as the user reads it, production left out: a configured project by its name, the linked one as
 * "linked project abcd…wxyz", a ref nobody configured as "project abcd…wxyz", a database by its host.
 */
export function targetName(target: Pick<CommandTarget, 'name' | 'ref' | 'kind'>): string {
  if (target.kind === 'linked' && target.name === 'linked')
    return target.ref ? `linked project ${shortRef(target.ref)}` : 'the linked project';
  if (target.kind === 'unknown-remote' && target.ref && target.name === target.ref)
    return `project ${shortRef(target.ref)}`;
  if (target.kind === 'unknown-remote' && /^"[^"]*"$/.test(target.name)) return `project ${target.name}`;
  if (target.kind === 'unknown-remote' && !target.name.includes(' ')) return `database at ${target.name}`;
  return target.name;
}

/** "fixture", "linked project abcd…wxyz (production)", "prod-eu": for lenses, notices and the confirmation. */
export function describeTarget(target: Pick<CommandTarget, 'name' | 'ref' | 'kind' | 'production'>): string {
  return projectLabel({ name: targetName(target), production: target.production });
}

/** A project ref shortened for reading: "abcd…wxyz". The full ref is what is typed to confirm. */
export function shortRef(ref: string): string {
  return ref.length > 12 ? `${ref.slice(0, 4)}…${ref.slice(-4)}` : ref;
}
