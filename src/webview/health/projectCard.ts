// A card per linked project: its name as the user knows it (production marked), where the checks reach, its state,
// maintenance and setup notes, every check, the last hour's latency, and the percentiles beside the runbook's API
// Performance Targets.
import type { ProjectHealthView } from '../../shared/health/healthView';
import { HEALTH_STATE_LABELS } from '../../shared/health/healthView';
import { formatDuration } from '../../shared/format/duration';
import { countOf } from '../../shared/format/count';
import { el } from '../shared/dom';
import type { HealthActions } from './actions';
import { checkRow } from './checkRow';
import { sparkline } from './sparkline';
import { stateBadge } from './stateBadge';

export function projectCard(view: ProjectHealthView, now: number, actions: HealthActions): HTMLElement {
  const headingId = `project-${view.project.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  const heading = el('h2', { attrs: { id: headingId, tabindex: '-1' } }, [
    stateBadge(view.state),
    el('span', { className: `project-name${view.production ? ' production' : ''}`, text: view.label }),
  ]);
  const meta = el('p', { className: 'meta' });
  if (view.apiUrl) meta.append(el('span', { className: 'target', text: view.apiUrl, title: 'Where the checks go' }));
  if (view.ref) meta.append(el('span', { className: 'ref', text: `ref ${view.ref}` }));
  if (view.keySource) meta.append(el('span', { className: 'key', text: `key: ${view.keySource}` }));
  const card = el(
    'section',
    {
      className: `card state-${view.state}`,
      attrs: {
        'data-project': view.project,
        'data-state': view.state,
        'aria-labelledby': headingId,
        'aria-label': `${view.label}: ${HEALTH_STATE_LABELS[view.state]}`,
      },
    },
    [heading, meta],
  );
  if (view.maintenance)
    card.append(el('div', { className: 'notice maintenance' }, [el('p', { text: view.maintenance })]));
  if (view.notes.length) {
    const notes = el('ul', { className: 'notes', attrs: { 'aria-label': 'Setup notes' } });
    for (const note of view.notes) notes.append(el('li', { text: note }));
    card.append(notes);
  }

  const table = el('table', { className: 'checks' }, [
    el('caption', { className: 'visually-hidden', text: `Checks of ${view.label}` }),
    el('thead', {}, [
      el('tr', {}, [
        el('th', { text: 'State', attrs: { scope: 'col' } }),
        el('th', { text: 'Check', attrs: { scope: 'col' } }),
        el('th', { text: 'Latency', attrs: { scope: 'col' } }),
        el('th', { text: 'Checked', attrs: { scope: 'col' } }),
        el('th', { text: 'Judged by', attrs: { scope: 'col' } }),
        el('th', { text: 'Action', attrs: { scope: 'col' } }),
      ]),
    ]),
    el(
      'tbody',
      {},
      view.checks.map((check) => checkRow(view.project, check, now, actions)),
    ),
  ]);
  card.append(table);

  const latency = el('div', { className: 'latency-panel' }, [
    el('h3', { text: 'Latency (up to the last hour)' }),
    sparkline(view.sparkline, now),
  ]);
  const p = view.percentiles;
  latency.append(
    el('p', {
      className: 'percentiles',
      text: p
        ? `p50 ${formatDuration(p.p50)} · p95 ${formatDuration(p.p95)} · p99 ${formatDuration(p.p99)} over ${countOf(p.samples, p.source === 'logs' ? 'request' : 'probe')} in the last ${formatDuration(p.windowMs)}`
        : 'No latency measured yet',
    }),
    el('p', { className: 'traffic-note', text: view.trafficNote }),
  );
  if (view.targets.length) latency.append(targetsTable(view, actions));
  card.append(latency);
  return card;
}

function targetsTable(view: ProjectHealthView, actions: HealthActions): HTMLElement {
  const rows = view.targets.map((t) => {
    const endpoint = el('button', {
      className: 'link',
      text: t.endpoint,
      title: `Open the runbook at line ${t.line + 1}`,
    });
    endpoint.addEventListener('click', () => actions.openRule(t.line));
    const measured = (key: 'p50' | 'p95' | 'p99') =>
      el('td', {
        className: t.over.includes(key) ? 'over' : '',
        text: t.measured ? `${formatDuration(t.measured[key])} / ${t[key]}` : `— / ${t[key]}`,
      });
    return el('tr', {}, [el('td', {}, [endpoint]), measured('p50'), measured('p95'), measured('p99')]);
  });
  return el('table', { className: 'targets' }, [
    el('caption', { text: 'API Performance Targets (measured / target)' }),
    el('thead', {}, [
      el('tr', {}, [
        el('th', { text: 'Endpoint', attrs: { scope: 'col' } }),
        el('th', { text: 'P50', attrs: { scope: 'col' } }),
        el('th', { text: 'P95', attrs: { scope: 'col' } }),
        el('th', { text: 'P99', attrs: { scope: 'col' } }),
      ]),
    ]),
    el('tbody', {}, rows),
  ]);
}
