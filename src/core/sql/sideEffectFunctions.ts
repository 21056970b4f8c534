// What known functions do when called, whatever statement they sit in, so the confirmation can tell the user
// in words ("ends or cancels the work of another session"). A READ ONLY transaction does not stop most of them:
// they act on other sessions, the server, files, other connections (dblink) or the outside world (HTTP), and a
// rollback undoes none of that. This list gives reasons and a verdict where no catalog is at hand; it is never
// the whole story: before a run, every function a statement calls is looked up in the server's pg_proc, and any
// VOLATILE one that is not known to be harmless asks first too (catalogVerdict.ts).
import type { SqlRisk } from './sqlRisk';

export interface FunctionEffect {
  risk: Exclude<SqlRisk, 'read' | 'schema'>;
  /** Completes "calls f(), which …". */
  effect: string;
}

interface Family extends FunctionEffect {
  /** Bare names, matched whatever the schema (`net.http_get` and `extensions.http_get` alike). */
  names?: readonly string[];
  prefixes?: readonly string[];
  /** `schema.name`, for names too common to match bare (`cron.schedule`). */
  qualified?: readonly string[];
}

const FAMILIES: readonly Family[] = [
  {
    risk: 'admin',
    effect: 'ends or cancels the work of another session',
    names: ['pg_terminate_backend', 'pg_cancel_backend'],
  },
  {
    risk: 'admin',
    effect: 'changes a session setting, such as the role or whether the transaction may write',
    names: ['set_config'],
  },
  {
    risk: 'admin',
    effect: 'acts on the server itself (its configuration, logs, WAL, backups or role as primary)',
    names: [
      'pg_reload_conf',
      'pg_rotate_logfile',
      'pg_switch_wal',
      'pg_switch_xlog',
      'pg_create_restore_point',
      'pg_promote',
      'pg_wal_replay_pause',
      'pg_wal_replay_resume',
      'pg_xlog_replay_pause',
      'pg_xlog_replay_resume',
      'pg_backup_start',
      'pg_backup_stop',
      'pg_start_backup',
      'pg_stop_backup',
      'pg_log_backend_memory_contexts',
      'pg_log_standby_snapshot',
      'pg_import_system_collations',
    ],
  },
  {
    risk: 'admin',
    effect: 'reads or writes files on the database server',
    names: [
      'lo_import',
      'lo_export',
      'pg_read_file',
      'pg_read_binary_file',
      'pg_ls_dir',
      'pg_stat_file',
      'pg_ls_logdir',
      'pg_ls_waldir',
      'pg_ls_tmpdir',
      'pg_ls_archive_statusdir',
      'pg_ls_logicalmapdir',
      'pg_ls_logicalsnapdir',
      'pg_ls_replslotdir',
      'pg_file_write',
      'pg_file_rename',
      'pg_file_unlink',
      'pg_file_sync',
      'pg_logdir_ls',
    ],
  },
  {
    risk: 'admin',
    effect: 'changes replication state',
    names: [
      'pg_create_physical_replication_slot',
      'pg_create_logical_replication_slot',
      'pg_drop_replication_slot',
      'pg_copy_physical_replication_slot',
      'pg_copy_logical_replication_slot',
      'pg_replication_slot_advance',
      'pg_sync_replication_slots',
      'pg_logical_emit_message',
      // These consume what they read: the slot moves on and the changes are gone for its real consumer.
      'pg_logical_slot_get_changes',
      'pg_logical_slot_get_binary_changes',
    ],
    prefixes: ['pg_replication_origin_'],
  },
  { risk: 'admin', effect: 'releases advisory locks that other work may rely on', prefixes: ['pg_advisory_unlock'] },
  {
    risk: 'admin',
    effect: 'takes an advisory lock that blocks other sessions until the transaction ends',
    prefixes: ['pg_advisory_xact_lock', 'pg_try_advisory_xact_lock'],
  },
  {
    risk: 'admin',
    effect:
      'takes a session-level advisory lock, which outlives the transaction and blocks other sessions until it is released',
    prefixes: ['pg_advisory_lock', 'pg_try_advisory_lock'],
  },
  {
    risk: 'admin',
    effect:
      'runs SQL over another connection (dblink), outside this transaction: READ ONLY does not stop it and a rollback does not undo it',
    prefixes: ['dblink'],
  },
  {
    risk: 'admin',
    effect:
      'sends an HTTP request from the database server (pgsql-http, pg_net): an effect outside the database that no rollback undoes',
    names: ['http', 'http_get', 'http_post', 'http_put', 'http_patch', 'http_delete', 'http_head', 'http_request'],
  },
  {
    risk: 'admin',
    effect: 'resets statistics that monitoring relies on',
    prefixes: ['pg_stat_reset', 'pg_stat_statements_reset'],
  },
  {
    risk: 'admin',
    effect: 'changes the jobs pg_cron runs',
    qualified: ['cron.schedule', 'cron.schedule_in_database', 'cron.unschedule', 'cron.alter_job'],
  },
  {
    risk: 'admin',
    effect: 'builds SQL from its arguments and runs it, so what it runs cannot be judged here',
    names: ['connectby', 'xpath_table'],
  },
  {
    risk: 'admin',
    effect: 'changes table data directly on disk, bypassing every check (pg_surgery); a rollback does not undo it',
    names: ['heap_force_kill', 'heap_force_freeze'],
  },
  {
    risk: 'write',
    effect: 'rewrites index or table maintenance data, which a read-only transaction does not stop',
    names: [
      'brin_summarize_new_values',
      'brin_summarize_range',
      'brin_desummarize_range',
      'gin_clean_pending_list',
      'pg_truncate_visibility_map',
    ],
  },
  {
    risk: 'write',
    effect: 'rewrites the planner statistics other queries rely on',
    names: [
      'pg_clear_relation_stats',
      'pg_restore_relation_stats',
      'pg_clear_attribute_stats',
      'pg_restore_attribute_stats',
    ],
  },
  { risk: 'write', effect: 'sends a notification to every session listening on the channel', names: ['pg_notify'] },
  {
    risk: 'write',
    effect: 'changes data',
    names: [
      'nextval',
      'setval',
      'lo_create',
      'lo_creat',
      'lo_from_bytea',
      'lo_put',
      'lo_truncate',
      'lo_truncate64',
      'lowrite',
      'lo_unlink',
    ],
  },
  {
    risk: 'write',
    effect: 'changes the secrets kept in Supabase Vault',
    qualified: ['vault.create_secret', 'vault.update_secret'],
  },
  { risk: 'write', effect: 'runs a GraphQL operation, which may be a mutation', qualified: ['graphql.resolve'] },
  {
    risk: 'write',
    effect: 'changes a message queue',
    qualified: [
      'pgmq.send',
      'pgmq.send_batch',
      'pgmq.read',
      'pgmq.read_with_poll',
      'pgmq.pop',
      'pgmq.archive',
      'pgmq.delete',
      'pgmq.purge_queue',
      'pgmq.set_vt',
      'pgmq.create',
      'pgmq.drop_queue',
    ],
  },
];

