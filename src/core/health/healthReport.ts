// The health report for cron and CI, in the monitoring-plugins convention: the first line is the verdict
// ("HEALTH CRITICAL - …"), then one block per check naming its state, the threshold row and its Action; the exit
// status is 0 healthy, 1 warning, 2 critical, 3 unknown. Maintenance exits 1: something is going on, not an outage.
import {
  HEALTH_STATE_LABELS,
  type CheckView,
  type HealthState,
  type JudgingRule,
  type ProjectHealthView,
} from '../../shared/health/healthView';
import { formatMs } from '../tables/quantity';

export const EXIT_CODES: Record<HealthState, number> = {
  healthy: 0,
  warning: 1,
  maintenance: 1,
  critical: 2,
  unknown: 3,
};

const PLUGIN_WORDS: Record<HealthState, string> = {
  healthy: 'OK',
  warning: 'WARNING',
  maintenance: 'WARNING',
  critical: 'CRITICAL',
  unknown: 'UNKNOWN',
};

export function exitCodeOf(view: ProjectHealthView): number {
  return EXIT_CODES[view.state];
}

export function formatHealthReport(view: ProjectHealthView, runbookPath?: string): string {
  const counts = new Map<HealthState, number>();
  for (const check of view.checks) counts.set(check.state, (counts.get(check.state) ?? 0) + 1);
  const tally = (['critical', 'warning', 'maintenance', 'unknown', 'healthy'] as const)
    .filter((s) => counts.get(s))
    .map((s) => `${counts.get(s)} ${HEALTH_STATE_LABELS[s].toLowerCase()}`)
    .join(', ');
  const lines = [
    `HEALTH ${PLUGIN_WORDS[view.state]} - ${view.label}${view.apiUrl ? ` (${view.apiUrl})` : ''}: ${tally || 'no checks ran'}`,
  ];
  if (view.maintenance) lines.push(`  ${view.maintenance}`);
  for (const check of view.checks) lines.push(...checkLines(check, runbookPath));
  for (const note of view.notes) lines.push(`  note: ${note}`);
  lines.push(`  ${view.trafficNote}`);
  return `${lines.join('\n')}\n`;
}

function checkLines(check: CheckView, runbookPath: string | undefined): string[] {
  const word = HEALTH_STATE_LABELS[check.state].toUpperCase().padEnd(11);
  const lines = [`  ${word} ${check.name}: ${check.summary}`];
  const crossed = check.rules.filter((r) => r.level);
  for (const rule of crossed.length ? crossed : check.rules.slice(0, 1))
    lines.push(`              ${describeRule(rule, runbookPath)}`);
  if (check.route) lines.push(`              probed ${check.route.probed} instead of ${check.route.written}`);
  for (const detail of check.details.filter((d) => d.state === 'warning' || d.state === 'critical'))
    lines.push(`              ${detail.label}: ${detail.value}`);
  if (check.playbook)
    lines.push(
      `              playbook: ${check.playbook.name}${runbookPath ? ` (${runbookPath}:${check.playbook.line + 1})` : ''}`,
    );
  if (check.kind !== 'traffic' || check.timing.intervalMs > 0)
    lines.push(
      `              every ${formatMs(check.timing.intervalMs)}, timeout ${formatMs(check.timing.timeoutMs)}, ${check.timing.retries} ${check.timing.retries === 1 ? 'retry' : 'retries'} · ${check.timing.source}`,
    );
  return lines;
}

/** `Critical Metrics Dashboard "P95 Latency": critical > 2000ms, measured p95 2.4 s; Action: Scale or optimize` */
export function describeRule(rule: JudgingRule, runbookPath?: string): string {
  const where = rule.line !== undefined && runbookPath ? ` (${runbookPath}:${rule.line + 1})` : '';
  const threshold = rule.threshold
    ? `${rule.level ? `${rule.level} ` : rule.table === 'Monitoring Endpoints' ? 'expects ' : ''}${rule.threshold}`
    : '';
  const observed = rule.observed ? `measured ${rule.observed}` : '';
  const action = rule.action && rule.level ? `Action: ${rule.action}` : '';
  return [`${rule.table} "${rule.row}"${where}`, [threshold, observed].filter(Boolean).join(', '), action]
    .filter(Boolean)
    .join('; ');
}
