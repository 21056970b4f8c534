// The run's header: what ran, on which project, read-only or not, from where, with which placeholder values, and
// how it went. It names the real project, in the warning colour for production.
import type { PlaceholderValueView, RunHeader } from '../../shared/results/protocol';
import { el, text } from '../shared/dom';

export function renderHeader(header: RunHeader, status: string, statusClass: string): HTMLElement {
  // header.project already says production when the name does not ("acme (production)"); the colour says it too.
  const badge = el('span', {
    className: `project${header.production ? ' production' : ''}`,
    text: header.project,
    title: header.production ? 'A production project' : 'The project this ran on',
  });
  const mode = el('span', {
    className: `mode ${header.mode}`,
    text: header.mode === 'read' ? 'read-only' : 'read-write',
  });
  const parts: Node[] = [
    el('h1', { text: header.title }),
    el('div', { className: 'meta' }, [
      badge,
      mode,
      el('span', { className: 'source', text: header.source }),
      el('span', { className: `status ${statusClass}`, text: status, attrs: { role: 'status' } }),
    ]),
  ];
  if (header.placeholders?.length) parts.push(renderPlaceholders(header.placeholders));
  return el('header', { className: 'run-header', attrs: { 'data-run-id': String(header.runId) } }, parts);
}

/** "with org_id = 1111…, api_key = ••••": so "0 rows" says for which org. */
function renderPlaceholders(placeholders: PlaceholderValueView[]): HTMLElement {
  const list = el('ul', { className: 'placeholders', attrs: { 'aria-label': 'Placeholder values' } });
  for (const { name, value, secret } of placeholders) {
    const shown = secret
      ? el('span', { className: 'value secret', text: value, title: 'A secret: masked, never stored' })
      : value === ''
        ? el('span', { className: 'value empty-value', text: '(empty)', title: 'An empty text' })
        : el('span', { className: 'value', text: value, title: value });
    list.append(
      el('li', { className: 'placeholder' }, [el('span', { className: 'name', text: name }), text(' = '), shown]),
    );
  }
  return el('div', { className: 'placeholder-values' }, [el('span', { className: 'with', text: 'with' }), list]);
}
