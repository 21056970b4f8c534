// One project's health over time: each check's damped state (see flapping.ts), the probe samples of the last hour,
// circuit breaker opens, maintenance, the playbook of every Warning and Critical, and the view the panel, the status
// bar and the CLI show. Pure: polls are handed in with their times, so tests and the benchmark run on any clock.
import type { Runbook } from '../model/types';
import {
  type CheckView,
  type HealthState,
  type JudgingRule,
  type ProjectHealthView,
  type TargetView,
  worstState,
} from '../../shared/health/healthView';
import { quantityMs } from '../tables/quantity';
import type { CheckSpec } from './checkPlan';
import { DampedState, RECOVERY_PASSES, type StateChange } from './flapping';
import { healthDetails, type AttemptVerdict } from './judgeEndpoint';
import { judgeTraffic, JUDGEMENT_WINDOW_MS, LOGS_NOTE, PROBES_NOTE, type TrafficObservation } from './judgeTraffic';
import { maintenanceOf } from './judgeManagementApi';
import { CircuitBreakerCounter } from './circuitBreakerCounter';
import { judgeMetric, metricRow, windowOf } from './metricRules';
import { findPlaybook } from './playbookFinder';
import { SlidingWindow } from './slidingWindow';

/** The sparkline's span. */
export const SPARKLINE_MS = 3_600_000;
/** Samples kept per project, whatever the span: memory stays flat with many fast checks. */
const WINDOW_CAPACITY = 2048;
/** A healthy probe-derived error rate and P95 are judged again at most this often (see trafficDue). */
export const TRAFFIC_REJUDGE_MS = 15_000;
/** The id of the probe-derived traffic check, which has no poll of its own. */
export const PROBE_TRAFFIC_ID = 'traffic';

export interface AttemptRecord {
  /** Epoch ms. */
  t: number;
  /** null when no answer came. */
  latencyMs: number | null;
  /** The answer was what the runbook expects (a failed attempt is retried). */
  passed: boolean;
  /** No answer, or a server error (5xx): an error for the error rate, unlike a 200 saying "degraded". */
  failedRequest: boolean;
}

export interface PollRecord {
  verdict: AttemptVerdict;
  /** Every attempt of the poll, the first one first. */
  attempts: AttemptRecord[];
  finishedAt: number;
  /** Real traffic read from the logs (the traffic check with a token). */
  traffic?: TrafficObservation;
}

export interface CheckStateChange extends StateChange {
  checkId: string;
  checkName: string;
  at: number;
  view: CheckView;
}

export interface PollEffects {
  changes: CheckStateChange[];
  project?: StateChange;
}

export interface ProjectIdentity {
  project: string;
  label: string;
  apiUrl?: string;
  ref?: string;
  production: boolean;
}

interface CheckEntry {
  spec: CheckSpec;
  damped: DampedState;
  verdict?: AttemptVerdict;
  lastCheckedAt?: number;
  since?: number;
  attempts?: number;
  passedAfterRetry?: boolean;
  latencyMs?: number;
}

export class ProjectHealth {
  private readonly entries = new Map<string, CheckEntry>();
  private readonly samples = new SlidingWindow(SPARKLINE_MS, WINDOW_CAPACITY);
  private readonly breakers = new CircuitBreakerCounter();
  private maintenance: string | undefined;
  private lastTraffic: TrafficObservation | undefined;
  private projectState: HealthState | undefined;
  /** The breaker rule as judged with none open, kept while that lasts. */
  private quietBreakers: { row: object; rule: JudgingRule } | undefined;
  /** Shown with the view: how the key was found, the runbook's name, problems of the setup. */
  keySource: string | undefined = undefined;
  notes: string[] = [];

  constructor(
    readonly identity: ProjectIdentity,
    private runbook: Runbook,
    private readonly runbookName: string | undefined,
    checks: readonly CheckSpec[],
    recoveryPasses = RECOVERY_PASSES,
  ) {
    for (const spec of checks) this.entries.set(spec.id, { spec, damped: new DampedState(recoveryPasses) });
    const viaLogs = checks.some((c) => c.kind === 'traffic');
    const probes = checks.some((c) => c.kind === 'endpoint' || c.kind === 'healthFunction');
    if (!viaLogs && probes) {
      const spec: CheckSpec = {
        id: PROBE_TRAFFIC_ID,
        kind: 'traffic',
        name: 'Error rate and P95 latency (from the probes)',
        timing: { intervalMs: 0, timeoutMs: 0, retries: 0, source: 'judged after a failed probe, else every 15 s' },
      };
      this.entries.set(spec.id, { spec, damped: new DampedState(recoveryPasses) });
    }
  }

  get checks(): CheckSpec[] {
    return [...this.entries.values()].map((e) => e.spec);
  }

  /** Checks that poll on their own (the probe-derived traffic check follows the probes). */
  get polledChecks(): CheckSpec[] {
    return this.checks.filter((c) => c.timing.intervalMs > 0);
  }

