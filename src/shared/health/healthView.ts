// What the health checks report, as plain data: the panel renders it, the CLI prints it as JSON, the status bar
// and deploy read it. No key, token or password is ever part of it.

/** Worst last: see HEALTH_STATE_ORDER. */
export type HealthState = 'healthy' | 'maintenance' | 'unknown' | 'warning' | 'critical';

/** From best to worst: a project's state is the worst of its checks'. */
export const HEALTH_STATE_ORDER: readonly HealthState[] = ['healthy', 'maintenance', 'unknown', 'warning', 'critical'];

export const HEALTH_STATE_LABELS: Record<HealthState, string> = {
  healthy: 'Healthy',
  maintenance: 'Maintenance',
  unknown: 'Unknown',
  warning: 'Warning',
  critical: 'Critical',
};

/** The runbook row that produced a verdict, with what crossed it. */
export interface JudgingRule {
  /** "Critical Metrics Dashboard", "Monitoring Endpoints", "Health Check Frequency". */
  table: string;
  /** The row's first cell: "P95 Latency", "/auth/v1/health". */
  row: string;
  /** 0-based line of the row in the runbook; absent for a rule that is not the runbook's (the Management API's). */
  line?: number;
  /** Which threshold of the row was crossed, when it has two. */
  level?: 'warning' | 'critical';
  /** The threshold as written: "> 2000ms", "3+ in 5min", "200 OK". */
  threshold?: string;
  /** The row's Action text, for Warning and Critical. */
  action?: string;
  /** What was measured: "2340 ms", "87% of 100 connections", "503". */
  observed?: string;
}

export interface CheckDetail {
  label: string;
  value: string;
  state?: HealthState;
}

/** The playbook that handles a verdict, found in the runbook by its title and symptoms. */
export interface PlaybookLink {
  name: string;
  /** 0-based line of the playbook's heading. */
  line: number;
  /** Index in runbook.snippets of the playbook's first SQL diagnosis snippet, when it has one. */
  diagnosisSnippetIndex?: number;
}

export type CheckKind = 'endpoint' | 'healthFunction' | 'database' | 'managementApi' | 'traffic';

export interface CheckTimingView {
  intervalMs: number;
  timeoutMs: number;
  retries: number;
  /** Where the timing comes from: "Health Check Frequency: Edge Functions", "default", "setting". */
  source: string;
  /** 0-based line of the Health Check Frequency row, when it comes from one. */
  line?: number;
}

export interface CheckView {
  id: string;
  kind: CheckKind;
  name: string;
  state: HealthState;
  /** One line: "200 OK in 42 ms", "503 Service Unavailable after 3 attempts". */
  summary: string;
  latencyMs?: number;
  /** Epoch ms of the last finished poll. */
  lastCheckedAt?: number;
  /** Epoch ms since when the check has had its state. */
  since?: number;
  /** The last poll failed at first and passed on a retry: never shown as a clean pass. */
  passedAfterRetry?: boolean;
  attempts?: number;
  /** Clean passes seen since a failure, and how many recovery needs. */
  recovering?: { passes: number; needed: number };
  /** The route probed when the runbook's cannot work as written. */
  route?: { written: string; probed: string; why: string };
  rules: JudgingRule[];
  details: CheckDetail[];
  playbook?: PlaybookLink;
  timing: CheckTimingView;
}

export interface LatencyPoint {
  /** Epoch ms. */
  t: number;
  /** null for a failed probe. */
  ms: number | null;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  samples: number;
}

export interface TargetView {
  endpoint: string;
  line: number;
  p50: string;
  p95: string;
  p99: string;
  /** Measured over the window, when real traffic or probes reached this endpoint. */
  measured?: Percentiles;
  /** Which targets the measurement exceeds: "p95", … */
  over: Array<'p50' | 'p95' | 'p99'>;
}

export interface ProjectHealthView {
  project: string;
  /** As the user reads it everywhere: "production", "staging (production)". */
  label: string;
  /** The API URL the checks reach. */
  apiUrl?: string;
  ref?: string;
  production: boolean;
  state: HealthState;
  checks: CheckView[];
  /** Probe latencies of the last hour, oldest first. */
  sparkline: LatencyPoint[];
  /** Over the window of the judgement: from the Management API's logs, or from the panel's own probes. */
  percentiles?: Percentiles & { source: 'logs' | 'probes'; windowMs: number };
  targets: TargetView[];
  /** Where error rate and P95 come from, said plainly. */
  trafficNote: string;
  /** Why the project is in maintenance (its status from the Management API). */
  maintenance?: string;
  /** How the project's key was found: never the key itself. */
  keySource?: string;
  /** The runbook the checks and thresholds come from. */
  runbook?: string;
  /** Problems of the setup the user can fix (no key, no database), each one sentence. */
  notes: string[];
}

export function worstState(states: Iterable<HealthState>): HealthState {
  let worst: HealthState = 'healthy';
  for (const state of states) if (HEALTH_STATE_ORDER.indexOf(state) > HEALTH_STATE_ORDER.indexOf(worst)) worst = state;
  return worst;
}
