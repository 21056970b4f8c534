// The database check, through the project's existing pool (PgRunner): one read-only round trip that runs `select 1`,
// counts client connections against max_connections, finds queries running longer than the runbook's threshold,
// and tells whether auth.audit_log_entries exists; then, when it does, failed sign-ins over the last minutes.
import type { DatabaseObservation } from '../../core/health/judgeDatabase';
import { AUTH_FAILURE_WINDOW_MS } from '../../core/health/judgeDatabase';
import type { PgRunner, RunOutcome, SqlStatement } from './pgRunner';

const PROBE: SqlStatement[] = [
  { text: 'select 1', values: [] },
  {
    text: `select (select count(*) from pg_catalog.pg_stat_activity where backend_type = 'client backend')::int as used,
  pg_catalog.current_setting('max_connections')::int as max`,
    values: [],
  },
  {
    text: `select count(*)::int as n, coalesce(max(extract(epoch from now() - query_start)) * 1000, 0)::float8 as longest_ms
from pg_catalog.pg_stat_activity
where state not in ('idle', 'idle in transaction') and backend_type = 'client backend' and pid <> pg_catalog.pg_backend_pid()
  and query_start < now() - make_interval(secs => $1::float8 / 1000)`,
    values: [],
  },
  { text: `select pg_catalog.to_regclass('auth.audit_log_entries') is not null as present`, values: [] },
];

// GoTrue records few failures in its audit log; those it does carry such words in their action.
const AUTH_FAILURES = `select count(*)::int as n from auth.audit_log_entries
where created_at > now() - make_interval(secs => $1::float8 / 1000)
  and coalesce(payload ->> 'action', '') ~* '(fail|denied|invalid|reject|error|locked)'`;

export async function observeDatabase(
  runner: PgRunner,
  options: { timeoutMs: number; longQueryMs: number },
): Promise<DatabaseObservation> {
  const statements = PROBE.map((s, i) => (i === 2 ? { ...s, values: [options.longQueryMs] } : s));
  const outcome = await runner.run(statements, { mode: 'read', statementTimeoutMs: options.timeoutMs, maxRows: 10 });
  if (outcome.status !== 'ok') return failed(outcome);
  const [, connections, long, audit] = outcome.results;
  // The round trip of the whole batch: what a client of this database waits for.
  const observation: DatabaseObservation = { latencyMs: outcome.totalMs };
  const c = connections.rows[0];
  if (c) observation.connections = { used: Number(c[0]), max: Number(c[1]) };
  const l = long.rows[0];
  if (l) observation.longRunning = { count: Number(l[0]), longestMs: Number(l[1]), thresholdMs: options.longQueryMs };
  if (audit.rows[0]?.[0] !== true) {
    observation.authFailures = 'absent';
    return observation;
  }
  const auth = await runner.run([{ text: AUTH_FAILURES, values: [AUTH_FAILURE_WINDOW_MS] }], {
    mode: 'read',
    statementTimeoutMs: options.timeoutMs,
    maxRows: 1,
  });
  // No permission to read the audit log is not the database's ill health: that part is left out.
  if (auth.status === 'ok')
    observation.authFailures = { count: Number(auth.results[0].rows[0]?.[0] ?? 0), windowMs: AUTH_FAILURE_WINDOW_MS };
  return observation;
}

function failed(outcome: RunOutcome): DatabaseObservation {
  const error = outcome.error;
  return {
    latencyMs: outcome.totalMs,
    error: {
      title: error?.title ?? 'The database check failed',
      message: error?.message ?? 'No result',
      ...(error?.advice ? { advice: error.advice } : {}),
      ...(error?.code ? { code: error.code } : {}),
    },
  };
}
