// Judges the database check: reachable at all (`select 1`), client connections as a share of max_connections by the
// runbook's "Database Connections" row, queries running longer than the runbook's longest Database Query Targets
// alert threshold, and auth failures per minute by its "Auth Failures" row.
import type { CheckDetail, HealthState, JudgingRule } from '../../shared/health/healthView';
import { HEALTH_STATE_ORDER, worstState } from '../../shared/health/healthView';
import type { TypedTables } from '../tables/typedTableTypes';
import { formatMs, quantityMs } from '../tables/quantity';
import { judgeMetric, metricRow } from './metricRules';
import type { AttemptVerdict } from './judgeEndpoint';
import type { PlaybookTopic } from './playbookFinder';

export interface DatabaseObservation {
  latencyMs: number;
  /** Set when the database could not be reached or `select 1` failed. */
  error?: { title: string; message: string; advice?: string; code?: string };
  connections?: { used: number; max: number };
  longRunning?: { count: number; longestMs: number; thresholdMs: number };
  /** Failed sign-ins in auth.audit_log_entries over the window; 'absent' when the table does not exist. */
  authFailures?: { count: number; windowMs: number } | 'absent';
}

/** Without a Database Query Targets table, a query running this long is long-running. */
export const DEFAULT_LONG_QUERY_MS = 60_000;
/** auth.audit_log_entries are counted over this window; "per minute" averages over it. */
export const AUTH_FAILURE_WINDOW_MS = 5 * 60_000;

/** The longest alert threshold of the runbook's Database Query Targets, and its row. */
export function longQueryThreshold(tables: TypedTables): {
  ms: number;
  row?: { queryType: string; line: number; text: string };
} {
  let best: { ms: number; row?: { queryType: string; line: number; text: string } } = { ms: DEFAULT_LONG_QUERY_MS };
  let found = false;
  for (const row of tables.databaseQueryTargets?.rows ?? []) {
    const ms = quantityMs(row.alertThreshold);
    if (ms !== undefined && (!found || ms > best.ms)) {
      best = { ms, row: { queryType: row.queryType, line: row.line, text: row.alertThreshold.text } };
      found = true;
    }
  }
  return best;
}

export function judgeDatabase(tables: TypedTables, observation: DatabaseObservation): AttemptVerdict {
  if (observation.error) {
    const { title, message, advice } = observation.error;
    return {
      state: 'critical',
      passed: false,
      summary: `${title}: ${message}${advice ? ` ${advice}` : ''}`,
      rules: [],
      details: [],
      topic: 'connections',
    };
  }
  const rules: JudgingRule[] = [];
  const details: CheckDetail[] = [{ label: 'round trip', value: formatMs(observation.latencyMs) }];
  const states: HealthState[] = ['healthy'];
  // The playbook follows the worst crossing; at the same level a Critical Metrics row beats the query targets.
  const candidates: Array<{ state: HealthState; topic: PlaybookTopic; priority: number }> = [];

  const connections = observation.connections;
  if (connections && connections.max > 0) {
    const percent = (connections.used / connections.max) * 100;
    const text = `${Math.round(percent)}% (${connections.used} of ${connections.max} connections)`;
    const row = metricRow(tables, 'databaseConnections');
    const verdict = row && judgeMetric(row, { kind: 'percent', value: percent }, text);
    details.push({ label: 'connections', value: text, ...(verdict ? { state: verdict.state } : {}) });
    if (verdict) {
      rules.push(verdict.rule);
      states.push(verdict.state);
      if (verdict.state !== 'healthy') candidates.push({ state: verdict.state, topic: 'connections', priority: 2 });
    }
  }

  const long = observation.longRunning;
  if (long) {
    const threshold = longQueryThreshold(tables);
    if (long.count > 0) {
      const text = `${long.count} running longer than ${formatMs(long.thresholdMs)}, the longest ${formatMs(long.longestMs)}`;
      details.push({ label: 'long-running queries', value: text, state: 'warning' });
      states.push('warning');
      candidates.push({ state: 'warning', topic: 'connections', priority: 1 });
      if (threshold.row)
        rules.push({
          table: 'Database Query Targets',
          row: threshold.row.queryType,
          line: threshold.row.line,
          level: 'warning',
          threshold: threshold.row.text,
          observed: text,
        });
    } else details.push({ label: 'long-running queries', value: `none over ${formatMs(long.thresholdMs)}` });
  }

  const auth = observation.authFailures;
  if (auth === 'absent') details.push({ label: 'auth failures', value: 'auth.audit_log_entries does not exist' });
  else if (auth) {
    const perMinute = (auth.count * 60_000) / auth.windowMs;
    const text = `${formatRate(perMinute)}/min (${auth.count} in ${formatMs(auth.windowMs)})`;
    const row = metricRow(tables, 'authFailures');
    const verdict = row && judgeMetric(row, { kind: 'events', count: auth.count, overMs: auth.windowMs }, text);
    details.push({ label: 'auth failures', value: text, ...(verdict ? { state: verdict.state } : {}) });
    if (verdict) {
      rules.push(verdict.rule);
      states.push(verdict.state);
      if (verdict.state !== 'healthy') candidates.push({ state: verdict.state, topic: 'auth', priority: 2 });
    }
  }

  const state = worstState(states);
  const rank = (s: HealthState) => HEALTH_STATE_ORDER.indexOf(s);
  const topic = candidates.sort((a, b) => rank(b.state) - rank(a.state) || b.priority - a.priority)[0]?.topic;
  const crossed = rules.filter((r) => r.level);
  const summary =
    crossed.length > 0
      ? crossed.map((r) => `${r.row} ${r.observed} (${r.level} ${r.threshold})`).join('; ')
      : `Reachable: select 1 and the checks answered in ${formatMs(observation.latencyMs)}`;
  return { state, passed: true, summary, rules, details, ...(topic ? { topic } : {}) };
}

function formatRate(value: number): string {
  return value >= 10 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(1);
}
