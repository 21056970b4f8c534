// What the Supabase CLI's subcommands do and which project they reach. Checked against the `--help` of the CLI
// this project pins (supabase 3.1.0, see scripts/lib/provision.mjs):
// - CLI 3 selects a project with `--remote[=<ref|branch|url>]`. `--project-ref`, `--linked`, `--db-url` and
//   `--project-id` still work but print "deprecated … will be removed in v4"; `--local` prints "isn't needed".
// - Database commands (db push/pull/diff/dump/reset/lint/query, migration list/up/down/repair/squash/fetch,
//   gen types, inspect, storage, logs, seed) run against the LOCAL stack by default in CLI 3; in CLI 2 several of
//   them (db push, migration list, inspect) defaulted to the linked project. A runbook's bare `supabase db push`
//   therefore changed meaning.
// - Management API commands (functions deploy/list/delete/download, secrets, config push, branches …) are remote
//   only: they use the linked project, or `--remote=<ref>` (CLI 2: `--project-ref <ref>`), and reject `--local`.
// - `supabase functions logs` and `supabase db remote status` do not exist in CLI 3.1.
import { basename } from './simpleCommands';

export type SupabaseTarget =
  /** Management API: a hosted project only. */
  | 'remote-only'
  /** A database or stack: local by default in CLI 3, a hosted project with --remote. */
  | 'local-or-remote'
  /** The local stack or local files only. */
  | 'local-only'
  /** The account, not a project (login, projects list, orgs), or the link itself. */
  | 'account';

export interface SupabaseCommandSpec {
  target: SupabaseTarget;
  /** Why running it changes something outside the working copy; absent for read-only commands. */
  changes?: string;
  /** Option that turns a changing command into a preview. */
  previewFlag?: '--dry-run' | '--read-only';
}

const read = (target: SupabaseTarget): SupabaseCommandSpec => ({ target });
const write = (target: SupabaseTarget, changes: string, previewFlag?: SupabaseCommandSpec['previewFlag']): SupabaseCommandSpec => ({ target, changes, ...(previewFlag ? { previewFlag } : {}) });

