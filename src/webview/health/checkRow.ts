// One check of a project: its state, what it saw, how fast, when, the runbook row that judged it with the numbers
// that crossed it, the row's Action, and the way to the playbook that handles it.
import type { CheckView, JudgingRule } from '../../shared/health/healthView';
import { formatDuration } from '../../shared/format/duration';
import { countOf } from '../../shared/format/count';
import { el, text } from '../shared/dom';
import type { HealthActions } from './actions';
import { ago } from './relativeTime';
import { stateBadge } from './stateBadge';

export function checkRow(project: string, check: CheckView, now: number, actions: HealthActions): HTMLTableRowElement {
  const nameCell = el('td', { className: 'check-name' }, [
    el('div', { className: 'name', text: check.name }),
    el('div', { className: 'summary', text: check.summary }),
  ]);
  const notes: string[] = [];
  if (check.passedAfterRetry) notes.push(`passed after retry (${check.attempts ?? 2} attempts): not a clean pass`);
  if (check.recovering) notes.push(`recovering: ${check.recovering.passes} of ${check.recovering.needed} clean passes`);
  if (check.route) notes.push(`probed ${check.route.probed} instead of ${check.route.written}: ${check.route.why}`);
  for (const note of notes) nameCell.append(el('div', { className: 'note', text: note }));
  if (check.details.length) {
    const list = el('ul', { className: 'details' });
    for (const detail of check.details)
      list.append(
        el('li', { className: detail.state ? `state-${detail.state}` : '' }, [
          el('span', { className: 'label', text: `${detail.label}: ` }),
          el('span', { className: 'value', text: detail.value }),
        ]),
      );
    nameCell.append(el('details', {}, [el('summary', { text: `Details (${check.details.length})` }), list]));
  }

  const rules = el('td', { className: 'rule' });
  const crossed = check.rules.filter((r) => r.level);
  for (const rule of crossed.length ? crossed : check.rules.slice(0, 1)) rules.append(ruleLine(rule, actions));
  rules.append(
    el('div', {
      className: 'timing',
      text: check.timing.intervalMs
        ? `every ${formatDuration(check.timing.intervalMs)}, timeout ${formatDuration(check.timing.timeoutMs)}, ${countOf(check.timing.retries, 'retry', 'retries')} · ${check.timing.source}`
        : check.timing.source,
    }),
  );

  const action = el('td', { className: 'action' });
  const actionText = crossed.find((r) => r.action)?.action;
  if (actionText) action.append(el('div', { className: 'action-text', text: actionText }));
  if (check.playbook) {
    action.append(
      el('button', {
        className: 'link playbook',
        text: `Playbook: ${check.playbook.name}`,
        title: 'Open the playbook in the runbook and reveal it in the Playbooks tree',
      }),
    );
    action.lastElementChild!.addEventListener('click', () => actions.openPlaybook(project, check.id));
    if (check.playbook.diagnosisSnippetIndex !== undefined) {
      const run = el('button', {
        className: 'link diagnose',
        text: `Run diagnosis on ${project}`,
        title: "Run the playbook's diagnosis SQL on this project (read-only)",
      });
      run.addEventListener('click', () => actions.runDiagnosis(project, check.id));
      action.append(run);
    }
  }
  if (check.kind === 'traffic' || check.kind === 'healthFunction') {
    const logs = el('button', {
      className: 'link logs',
      text: 'Tail function logs',
      title: 'Runbook: Tail Function Logs',
    });
    logs.addEventListener('click', () => actions.tailLogs(project));
    if (check.state === 'warning' || check.state === 'critical') action.append(logs);
  }

  return el(
    'tr',
    { className: `check state-${check.state}`, attrs: { 'data-check': check.id, 'data-state': check.state } },
    [
      el('td', { className: 'state' }, [stateBadge(check.state)]),
      nameCell,
      el('td', { className: 'latency', text: check.latencyMs !== undefined ? formatDuration(check.latencyMs) : '—' }),
      el('td', {
        className: 'checked',
        text: check.lastCheckedAt !== undefined ? ago(check.lastCheckedAt, now) : 'not yet',
        ...(check.lastCheckedAt !== undefined
          ? { attrs: { 'data-at': String(check.lastCheckedAt) }, title: new Date(check.lastCheckedAt).toLocaleString() }
          : {}),
      }),
      rules,
      action,
    ],
  );
}

/** `Critical Metrics Dashboard "P95 Latency" critical > 2000ms — measured p95 2.4 s` */
function ruleLine(rule: JudgingRule, actions: HealthActions): HTMLElement {
  const where =
    rule.line !== undefined
      ? el('button', {
          className: 'link rule-row',
          text: `${rule.table}: ${rule.row}`,
          title: `Open the runbook at line ${rule.line + 1}`,
        })
      : el('span', { className: 'rule-row', text: `${rule.table}: ${rule.row}` });
  if (rule.line !== undefined) {
    const line = rule.line;
    where.addEventListener('click', () => actions.openRule(line));
  }
  const parts: Node[] = [where];
  if (rule.threshold)
    parts.push(
      text(' '),
      el('span', {
        className: `threshold${rule.level ? ` crossed-${rule.level}` : ''}`,
        text: rule.level
          ? `${rule.level} ${rule.threshold}`
          : rule.table === 'Monitoring Endpoints'
            ? `expects ${rule.threshold}`
            : rule.threshold,
      }),
    );
  if (rule.observed) parts.push(text(' · '), el('span', { className: 'observed', text: `measured ${rule.observed}` }));
  return el('div', { className: 'rule-line' }, parts);
}
