// Runs the runbook's checks once against one project and returns the judged view: for the CLI's `health --once`,
// and for deploy, which validates a release with the same checks the panel shows.
import type { Runbook } from '../../core/model/types';
import { planChecks, unprobedRows, type TimingOverride } from '../../core/health/checkPlan';
import { ProjectHealth, type ProjectIdentity } from '../../core/health/projectHealth';
import type { ProjectHealthView } from '../../shared/health/healthView';
import { HttpProber } from '../http/httpProber';
import { pollCheck, type HealthTarget } from './pollCheck';

export interface RunOnceOptions {
  runbook: Runbook;
  runbookName?: string;
  project: ProjectIdentity;
  target: HealthTarget;
  keySource?: string;
  overrides?: Readonly<Record<string, TimingOverride>>;
  /** A prober to share; one is made (and closed) otherwise. */
  prober?: HttpProber;
}

export async function runHealthOnce(options: RunOnceOptions): Promise<ProjectHealthView> {
  const { runbook, target } = options;
  const checks = planChecks(runbook, {
    database: Boolean(target.database),
    managementApi: Boolean(target.management),
    ...(options.overrides ? { overrides: options.overrides } : {}),
  });
  const health = new ProjectHealth(options.project, runbook, options.runbookName, checks);
  if (options.keySource) health.keySource = options.keySource;
  health.notes = unprobedRows(runbook, { database: Boolean(target.database) }).map((r) => r.why);
  const prober = options.prober ?? new HttpProber();
  const now = () => Date.now();
  try {
    // The Management API goes first, so a project in maintenance is judged as such.
    const management = health.polledChecks.find((c) => c.kind === 'managementApi');
    if (management) health.record(management.id, await pollCheck(management, target, { runbook, prober, now }));
    const polls = await Promise.all(
      health.polledChecks
        .filter((c) => c !== management)
        .map(async (check) => ({ check, poll: await pollCheck(check, target, { runbook, prober, now }) })),
    );
    for (const { check, poll } of polls) health.record(check.id, poll);
    return health.view(now());
  } finally {
    if (!options.prober) await prober.close();
  }
}