const COMMANDS: Record<string, SupabaseCommandSpec> = {
  'backups list': read('remote-only'),
  'backups restore': write('remote-only', 'restores the database to an earlier point in time'),
  bootstrap: read('local-only'),
  'branches list': read('remote-only'),
  'branches get': read('remote-only'),
  'branches create': write('remote-only', 'creates a preview branch'),
  'branches update': write('remote-only', 'changes a preview branch'),
  'branches pause': write('remote-only', 'pauses a preview branch'),
  'branches unpause': write('remote-only', 'resumes a preview branch'),
  'branches delete': write('remote-only', 'deletes a preview branch'),
  completion: read('account'),
  'config diff': read('remote-only'),
  'config pull': read('remote-only'),
  'config push': write('remote-only', "changes the project's configuration"),
  'db diff': read('local-or-remote'),
  'db dump': read('local-or-remote'),
  'db push': write('local-or-remote', 'applies migrations to the database', '--dry-run'),
  'db pull': write('local-or-remote', "writes a migration and records it in the database's migration history"),
  'db reset': write('local-or-remote', 'drops and recreates the database'),
  'db lint': read('local-or-remote'),
  'db start': read('local-only'),
  'db query': write('local-or-remote', 'runs SQL that may change data', '--read-only'),
  'db advisors': read('local-or-remote'),
  'db schema': read('local-only'),
  'domains get': read('remote-only'),
  'domains create': write('remote-only', 'creates a custom domain'),
  'domains reverify': read('remote-only'),
  'domains activate': write('remote-only', 'switches the project to a custom domain'),
  'domains delete': write('remote-only', 'deletes the custom domain'),
  'encryption get-root-key': read('remote-only'),
  'encryption update-root-key': write('remote-only', 'replaces the root encryption key'),
  'functions list': read('remote-only'),
  'functions delete': write('remote-only', 'deletes an Edge Function from the project'),
  'functions download': read('remote-only'),
  'functions deploy': write('remote-only', 'deploys Edge Functions to the project'),
  'functions new': read('local-only'),
  'functions serve': read('local-only'),
  'gen types': read('local-or-remote'),
  'gen signing-key': read('local-only'),
  'gen bearer-jwt': read('local-only'),
  init: read('local-only'),
  'inspect report': read('local-or-remote'),
  'inspect db': read('local-or-remote'),
  link: read('account'),
  login: read('account'),
  logout: read('account'),
  logs: read('local-or-remote'),
  'logs sources': read('local-or-remote'),
  'migration list': read('local-or-remote'),
  'migration new': read('local-only'),
  'migration repair': write('local-or-remote', 'rewrites the migration history table'),
  'migration squash': write('local-or-remote', 'squashes migrations and rewrites the migration history'),
  'migration up': write('local-or-remote', 'applies pending migrations'),
  'migration down': write('local-or-remote', 'reverts applied migrations'),
  'migration fetch': read('local-or-remote'),
  'network-bans get': read('remote-only'),
  'network-bans remove': write('remote-only', 'removes network bans'),
  'network-restrictions get': read('remote-only'),
  'network-restrictions update': write('remote-only', 'changes network restrictions'),
  'notebooks push': write('remote-only', 'uploads notebooks to the project'),
  'notebooks pull': read('remote-only'),
  'orgs list': read('account'),
  'orgs create': write('account', 'creates an organization'),
  'postgres-config get': read('remote-only'),
  'postgres-config update': write('remote-only', 'changes Postgres settings (may restart the database)'),
  'postgres-config delete': write('remote-only', 'removes Postgres setting overrides (may restart the database)'),
  'projects list': read('account'),
  'projects create': write('account', 'creates a project'),
  'projects api-keys': read('remote-only'),
  'projects delete': write('account', 'deletes a project'),
  pull: read('remote-only'),
  'secrets list': read('remote-only'),
  'secrets set': write('remote-only', 'changes Edge Function secrets'),
  'secrets unset': write('remote-only', 'removes Edge Function secrets', '--dry-run'),
  'seed buckets': write('local-or-remote', 'uploads storage buckets and objects'),
  services: read('local-only'),
  'snippets list': read('remote-only'),
  'snippets download': read('remote-only'),
  'ssl-enforcement get': read('remote-only'),
  'ssl-enforcement update': write('remote-only', 'changes SSL enforcement'),
  'sso list': read('remote-only'),
  'sso show': read('remote-only'),
  'sso info': read('remote-only'),
  'sso add': write('remote-only', 'adds an SSO identity provider'),
  'sso remove': write('remote-only', 'removes an SSO identity provider'),
  'sso update': write('remote-only', 'changes an SSO identity provider'),
  start: read('local-only'),
  status: read('local-only'),
  stop: read('local-only'),
  'storage ls': read('local-or-remote'),
  'storage cp': write('local-or-remote', 'copies storage objects'),
  'storage mv': write('local-or-remote', 'moves storage objects'),
  'storage rm': write('local-or-remote', 'deletes storage objects'),
  'telemetry enable': read('local-only'),
  'telemetry disable': read('local-only'),
  'telemetry status': read('local-only'),
  'test db': read('local-or-remote'),
  'test new': read('local-only'),
  unlink: read('local-only'),
  'vanity-subdomains get': read('remote-only'),
  'vanity-subdomains check-availability': read('remote-only'),
  'vanity-subdomains activate': write('remote-only', 'switches the project to a vanity subdomain'),
  'vanity-subdomains delete': write('remote-only', 'deletes the vanity subdomain'),
  whoami: read('account'),
};

