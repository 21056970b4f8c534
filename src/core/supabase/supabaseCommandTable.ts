// The Supabase CLI's command tree as this extension knows it, read from the `--help` output of Supabase CLI 3.1.0
// (the version the project pins, see scripts/lib/provision.mjs): `supabase --help`, `supabase <group> --help` and,
// for the commands runbooks use most, `supabase <group> <command> --help`. test/unit/shell/supabaseHelpTable.test.ts
// runs the real binary and fails when this table and the help drift apart.
// - CLI 3 selects a project with `--remote[=<ref|branch|url>]`. On database commands `--project-ref`, `--linked`,
//   `--db-url` (and `--project-id` on gen types) still work but print "deprecated … will be removed in v4"; `--local`
//   prints "isn't needed". On Management API commands only `--project-ref` is still accepted: `--linked` and
//   `--local` are rejected ("Unrecognized flag").
// - Database commands run against the LOCAL stack by default in CLI 3; Management API commands (functions deploy,
//   secrets …) use the linked project unless given `--remote=<ref>`.

export const SUPABASE_CLI_TABLE_VERSION = '3.1.0';
/** "Supabase CLI 3.1": the CLI this table describes, as messages and lenses name it. */
export const SUPABASE_CLI_NAME = `Supabase CLI ${SUPABASE_CLI_TABLE_VERSION.replace(/\.0$/, '')}`;

export type SupabaseTarget =
  /** Management API: a hosted project only; the linked one unless `--remote=<ref>`. */
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
  /** The flags `--help` lists for the command (global flags excluded); absent when not recorded here. */
  flags?: readonly string[];
  /**
   * Logs in to a Postgres database (the local stack's, or a hosted project's with --remote), so it needs the
   * database password. The other local-or-remote commands (storage, logs, seed buckets) go through the project's
   * APIs. `gen types` reads the database only when it is local or named by URL; given a ref it asks the Management API.
   */
  database?: true;
  /** An account command that works without an access token: logging in and out, and the CLI's own feedback. */
  withoutToken?: true;
}

const read = (target: SupabaseTarget, flags?: readonly string[]): SupabaseCommandSpec => ({
  target,
  ...(flags ? { flags } : {}),
});
const write = (
  target: SupabaseTarget,
  changes: string,
  previewFlag?: SupabaseCommandSpec['previewFlag'],
  flags?: readonly string[],
): SupabaseCommandSpec => ({
  target,
  changes,
  ...(previewFlag ? { previewFlag } : {}),
  ...(flags ? { flags } : {}),
});

const database = (spec: SupabaseCommandSpec): SupabaseCommandSpec => ({ ...spec, database: true });
const withoutToken = (spec: SupabaseCommandSpec): SupabaseCommandSpec => ({ ...spec, withoutToken: true });

const REMOTE = ['--remote'];
const DB_REMOTE = ['--remote', '--password', '-p'];