  /** A runbook edit that leaves the plan as it was: rules and playbooks are read from the new one. */
  useRunbook(runbook: Runbook): void {
    this.runbook = runbook;
  }

  record(checkId: string, poll: PollRecord): PollEffects {
    const entry = this.entries.get(checkId);
    if (!entry) return { changes: [] };
    const now = poll.finishedAt;
    let verdict = poll.verdict;
    const isProbe = entry.spec.kind === 'endpoint' || entry.spec.kind === 'healthFunction';
    if (isProbe) for (const a of poll.attempts) this.samples.add({ t: a.t, ms: a.latencyMs, ok: !a.failedRequest });
    if (verdict.healthBody) verdict = this.withBreakers(verdict, now);
    if (entry.spec.kind === 'managementApi') this.maintenance = maintenanceOf(projectStatusOf(verdict));
    if (poll.traffic) this.lastTraffic = poll.traffic;

    const changes: CheckStateChange[] = [];
    const change = this.apply(entry, verdict, poll.attempts, now);
    if (change) changes.push(change);
    const derived = this.entries.get(PROBE_TRAFFIC_ID);
    if (isProbe && derived && derived.spec.timing.intervalMs === 0 && this.trafficDue(derived, poll, now)) {
      const traffic = this.probeTraffic(now);
      const trafficChange = this.apply(derived, judgeTraffic(this.runbook.typed, traffic), [], now);
      this.lastTraffic = traffic;
      if (trafficChange) changes.push(trafficChange);
    }
    const effects: PollEffects = { changes };
    if (changes.length === 0) return effects;
    const projectState = this.state;
    if (projectState !== this.projectState) {
      effects.project = { from: this.projectState, to: projectState };
      this.projectState = projectState;
    }
    return effects;
  }

  /** Worst over the checks that have a state; Unknown before any has. */
  get state(): HealthState {
    const states = [...this.entries.values()].map((e) => e.damped.state).filter((s): s is HealthState => !!s);
    return states.length ? worstState(states) : 'unknown';
  }

  view(now: number): ProjectHealthView {
    const checks = [...this.entries.values()].map((e) => this.checkView(e));
    const logs = this.lastTraffic?.source === 'logs' ? this.lastTraffic : undefined;
    const windowStart = now - JUDGEMENT_WINDOW_MS;
    const probePercentiles = this.samples.percentiles(windowStart);
    const percentiles = logs?.percentiles
      ? { ...logs.percentiles, source: 'logs' as const, windowMs: logs.windowMs }
      : probePercentiles
        ? { ...probePercentiles, source: 'probes' as const, windowMs: JUDGEMENT_WINDOW_MS }
        : undefined;
    const view: ProjectHealthView = {
      ...this.identity,
      state: this.state,
      checks,
      sparkline: this.samples.samples(now - SPARKLINE_MS).map((s) => ({ t: s.t, ms: s.ms })),
      targets: this.targets(logs),
      trafficNote: logs ? LOGS_NOTE : PROBES_NOTE,
      notes: [...this.notes],
    };
    if (percentiles) view.percentiles = percentiles;
    if (this.maintenance) view.maintenance = this.maintenance;
    if (this.keySource) view.keySource = this.keySource;
    if (this.runbookName) view.runbook = this.runbookName;
    return view;
  }

  private apply(
    entry: CheckEntry,
    raw: AttemptVerdict,
    attempts: AttemptRecord[],
    now: number,
  ): CheckStateChange | undefined {
    // During maintenance a failing check is the maintenance, not an outage.
    const verdict: AttemptVerdict =
      this.maintenance && raw.state !== 'healthy' && entry.spec.kind !== 'managementApi'
        ? { ...raw, state: 'maintenance' }
        : raw;
    entry.verdict = verdict;
    entry.lastCheckedAt = now;
    entry.attempts = attempts.length || undefined;
    let latency: number | undefined;
    for (let i = attempts.length - 1; i >= 0 && latency === undefined; i--)
      latency = attempts[i].latencyMs ?? undefined;
    entry.latencyMs = latency;
    entry.passedAfterRetry = attempts.length > 1 && attempts[attempts.length - 1].passed && !attempts[0].passed;
    const clean =
      attempts.length === 0 ? verdict.state === 'healthy' : attempts[0].passed && verdict.state === 'healthy';
    const change = entry.damped.take({ state: verdict.state, clean });
    if (!change) return undefined;
    entry.since = now;
    return { ...change, checkId: entry.spec.id, checkName: entry.spec.name, at: now, view: this.checkView(entry) };
  }