/** The effect of calling `name` (lower case; `schema` when the call is qualified), or undefined when it only reads. */
export function functionEffect(name: string, schema?: string): FunctionEffect | undefined {
  const qualified = schema ? `${schema}.${name}` : undefined;
  for (const family of FAMILIES) {
    if (
      family.names?.includes(name) ||
      family.prefixes?.some((prefix) => name.startsWith(prefix)) ||
      (qualified && family.qualified?.includes(qualified))
    ) {
      return { risk: family.risk, effect: family.effect };
    }
  }
  return undefined;
}

/**
 * Functions that run a query given to them as text: which of their arguments (0-based) hold it, for calls with how
 * many arguments (ts_rewrite runs SQL only in its two-argument form). Their risk is that of the inner query when it
 * is written out as a literal; any other query text (a parameter, an expression) is assumed the worst.
 */
const QUERY_RUNNERS: ReadonlyMap<string, { queryArguments: readonly number[]; argumentCounts?: readonly number[] }> =
  new Map([
    ['query_to_xml', { queryArguments: [0] }],
    ['query_to_xmlschema', { queryArguments: [0] }],
    ['query_to_xml_and_xmlschema', { queryArguments: [0] }],
    ['ts_stat', { queryArguments: [0] }],
    ['ts_rewrite', { queryArguments: [1], argumentCounts: [2] }],
    ['crosstab', { queryArguments: [0, 1] }],
    ['crosstab2', { queryArguments: [0] }],
    ['crosstab3', { queryArguments: [0] }],
    ['crosstab4', { queryArguments: [0] }],
  ]);

/** Functions that run the query of a cursor opened elsewhere, which no check here can see. */
const CURSOR_RUNNERS = new Set(['cursor_to_xml', 'cursor_to_xmlschema']);

/** Which arguments of a call of `name` with `argumentCount` arguments are query text it runs; undefined when none. */
export function queryTextArguments(name: string, argumentCount?: number): readonly number[] | undefined {
  const runner = QUERY_RUNNERS.get(name);
  if (!runner) return undefined;
  if (runner.argumentCounts && argumentCount !== undefined && !runner.argumentCounts.includes(argumentCount))
    return undefined;
  return runner.queryArguments;
}

export function runsCursorQuery(name: string): boolean {
  return CURSOR_RUNNERS.has(name);
}
