// The health panel's page: a card per linked project, redrawn from each snapshot the extension sends, kept with
// setState so a reload shows the last one at once. DOM only; every value from an endpoint, a runbook or a setting is
// set as text (src/webview/shared/dom.ts), so `<img src=x onerror=…>` in a body stays those characters.
import type { HealthProtocol, HealthSnapshot } from '../../shared/health/protocol';
import { readHealthState } from '../../shared/health/protocol';
import { connectToHost } from '../shared/hostConnection';
import { el } from '../shared/dom';
import type { HealthActions } from './actions';
import { projectCard } from './projectCard';
import { refreshTimes } from './relativeTime';

const host = connectToHost<HealthProtocol>();
const app = document.getElementById('app')!;

const actions: HealthActions = {
  openPlaybook: (project, checkId) => host.post({ type: 'openPlaybook', project, checkId }),
  runDiagnosis: (project, checkId) => host.post({ type: 'runDiagnosis', project, checkId }),
  openRule: (line) => host.post({ type: 'openRule', line }),
  refresh: () => host.post({ type: 'refresh' }),
  tailLogs: (project) => host.post({ type: 'tailLogs', project }),
};

function render(snapshot: HealthSnapshot, restored = false): void {
  // Keep the keyboard where it was across a redraw: the same button of the same check, if it is still there.
  const focused = document.activeElement as HTMLElement | null;
  const focusKey = focused && app.contains(focused) ? focusKeyOf(focused) : undefined;
  const now = Date.now();
  const refresh = el('button', { className: 'refresh', text: 'Check now', title: 'Runbook: Check Health Now' });
  refresh.addEventListener('click', actions.refresh);
  const source = [
    snapshot.runbook ? `Checks and thresholds from ${snapshot.runbook}` : 'No runbook with monitoring tables found',
    `updated ${new Date(snapshot.takenAt).toLocaleTimeString()}`,
  ];
  if (snapshot.paused) source.push('paused while the window is unfocused');
  const header = el('header', { className: 'health-header' }, [
    el('h1', { text: 'Runbook Health' }),
    el('p', { className: 'source', text: source.join(' · ') }),
    refresh,
  ]);
  const children: Node[] = [header];
  if (restored)
    children.push(
      el('div', { className: 'notice restored' }, [
        el('p', { text: 'Shown as it was before the window reloaded; fresh results follow as the checks run.' }),
      ]),
    );
  if (snapshot.projects.length === 0)
    children.push(
      el('p', {
        className: 'empty',
        text: snapshot.watching
          ? 'No linked project to check. Add one in the setting runbook.projects, or link one with `supabase link`.'
          : 'The health checks are starting…',
      }),
    );
  for (const project of snapshot.projects) children.push(projectCard(project, now, actions));
  app.replaceChildren(...children);
  app.dataset.takenAt = String(snapshot.takenAt);
  if (focusKey) (app.querySelector<HTMLElement>(focusKey) ?? undefined)?.focus();
  if (snapshot.focus) {
    const card = [...app.querySelectorAll<HTMLElement>('section.card')].find(
      (c) => c.dataset.project === snapshot.focus,
    );
    card?.scrollIntoView({ block: 'start' });
    card?.querySelector<HTMLElement>('h2')?.focus();
  }
}

/** A selector that finds the same control after a redraw. */
function focusKeyOf(element: HTMLElement): string | undefined {
  const card = element.closest<HTMLElement>('section.card')?.dataset.project;
  const check = element.closest<HTMLElement>('tr.check')?.dataset.check;
  const kind = [...element.classList].find((c) => ['playbook', 'diagnose', 'logs', 'rule-row', 'refresh'].includes(c));
  if (!kind) return undefined;
  if (kind === 'refresh') return 'button.refresh';
  if (!card || !check) return undefined;
  return `section.card[data-project="${CSS.escape(card)}"] tr.check[data-check="${CSS.escape(check)}"] .${kind}`;
}

host.onMessage((message) => {
  if (message.type !== 'snapshot') return;
  render(message.snapshot);
  host.saveState({ version: 1, snapshot: message.snapshot });
});

// "12 s ago" stays true while the page is open.
setInterval(() => refreshTimes(app), 5000);

const saved = readHealthState(host.savedState());
if (saved) render(saved.snapshot, true);
host.ready();
