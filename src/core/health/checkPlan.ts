// Which checks run against a project, and how often, read from the runbook: one check per Monitoring Endpoints row,
// the database, the Management API and real traffic when their credentials exist. Interval, timeout and retries
// come from the Health Check Frequency row whose name matches the check ("Edge Functions" for /functions/…,
// "Storage", "Database"); a check without a row gets DEFAULT_TIMING, and the setting runbook.health.timing can
// override either by the row's name.
import type { Runbook } from '../model/types';
import type { ExpectedResponse, HealthCheckFrequency, TypedRow } from '../tables/typedTableTypes';
import { quantityMs } from '../tables/quantity';
import type { CheckKind, CheckTimingView } from '../../shared/health/healthView';
import { isHealthFunction, routeFor, type EndpointRoute } from './endpointRoutes';

/** For a check no Health Check Frequency row names: once a minute, 10 s to answer, one retry. */
export const DEFAULT_TIMING = { intervalMs: 60_000, timeoutMs: 10_000, retries: 1 } as const;
/** The Management API allows about 60 requests a minute per user across all tokens: never poll it faster. */
export const MANAGEMENT_API_MIN_INTERVAL_MS = 60_000;

export interface TimingOverride {
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
}

export interface CheckSpec {
  id: string;
  kind: CheckKind;
  name: string;
  timing: CheckTimingView;
  /** For endpoint and health-function checks. */
  endpoint?: { row: string; purpose: string; line: number; route: EndpointRoute; expected: ExpectedResponse };
  /** Monitoring Endpoints rows this check judges because they cannot be probed with a public key (the REST root). */
  standsFor?: Array<{ row: string; purpose: string; line: number; why: string }>;
}

/** A Monitoring Endpoints row that no check probes, and why. */
export interface UnprobedRow {
  row: string;
  line: number;
  why: string;
}

export interface PlanOptions {
  /** The project has a database connection. */
  database: boolean;
  /** A personal access token is set (Management API checks and real traffic). */
  managementApi: boolean;
  /** runbook.health.timing: by Health Check Frequency row name, or "default". */
  overrides?: Readonly<Record<string, TimingOverride>>;
}

/** Words that tie a check to a Health Check Frequency row. */
function rowKeywords(kind: CheckKind, path?: string): RegExp {
  if (kind === 'database') return /database|postgres|\bdb\b/i;
  if (kind === 'managementApi') return /management|platform/i;
  if (kind === 'traffic') return /traffic|logs|edge function/i;
  if (path?.startsWith('/functions/')) return /function/i;
  if (path?.startsWith('/storage/')) return /storage/i;
  if (path?.startsWith('/auth/')) return /\bauth/i;
  if (path?.startsWith('/rest/')) return /\brest\b|database api/i;
  if (path?.startsWith('/realtime/')) return /realtime/i;
  return /(?!)/;
}

export function planChecks(runbook: Runbook, options: PlanOptions): CheckSpec[] {
  const frequency = runbook.typed.healthCheckFrequency?.rows ?? [];
  const timing = (kind: CheckKind, path?: string): CheckTimingView =>
    timingFor(frequency, rowKeywords(kind, path), options.overrides, kind === 'managementApi' || kind === 'traffic');
  const checks: CheckSpec[] = [];
  const byDatabase: NonNullable<CheckSpec['standsFor']> = [];
  for (const row of runbook.typed.monitoringEndpoints?.rows ?? []) {
    const route = routeFor(row.endpoint);
    // Not probed at all: the database check stands for it (or, without a database, nothing does: see unprobedRows).
    if (route.judgedBy === 'database') {
      byDatabase.push({ row: row.endpoint, purpose: row.purpose, line: row.line, why: route.stale ?? '' });
      continue;
    }
    const kind: CheckKind = isHealthFunction(row.endpoint) ? 'healthFunction' : 'endpoint';
    checks.push({
      id: `endpoint:${route.written}`,
      kind,
      name: `${row.purpose} (${route.written})`,
      timing: timing(kind, route.written),
      endpoint: { row: row.endpoint, purpose: row.purpose, line: row.line, route, expected: row.expected },
    });
  }
  if (options.database)
    checks.push({
      id: 'database',
      kind: 'database',
      name: 'Database',
      timing: timing('database'),
      ...(byDatabase.length ? { standsFor: byDatabase } : {}),
    });
  if (options.managementApi) {
    checks.push({
      id: 'managementApi',
      kind: 'managementApi',
      name: 'Supabase services (Management API)',
      timing: timing('managementApi'),
    });
    checks.push({
      id: 'traffic',
      kind: 'traffic',
      name: 'Edge Function traffic (logs)',
      timing: timing('traffic'),
    });
  }
  return checks;
}

/** Rows no check probes: the REST root when the project has no database to judge connectivity by. */
export function unprobedRows(runbook: Runbook, options: Pick<PlanOptions, 'database'>): UnprobedRow[] {
  if (options.database) return [];
  return (runbook.typed.monitoringEndpoints?.rows ?? [])
    .filter((row) => routeFor(row.endpoint).judgedBy === 'database')
    .map((row) => ({
      row: row.endpoint,
      line: row.line,
      why: `\`${row.endpoint}\` is not checked: it answers only privileged keys, and this project has no database connection to check connectivity with.`,
    }));
}

function timingFor(
  rows: ReadonlyArray<HealthCheckFrequency & TypedRow>,
  keywords: RegExp,
  overrides: Readonly<Record<string, TimingOverride>> | undefined,
  rateLimited: boolean,
): CheckTimingView {
  const row = rows.find((r) => keywords.test(r.check));
  let view: CheckTimingView = row
    ? {
        intervalMs: quantityMs(row.interval) ?? DEFAULT_TIMING.intervalMs,
        timeoutMs: quantityMs(row.timeout) ?? DEFAULT_TIMING.timeoutMs,
        retries: row.retries,
        source: `Health Check Frequency: ${row.check}`,
        line: row.line,
      }
    : { ...DEFAULT_TIMING, source: 'default' };
  const override = overrides?.[row?.check ?? 'default'] ?? (row ? undefined : overrides?.default);
  if (override) {
    view = {
      intervalMs: override.intervalSeconds !== undefined ? override.intervalSeconds * 1000 : view.intervalMs,
      timeoutMs: override.timeoutSeconds !== undefined ? override.timeoutSeconds * 1000 : view.timeoutMs,
      retries: override.retries ?? view.retries,
      source: `setting runbook.health.timing, "${row?.check ?? 'default'}"`,
    };
  }
  if (rateLimited && view.intervalMs < MANAGEMENT_API_MIN_INTERVAL_MS)
    view = { ...view, intervalMs: MANAGEMENT_API_MIN_INTERVAL_MS };
  return view;
}
