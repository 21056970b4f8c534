// Judges a measurement by the runbook's Critical Metrics Dashboard: the row is found by its metric's name, the
// measurement is put in the unit of each threshold ("> 80% pool", "> 10/min", "3+ in 5min", "Any"), and the verdict
// names the row, the threshold crossed, its Action and what was measured. Nothing here is hard-coded but the words
// that find a row.
import type { CriticalMetric, TypedRow, TypedTables } from '../tables/typedTableTypes';
import { crosses, type Quantity } from '../tables/quantity';
import type { HealthState, JudgingRule } from '../../shared/health/healthView';

export type MetricKind =
  'errorRate' | 'p95Latency' | 'circuitBreakerOpens' | 'authFailures' | 'databaseConnections' | 'edgeFunctionErrors';

// Checked in this order, so "Edge Function Errors" is not taken for "Error Rate".
const METRIC_NAMES: Array<[MetricKind, RegExp]> = [
  ['edgeFunctionErrors', /function.*(error|fail)/i],
  ['errorRate', /error[ -]?rate|errors?\s*%/i],
  ['p95Latency', /\bp9\d\b|latency/i],
  ['circuitBreakerOpens', /circuit/i],
  ['authFailures', /\b(auth\w*|log[ -]?in|sign[ -]?in)\b.*(fail|error)/i],
  ['databaseConnections', /connection/i],
];

export const CRITICAL_METRICS_TABLE = 'Critical Metrics Dashboard';

/** The row of the Critical Metrics Dashboard for a metric, or undefined when the runbook has none. */
export function metricRow(tables: TypedTables, kind: MetricKind): (CriticalMetric & TypedRow) | undefined {
  return tables.criticalMetrics?.rows.find(
    (row) => METRIC_NAMES.find(([, name]) => name.test(row.metric))?.[0] === kind,
  );
}

/** A measurement, in whatever unit it was taken. */
export type Observation =
  | { kind: 'percent'; value: number }
  | { kind: 'duration'; ms: number }
  /** Events counted over a window. */
  | { kind: 'events'; count: number; overMs: number };

/** The observation in a threshold's unit, or undefined when the two cannot be compared. */
export function inUnitOf(threshold: Quantity, observed: Observation): number | undefined {
  const m = threshold.measure;
  switch (m.kind) {
    case 'percent':
      return observed.kind === 'percent' ? observed.value : undefined;
    case 'duration':
      return observed.kind === 'duration' ? observed.ms : undefined;
    case 'rate':
      return observed.kind === 'events' && observed.overMs > 0
        ? (observed.count * m.perMs) / observed.overMs
        : undefined;
    case 'count':
    case 'any':
      return observed.kind === 'events' ? observed.count : undefined;
    default:
      return undefined;
  }
}

export interface MetricVerdict {
  state: Extract<HealthState, 'healthy' | 'warning' | 'critical'>;
  rule: JudgingRule;
}

/**
 * Critical when the critical threshold is crossed, else Warning when the warning one is, else Healthy. The rule
 * always names the row; `observedText` is how the measurement reads ("87% of 100 connections").
 */
export function judgeMetric(
  row: CriticalMetric & TypedRow,
  observed: Observation,
  observedText: string,
): MetricVerdict | undefined {
  const critical = inUnitOf(row.critical, observed);
  const warning = inUnitOf(row.warning, observed);
  if (critical === undefined && warning === undefined) return undefined;
  const base = { table: CRITICAL_METRICS_TABLE, row: row.metric, line: row.line, observed: observedText };
  if (critical !== undefined && crosses(critical, row.critical))
    return {
      state: 'critical',
      rule: { ...base, level: 'critical', threshold: row.critical.text, action: row.action },
    };
  if (warning !== undefined && crosses(warning, row.warning))
    return { state: 'warning', rule: { ...base, level: 'warning', threshold: row.warning.text, action: row.action } };
  return {
    state: 'healthy',
    rule: { ...base, threshold: `warning ${row.warning.text}, critical ${row.critical.text}` },
  };
}

/** The window a count-within threshold speaks of ("3+ in 5min": 5 minutes), else `fallbackMs`. */
export function windowOf(row: CriticalMetric, fallbackMs: number): number {
  const within = [row.critical.measure, row.warning.measure]
    .map((m) => (m.kind === 'count' ? m.withinMs : undefined))
    .find((ms) => ms !== undefined);
  return within ?? fallbackMs;
}