export const SUPABASE_COMMANDS: Readonly<Record<string, SupabaseCommandSpec>> = {
  'backups list': read('remote-only', REMOTE),
  'backups restore': write('remote-only', 'restores the database to an earlier point in time', undefined, [
    ...REMOTE,
    '--timestamp',
    '-t',
  ]),
  bootstrap: read('local-only'),
  'branches list': read('remote-only'),
  'branches get': read('remote-only'),
  'branches create': write('remote-only', 'creates a preview branch'),
  'branches update': write('remote-only', 'changes a preview branch'),
  'branches pause': write('remote-only', 'pauses a preview branch'),
  'branches unpause': write('remote-only', 'resumes a preview branch'),
  'branches delete': write('remote-only', 'deletes a preview branch'),
  'completion bash': read('local-only'),
  'completion fish': read('local-only'),
  'completion powershell': read('local-only'),
  'completion zsh': read('local-only'),
  'config diff': read('remote-only'),
  'config pull': read('remote-only'),
  'config push': write('remote-only', "changes the project's configuration"),
  'db diff': database(
    read('local-or-remote', [
      '--use-migra',
      '--use-pgadmin',
      '--use-pg-delta',
      '--strict-coverage',
      '--from',
      '--to',
      '--output',
      '-o',
      '--remote',
      '--file',
      '-f',
      '--schema',
      '-s',
    ]),
  ),
  'db dump': database(
    read('local-or-remote', [
      '--dry-run',
      '--data-only',
      '--use-copy',
      '--exclude',
      '-x',
      '--role-only',
      '--keep-comments',
      '--file',
      '-f',
      ...DB_REMOTE,
      '--schema',
      '-s',
    ]),
  ),
  'db push': database(
    write('local-or-remote', 'applies migrations to the database', '--dry-run', [
      '--include-all',
      '--include-roles',
      '--include-seed',
      '--skip-vault',
      '--dry-run',
      ...DB_REMOTE,
    ]),
  ),
  'db pull': database(
    write('local-or-remote', "writes a migration and records it in the database's migration history", undefined, [
      '--declarative',
      '--diff-engine',
      '--strict-coverage',
      '--schema',
      '-s',
      ...DB_REMOTE,
    ]),
  ),
  'db reset': database(
    write('local-or-remote', 'drops and recreates the database', undefined, [
      '--remote',
      '--no-seed',
      '--sql-paths',
      '--version',
      '--last',
    ]),
  ),
  'db lint': database(read('local-or-remote', ['--remote', '--schema', '-s', '--level', '--fail-on'])),
  'db start': read('local-only'),
  'db query': database(
    write('local-or-remote', 'runs SQL that may change data', '--read-only', [
      '--remote',
      '--file',
      '-f',
      '--read-only',
    ]),
  ),
  'db advisors': database(read('local-or-remote')),
  'db schema': read('local-only'),
  'domains get': read('remote-only'),
  'domains create': write('remote-only', 'creates a custom domain'),
  'domains reverify': read('remote-only'),
  'domains activate': write('remote-only', 'switches the project to a custom domain'),
  'domains delete': write('remote-only', 'deletes the custom domain'),
  'encryption get-root-key': read('remote-only'),
  'encryption update-root-key': write('remote-only', 'replaces the root encryption key'),
  'feedback add': withoutToken(read('account')),
  'feedback delete': withoutToken(read('account')),
  'functions list': read('remote-only', REMOTE),
  'functions delete': write('remote-only', 'deletes an Edge Function from the project', undefined, REMOTE),
  'functions download': read('remote-only', [...REMOTE, '--use-api']),
  'functions deploy': write('remote-only', 'deploys Edge Functions to the project', undefined, [
    ...REMOTE,
    '--no-verify-jwt',
    '--use-api',
    '--import-map',
    '--prune',
    '--jobs',
    '-j',
  ]),
  'functions new': read('local-only', ['--auth']),
  'functions serve': read('local-only', [
    '--no-verify-jwt',
    '--env-file',
    '--import-map',
    '--inspect',
    '--inspect-mode',
    '--inspect-main',
  ]),
  'gen types': database(
    read('local-or-remote', ['--remote', '--lang', '--schema', '-s', '--query-timeout', '--swift-access-control']),
  ),
  'gen signing-key': read('local-only'),
  'gen bearer-jwt': read('local-only'),
  init: read('local-only'),
  'inspect report': database(read('local-or-remote', ['--remote', '--output-dir'])),
  'inspect db': database(read('local-or-remote')),
  'issue bug': read('local-only'),
  'issue feature': read('local-only'),
  'issue docs': read('local-only'),
  // `--help` tags link "[remote only]", but it records the link rather than acting on a project.
  link: read('account', ['--project-ref', '--skip-pooler']),
  login: withoutToken(read('account')),
  logout: withoutToken(read('account')),
  logs: read('local-or-remote', [
    ...REMOTE,
    '--stack',
    '--stack-id',
    '--service',
    '--resource',
    '--kind',
    '--level',
    '--search',
    '--since',
    '--from',
    '--to',
    '--limit',
    '--sql',
    '--file',
  ]),
  'logs sources': read('local-or-remote'),
  'migration list': database(read('local-or-remote', DB_REMOTE)),
  'migration new': read('local-only', []),
  'migration repair': database(
    write('local-or-remote', 'rewrites the migration history table', undefined, ['--status', ...DB_REMOTE]),
  ),
  'migration squash': database(write('local-or-remote', 'squashes migrations and rewrites the migration history')),
  'migration up': database(
    write('local-or-remote', 'applies pending migrations', undefined, ['--include-all', '--remote']),
  ),
  'migration down': database(write('local-or-remote', 'reverts applied migrations', undefined, ['--last', '--remote'])),
  'migration fetch': database(read('local-or-remote')),
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
  'secrets list': read('remote-only', REMOTE),
  'secrets set': write('remote-only', 'changes Edge Function secrets', undefined, [...REMOTE, '--env-file']),
  'secrets unset': write('remote-only', 'removes Edge Function secrets', '--dry-run', [
    ...REMOTE,
    '--all',
    '--dry-run',
  ]),
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
  start: read('local-only', ['--exclude', '-x', '--ignore-health-check']),
  status: read('local-only', ['--override-name']),
  stop: read('local-only', ['--project-id', '--no-backup', '--all']),
  'storage ls': read('local-or-remote'),
  'storage cp': write('local-or-remote', 'copies storage objects'),
  'storage mv': write('local-or-remote', 'moves storage objects'),
  'storage rm': write('local-or-remote', 'deletes storage objects'),
  'telemetry enable': read('local-only'),
  'telemetry disable': read('local-only'),
  'telemetry status': read('local-only'),
  'test db': database(read('local-or-remote')),
  'test new': read('local-only'),
  unlink: read('local-only'),
  'vanity-subdomains get': read('remote-only'),
  'vanity-subdomains check-availability': read('remote-only'),
  'vanity-subdomains activate': write('remote-only', 'switches the project to a vanity subdomain'),
  'vanity-subdomains delete': write('remote-only', 'deletes the vanity subdomain'),
  whoami: read('account'),
};

