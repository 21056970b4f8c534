// Judges traffic over the judgement window by the runbook's "Error Rate", "P95 Latency" and "Edge Function Errors"
// rows: real requests from the Management API's logs when a token is set, otherwise the panel's own probes (which
// the verdict says, since a probe every 30 s is not real traffic).
import type { CheckDetail, HealthState, JudgingRule, Percentiles } from '../../shared/health/healthView';
import { worstState } from '../../shared/health/healthView';
import type { TypedTables } from '../tables/typedTableTypes';
import { formatMs } from '../tables/quantity';
import { countOf } from '../../shared/format/count';
import { judgeMetric, metricRow } from './metricRules';
import type { AttemptVerdict } from './judgeEndpoint';
import type { PlaybookTopic } from './playbookFinder';

/** Error rate, P95 and "per minute" rates are taken over this window. */
export const JUDGEMENT_WINDOW_MS = 5 * 60_000;

export interface FunctionTraffic {
  name: string;
  requests: number;
  errors: number;
  percentiles?: Percentiles;
}

export interface TrafficObservation {
  source: 'logs' | 'probes';
  windowMs: number;
  requests: number;
  /** Requests answered 5xx (logs) or probes that failed. */
  errors: number;
  percentiles?: Percentiles;
  byFunction?: FunctionTraffic[];
  /** The logs could not be read: one sentence. */
  error?: string;
}

export const PROBES_NOTE =
  'Error rate and P95 come from the health checks’ own probes over the last 5 minutes, not from real traffic: with a personal access token they are judged on real requests from the project’s logs.';
export const LOGS_NOTE =
  'Error rate, P95 and function errors come from the project’s Edge Function logs (Management API).';

export function judgeTraffic(tables: TypedTables, observation: TrafficObservation): AttemptVerdict {
  if (observation.error) return { state: 'unknown', passed: false, summary: observation.error, rules: [], details: [] };
  const from = observation.source === 'logs' ? 'requests' : 'probes';
  const details: CheckDetail[] = [
    { label: from, value: `${observation.requests} in ${formatMs(observation.windowMs)}` },
    { label: 'errors', value: String(observation.errors) },
  ];
  if (observation.requests === 0)
    return {
      state: 'healthy',
      passed: true,
      summary: `No ${from} in the last ${formatMs(observation.windowMs)}`,
      rules: [],
      details,
    };

  const rules: JudgingRule[] = [];
  const states: HealthState[] = ['healthy'];
  let topic: PlaybookTopic | undefined;
  const take = (verdict: ReturnType<typeof judgeMetric>, rowTopic: PlaybookTopic) => {
    if (!verdict) return;
    rules.push(verdict.rule);
    states.push(verdict.state);
    if (verdict.state !== 'healthy') topic ??= rowTopic;
  };

  // Errors of real traffic point at the function that fails most: content generation has a playbook of its own.
  const worst = [...(observation.byFunction ?? [])].sort((a, b) => b.errors - a.errors)[0];
  const errorTopic: PlaybookTopic = worst?.errors && /generat/i.test(worst.name) ? 'generation' : 'functions';
  const percent = (observation.errors / observation.requests) * 100;
  const errorRow = metricRow(tables, 'errorRate');
  if (errorRow)
    take(
      judgeMetric(
        errorRow,
        { kind: 'percent', value: percent },
        `${percent.toFixed(percent < 10 ? 1 : 0)}% (${observation.errors} of ${observation.requests} ${from})`,
      ),
      errorTopic,
    );

  const p = observation.percentiles;
  if (p) {
    details.push({ label: 'p50 / p95 / p99', value: `${formatMs(p.p50)} / ${formatMs(p.p95)} / ${formatMs(p.p99)}` });
    const latencyRow = metricRow(tables, 'p95Latency');
    if (latencyRow)
      take(
        judgeMetric(latencyRow, { kind: 'duration', ms: p.p95 }, `p95 ${formatMs(p.p95)} over ${p.samples} ${from}`),
        'latency',
      );
  }

  if (observation.source === 'logs') {
    const functionRow = metricRow(tables, 'edgeFunctionErrors');
    if (functionRow)
      take(
        judgeMetric(
          functionRow,
          { kind: 'events', count: observation.errors, overMs: observation.windowMs },
          `${((observation.errors * 60_000) / observation.windowMs).toFixed(1)}/min (${observation.errors} in ${formatMs(observation.windowMs)}${worst?.errors ? `, most from ${worst.name}` : ''})`,
        ),
        errorTopic,
      );
    for (const fn of observation.byFunction ?? [])
      if (fn.errors > 0)
        details.push({ label: fn.name, value: `${fn.errors} errors of ${fn.requests}`, state: 'warning' });
  }

  const state = worstState(states);
  const crossed = rules.filter((r) => r.level);
  const summary = crossed.length
    ? crossed.map((r) => `${r.row} ${r.observed} (${r.level} ${r.threshold})`).join('; ')
    : `${countOf(observation.errors, 'error')} in ${observation.requests} ${from}${p ? `, p95 ${formatMs(p.p95)}` : ''}`;
  return { state, passed: true, summary, rules, details, ...(topic ? { topic } : {}) };
}
