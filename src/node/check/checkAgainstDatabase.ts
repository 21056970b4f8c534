// Runs a runbook's read-only SQL against a real database, each statement in a READ ONLY transaction that is
// rolled back, so a team can run it in CI against staging and learn when the runbook went stale, and what to do
// about it. "Read-only" is judged as the SQL lens judges it: PostgreSQL's parser, then this database's catalog
// (a VOLATILE function not known to be harmless, a function of the team's that takes SQL text, a view that calls
// one), so `check --db` never runs what the lens would have asked about.
import type { Runbook } from '../../core/model/types';
import { notRunReason, planSqlChecks, type SkippedCheck } from '../../core/check/sqlCheckPlan';
import { loadPostgresParser } from '../sql/postgresParser';
import { isCatalogLookupError } from '../pg/functionCatalog';
import { judgeWithCatalog } from '../pg/judgeWithCatalog';
import { PgRunner, type PgConnectionSettings, type RunError } from '../pg/pgRunner';
import type { SqlRisk } from '../../core/sql/sqlRisk';

export interface SqlCheckFailure {
  line: number;
  label: string;
  message: string;
  code?: string;
  hint?: string;
  /** What to do about it, e.g. "mean_time is now mean_exec_time". */
  advice?: string;
}

export interface SqlCheckReport {
  ran: number;
  passed: number;
  failures: SqlCheckFailure[];
  skipped: SkippedCheck[];
  /** A connection problem stops the check before any statement runs. */
  connectionError?: string;
}

export async function checkAgainstDatabase(
  runbook: Runbook,
  connection: PgConnectionSettings,
  params: ReadonlyMap<string, string>,
  statementTimeoutMs = 15_000,
): Promise<SqlCheckReport> {
  const parser = await loadPostgresParser();
  const planned = planSqlChecks(runbook, params, parser);
  const report: SqlCheckReport = {
    ran: 0,
    passed: 0,
    failures: planned.rejected.map(({ line, label, message }) => ({ line, label, message })),
    skipped: planned.skipped,
  };
  const runner = new PgRunner({
    connection: { applicationName: 'runbook-companion-check', ...connection },
    poolSize: 1,
  });
  try {
    let checks;
    try {
      checks = await judgeWithCatalog(
        planned.checks.map((check) => ({ ...check, risk: 'read' as SqlRisk, reason: undefined as string | undefined })),
        runner.functionCatalog,
      );
    } catch (error) {
      if (!isCatalogLookupError(error)) throw error;
      report.connectionError = describe(error.error);
      return report;
    }
    for (const check of checks) {
      if (check.risk !== 'read') {
        report.skipped.push({ line: check.line, reason: notRunReason(check.risk, check.reason) });
        continue;
      }
      const outcome = await runner.run([{ text: check.text, values: check.values, line: check.line }], {
        mode: 'read',
        statementTimeoutMs,
        maxRows: 1,
      });
      if (outcome.error && isConnectionProblem(outcome.error.kind)) {
        report.connectionError = describe(outcome.error);
        return report;
      }
      report.ran++;
      if (outcome.status === 'ok') report.passed++;
      else {
        const failure: SqlCheckFailure = {
          line: check.line,
          label: check.label,
          message: outcome.error?.message ?? 'failed',
        };
        if (outcome.error?.code) failure.code = outcome.error.code;
        if (outcome.error?.hint) failure.hint = outcome.error.hint;
        if (outcome.error?.advice) failure.advice = outcome.error.advice;
        report.failures.push(failure);
      }
    }
    report.skipped.sort((a, b) => a.line - b.line);
    report.failures.sort((a, b) => a.line - b.line);
    return report;
  } finally {
    await runner.dispose();
  }
}

function describe(error: RunError): string {
  return `${error.title}: ${error.message}${error.advice ? ` ${error.advice}` : ''}`;
}

function isConnectionProblem(kind: string): boolean {
  return ['refused', 'unknown-host', 'auth', 'tls-required', 'tls-rejected', 'timeout', 'terminated'].includes(kind);
}

/** postgres://user:password@host:port/db?sslmode=… → connection settings; the password may also come from PGPASSWORD. */
export function connectionFromUrl(url: string, env: NodeJS.ProcessEnv = process.env): PgConnectionSettings {
  const u = new URL(url);
  if (!/^postgres(ql)?:$/.test(u.protocol)) throw new Error(`--db wants a postgres:// URL, not ${u.protocol}`);
  const sslmode = (u.searchParams.get('sslmode') ??
    env.PGSSLMODE ??
    (['localhost', '127.0.0.1', '::1'].includes(u.hostname)
      ? 'disable'
      : 'require')) as PgConnectionSettings['sslmode'];
  if (!['disable', 'prefer', 'require', 'verify-ca', 'verify-full'].includes(sslmode))
    throw new Error(`unknown sslmode "${sslmode}"`);
  const settings: PgConnectionSettings = {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: u.port ? Number(u.port) : 5432,
    database: decodeURIComponent(u.pathname.replace(/^\//, '')) || 'postgres',
    user: decodeURIComponent(u.username) || env.PGUSER || 'postgres',
    password: u.password ? decodeURIComponent(u.password) : (env.PGPASSWORD ?? ''),
    sslmode,
  };
  const ca = u.searchParams.get('sslrootcert');
  if (ca) settings.caFile = ca;
  return settings;
}