/** Flags every command accepts (`supabase --help`, GLOBAL FLAGS). */
export const GLOBAL_FLAGS: readonly string[] = [
  '--help',
  '-h',
  '--version',
  '-v',
  '--wizard',
  '--completions',
  '--log-level',
  '--output-format',
  '--output',
  '-o',
  '--profile',
  '--debug',
  '--workdir',
  '--experimental',
  '--network-id',
  '--yes',
  '--dns-resolver',
  '--agent',
];

/** Global flags that take a separate value (`--workdir dir`), so that the value is not read as a subcommand. */
export const GLOBAL_FLAGS_WITH_VALUE = new Set([
  '--workdir',
  '--profile',
  '--output',
  '-o',
  '--log-level',
  '--network-id',
  '--dns-resolver',
  '--agent',
  '--output-format',
  '--completions',
]);

export interface HiddenFlag {
  /** What the CLI's own (hidden) description says the flag does. */
  meaning: string;
  /** What that means in practice, when the description is terse. */
  effect?: string;
  /** Deprecated: what to write instead. */
  replacement?: string;
  /** Words in a snippet's comment that show the author read the flag as something else. */
  misreadAs?: RegExp;
}

// The deprecated target flags of database commands: accepted with a warning until v4.
const DATABASE_TARGET_FLAGS: Readonly<Record<string, HiddenFlag>> = {
  '--linked': { meaning: 'use the linked project', replacement: '--remote' },
  '--project-ref': { meaning: 'use the project with this ref', replacement: '--remote=<ref>' },
  '--db-url': { meaning: 'use the database at this URL', replacement: '--remote=<db-url>' },
  '--local': { meaning: 'use the local database (already the default)', replacement: 'nothing: local is the default' },
};

const PROJECT_REF_FLAG: Readonly<Record<string, HiddenFlag>> = {
  '--project-ref': { meaning: 'use the project with this ref', replacement: '--remote=<ref>' },
};

/**
 * Flags the CLI accepts but `--help` does not list, by command. Found in the CLI 3.1.0 binary's flag definitions
 * ("Use legacy bundling.") and by running the commands (deprecation warnings).
 */
export function hiddenFlagsOf(command: string): Readonly<Record<string, HiddenFlag>> {
  if (command === 'functions deploy') {
    return {
      ...PROJECT_REF_FLAG,
      '--legacy-bundle': {
        meaning: 'Use legacy bundling',
        effect: 'it bundles the current local code with the older bundler and deploys it',
        misreadAs: /\b(previous|prior|earlier|older|last (good|known)|roll ?back|revert|restore|undo)\b/i,
      },
      '--use-docker': { meaning: 'Use Docker to bundle functions locally', effect: 'it is already the default' },
    };
  }
  if (command === 'gen types')
    return {
      ...DATABASE_TARGET_FLAGS,
      '--project-id': { meaning: 'use the project with this ref', replacement: '--remote=<ref>' },
    };
  const spec = SUPABASE_COMMANDS[command];
  if (spec?.target === 'local-or-remote') return DATABASE_TARGET_FLAGS;
  if (spec?.target === 'remote-only') return PROJECT_REF_FLAG;
  return {};
}

/** Subcommands that runbooks still use but CLI 3.1 does not have, with what to use instead (from its --help). */
export const GONE_COMMANDS: Readonly<Record<string, string>> = {
  'functions logs':
    '`supabase functions logs` is not a command of Supabase CLI 3.1 (`supabase functions` has list, delete, download, deploy, new and serve). ' +
    'Function logs are in the Dashboard (Edge Functions › the function › Logs) or `supabase logs --remote --service functions` ' +
    '(narrow it with `--search <text>`); that viewer does not follow like `--tail`: press L in it to load newer logs.',
  'db remote':
    '`supabase db remote` is gone from Supabase CLI 3.1: its `changes` became `supabase db diff --remote` and its `commit` became `supabase db pull --remote`. ' +
    'For the migrations a hosted database has, use `supabase migration list --remote`; for its health, `supabase inspect db db-stats --remote`.',
};