const GROUPS = new Set(Object.keys(COMMANDS).filter((k) => k.includes(' ')).map((k) => k.split(' ')[0]));
const ALIASES: Record<string, string> = { migrations: 'migration' };
// Global flags that take a separate value (`--workdir dir`), so that the value is not read as a subcommand.
const GLOBAL_FLAGS_WITH_VALUE = new Set(['--workdir', '--profile', '--output', '-o', '--log-level', '--network-id', '--dns-resolver', '--agent', '--output-format', '--completions']);

// Subcommands that runbooks still use but CLI 3.1 does not have, with what to use instead.
const GONE: Record<string, string> = {
  'functions logs': '`supabase functions logs` is not a command of Supabase CLI 3.1 (functions has list, delete, download, deploy, new and serve). Hosted logs: `supabase logs --remote` (list the sources with `supabase logs sources --remote`).',
  'db remote': '`supabase db remote` was removed from the Supabase CLI: use `supabase db diff --remote` or `supabase db pull --remote`; for migration state, `supabase migration list --remote`.',
};

export interface ParsedSupabaseCommand {
  /** Subcommand path, aliases resolved: ['functions', 'deploy']. Empty for a bare `supabase`. */
  path: string[];
  spec?: SupabaseCommandSpec;
  /** Every word after `supabase`, flags included. */
  args: string[];
  /** Index in `args` just after the subcommand path. */
  restIndex: number;
  /** Set when the subcommand does not exist in the CLI this table describes. */
  unknown?: string;
}

/** Reads `supabase …` argv (the program may be a path or come from `npx`); undefined for other programs. */
export function parseSupabaseCommand(argv: readonly string[]): ParsedSupabaseCommand | undefined {
  if (argv.length === 0 || basename(argv[0]) !== 'supabase') return undefined;
  const args = argv.slice(1);
  const positions: number[] = [];
  for (let i = 0; i < args.length && positions.length < 3; i++) {
    const a = args[i];
    if (a.startsWith('-')) { if (GLOBAL_FLAGS_WITH_VALUE.has(a)) i++; continue; }
    positions.push(i);
  }
  const words = positions.map((i) => ALIASES[args[i]] ?? args[i]);
  const base = { args, restIndex: args.length };
  if (words.length === 0) return { ...base, path: [] };
  const twoWords = words.slice(0, 2).join(' ');
  if (GONE[twoWords] && !COMMANDS[twoWords]) return { ...base, path: words.slice(0, 3), unknown: GONE[twoWords] };
  if (words.length >= 2 && COMMANDS[twoWords]) return { ...base, path: words.slice(0, 2), spec: COMMANDS[twoWords], restIndex: positions[1] + 1 };
  if (COMMANDS[words[0]] && !GROUPS.has(words[0])) return { ...base, path: [words[0]], spec: COMMANDS[words[0]], restIndex: positions[0] + 1 };
  if (words[0] === 'logs') return { ...base, path: ['logs'], spec: COMMANDS.logs, restIndex: positions[0] + 1 };
  if (GROUPS.has(words[0])) {
    if (words.length === 1) return { ...base, path: [words[0]] };
    return { ...base, path: words.slice(0, 2), unknown: `\`supabase ${words[0]} ${words[1]}\` is not a command of Supabase CLI 3.1.` };
  }
  return { ...base, path: [words[0]], unknown: `\`supabase ${words[0]}\` is not a command of Supabase CLI 3.1.` };
}

/** The value of `--flag value` or `--flag=value`; `true` for a flag given without value; undefined when absent. */
export function flagValue(args: readonly string[], flag: string, takesValue: boolean): string | true | undefined {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === flag) return takesValue && args[i + 1] !== undefined && !args[i + 1].startsWith('-') ? args[i + 1] : true;
    if (a.startsWith(`${flag}=`)) return a.slice(flag.length + 1);
  }
  return undefined;
}

export function describeSupabaseCommand(parsed: ParsedSupabaseCommand): string {
  return ['supabase', ...parsed.path].join(' ');
}
