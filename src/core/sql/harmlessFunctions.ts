// The short list of VOLATILE functions a read may call without asking. Postgres marks a function VOLATILE when
// its result can change within a statement, which includes everything that changes anything; most VOLATILE
// functions in a diagnosis query are harmless, though, and asking about each would teach users to click through
// the question. Only functions of PostgreSQL itself (schema pg_catalog) or of a named extension count, never a
// function of the same name elsewhere.

/** pg_catalog functions that only read the clock, randomness, sizes, locks or replication state, or wait. */
const HARMLESS_IN_PG_CATALOG = new Set([
  // time, randomness, identifiers
  'clock_timestamp',
  'timeofday',
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  // waiting (a statement timeout bounds it)
  'pg_sleep',
  'pg_sleep_for',
  'pg_sleep_until',
  // sizes, as the runbooks' table-size queries use them
  'pg_total_relation_size',
  'pg_relation_size',
  'pg_table_size',
  'pg_indexes_size',
  'pg_database_size',
  'pg_tablespace_size',
  // locks and who blocks whom
  'pg_lock_status',
  'pg_blocking_pids',
  'pg_safe_snapshot_blocking_pids',
  // replication and recovery state
  'pg_is_in_recovery',
  'pg_current_wal_lsn',
  'pg_current_wal_insert_lsn',
  'pg_current_wal_flush_lsn',
  'pg_last_wal_receive_lsn',
  'pg_last_wal_replay_lsn',
  'pg_last_xact_replay_timestamp',
]);

/** Extensions' functions that only read statistics, whatever schema the extension was installed in. */
const HARMLESS_IN_EXTENSIONS: Readonly<Record<string, readonly string[]>> = {
  pg_stat_statements: ['pg_stat_statements', 'pg_stat_statements_info'],
};

export function isHarmlessFunction(fn: { schema: string; name: string; extension?: string }): boolean {
  if (fn.schema === 'pg_catalog' && HARMLESS_IN_PG_CATALOG.has(fn.name)) return true;
  return fn.extension !== undefined && (HARMLESS_IN_EXTENSIONS[fn.extension]?.includes(fn.name) ?? false);
}