  private checkView(entry: CheckEntry): CheckView {
    const { spec, verdict } = entry;
    const state = entry.damped.state ?? 'unknown';
    const view: CheckView = {
      id: spec.id,
      kind: spec.kind,
      name: spec.name,
      state,
      summary: verdict
        ? state !== verdict.state && entry.damped.recovering
          ? `Recovering: ${verdict.summary}`
          : verdict.summary
        : 'Not checked yet',
      rules: verdict?.rules ?? [],
      details: verdict?.healthBody
        ? [...healthDetails(verdict.healthBody), ...verdict.details]
        : (verdict?.details ?? []),
      timing: spec.timing,
    };
    if (entry.latencyMs !== undefined) view.latencyMs = entry.latencyMs;
    if (entry.lastCheckedAt !== undefined) view.lastCheckedAt = entry.lastCheckedAt;
    if (entry.since !== undefined) view.since = entry.since;
    if (entry.attempts !== undefined) view.attempts = entry.attempts;
    if (entry.passedAfterRetry) view.passedAfterRetry = true;
    const recovering = entry.damped.recovering;
    if (recovering && state !== 'healthy') view.recovering = recovering;
    const route = spec.endpoint?.route;
    if (route?.stale) view.route = { written: route.written, probed: route.probed, why: route.stale };
    for (const row of spec.standsFor ?? [])
      view.details = [...view.details, { label: `stands for ${row.row}`, value: row.why }];
    if ((state === 'warning' || state === 'critical') && verdict?.topic) {
      const playbook = findPlaybook(this.runbook, verdict.topic);
      if (playbook) view.playbook = playbook;
    }
    return view;
  }

  /** Circuit breaker opens over the runbook's window, judged by its "Circuit Breaker Opens" row. */
  private withBreakers(verdict: AttemptVerdict, now: number): AttemptVerdict {
    const breakers = verdict.healthBody?.circuit_breakers ?? {};
    this.breakers.observe(now, breakers);
    const row = metricRow(this.runbook.typed, 'circuitBreakerOpens');
    if (!row || Object.keys(breakers).length === 0) return verdict;
    const windowMs = windowOf(row, JUDGEMENT_WINDOW_MS);
    const count = this.breakers.count(now, windowMs);
    // Nothing open and no open in the window, as at almost every poll: the rule reads the same as last time.
    if (count === 0 && this.quietBreakers?.row === row) {
      // The verdict is this poll's own, made fresh by the judgement: adding to it in place costs no copy.
      verdict.rules.push(this.quietBreakers.rule);
      return verdict;
    }
    const open = this.breakers.openNow();
    const judged = judgeMetric(
      row,
      { kind: 'events', count, overMs: windowMs },
      `${count} open${count === 1 ? '' : 's'} in ${Math.round(windowMs / 60_000)} min${open.length ? ` (open now: ${open.join(', ')})` : ''}`,
    );
    if (!judged) return verdict;
    this.quietBreakers = count === 0 ? { row, rule: judged.rule } : undefined;
    const state = worstState([verdict.state, judged.state]);
    return {
      ...verdict,
      state,
      rules: [...verdict.rules, judged.rule],
      summary:
        judged.state === 'healthy' ? verdict.summary : `${verdict.summary}; ${judged.rule.row} ${judged.rule.observed}`,
      topic: judged.state !== 'healthy' && verdict.topic !== 'generation' ? 'functions' : verdict.topic,
    };
  }

  /**
   * The probe-derived error rate and P95 are judged again after a probe that failed, while they are not Healthy, and
   * otherwise at most every TRAFFIC_REJUDGE_MS: between two healthy probes the window barely moves, and judging it
   * after every one of a hundred checks would cost more than the probes.
   */
  private trafficDue(derived: CheckEntry, poll: PollRecord, now: number): boolean {
    if (derived.lastCheckedAt === undefined || derived.damped.state !== 'healthy') return true;
    if (poll.attempts.some((a) => a.failedRequest)) return true;
    return now - derived.lastCheckedAt >= TRAFFIC_REJUDGE_MS;
  }

  private probeTraffic(now: number): TrafficObservation {
    const since = now - JUDGEMENT_WINDOW_MS;
    const { failed, total } = this.samples.errors(since);
    const percentiles = this.samples.percentiles(since);
    return {
      source: 'probes',
      windowMs: JUDGEMENT_WINDOW_MS,
      requests: total,
      errors: failed,
      ...(percentiles ? { percentiles } : {}),
    };
  }

  /** The API Performance Targets, each beside what the logs measured for its function. */
  private targets(logs: TrafficObservation | undefined): TargetView[] {
    return (this.runbook.typed.apiPerformanceTargets?.rows ?? []).map((row) => {
      const slug = row.endpoint.replace(/^\/+/, '').replace(/^functions\/v1\//, '');
      const traffic = logs?.byFunction?.find((f) => f.name === slug || f.name.endsWith(`/${slug}`));
      const view: TargetView = {
        endpoint: row.endpoint,
        line: row.line,
        p50: row.p50.text,
        p95: row.p95.text,
        p99: row.p99.text,
        over: [],
      };
      if (traffic?.percentiles) {
        view.measured = traffic.percentiles;
        for (const key of ['p50', 'p95', 'p99'] as const) {
          const target = quantityMs(row[key]);
          if (target !== undefined && traffic.percentiles[key] > target) view.over.push(key);
        }
      }
      return view;
    });
  }
}

function projectStatusOf(verdict: AttemptVerdict): string | undefined {
  return verdict.details.find((d) => d.label === 'project status')?.value;
}
