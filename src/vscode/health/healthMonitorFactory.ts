// The health checks' own code, loaded with import() when watching starts (dist/lazy/vscode.health.healthMonitorFactory.js):
// planning from the runbook's tables, the probes, the database checks and the Management API calls.
import { HealthMonitor } from '../../node/health/healthMonitor';
import { systemClock } from '../../node/http/clock';
import { timingOverrides, type HealthSettings } from '../../core/health/healthSettings';

export function createHealthMonitor(settings: HealthSettings): HealthMonitor {
  return new HealthMonitor({
    clock: systemClock,
    recoveryPasses: settings.recoveryPasses,
    overrides: timingOverrides(settings),
  });
}
