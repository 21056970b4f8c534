// One result set: its statement, row count, duration against the runbook's target, a toolbar (filter, copy, save)
// and the grid, sortable by any column and virtualised so 10,000 rows paint as fast as 50.
import type { CopyFormat, ResultSetView } from '../../shared/results/protocol';
import { formatDuration } from '../../shared/format/duration';
import { countOf } from '../../shared/format/count';
import { el } from '../shared/dom';

const ROW_HEIGHT = 24;
const OVERSCAN = 20;

/** What the set's buttons ask of the extension, with the rows as shown (sorted and filtered). */
export interface ResultSetActions {
  copy(setIndex: number, format: CopyFormat, rowOrder: number[]): void;
  save(setIndex: number, rowOrder: number[]): void;
}

export function renderSet(set: ResultSetView, setIndex: number, actions: ResultSetActions): HTMLElement {
  let order = set.rows.map((_, i) => i);
  let sortColumn = -1;
  let sortDirection = 1;
  let filter = '';

  const summary = el('div', { className: 'summary' });
  const rowsText =
    set.columns.length === 0
      ? `${set.command}${set.rowCount !== null ? ` · ${countOf(set.rowCount, 'row')} affected` : ''}`
      : countOf(set.rowsBeforeRestore ?? set.rows.length, 'row');
  summary.append(
    el('span', { className: 'count', text: rowsText }),
    el('span', { text: formatDuration(set.durationMs) }),
  );
  if (set.target) summary.append(el('span', { className: `target ${set.target.status}`, text: set.target.text }));
  const notices: Node[] = [];
  if (set.capped)
    notices.push(
      el('p', {
        className: 'capped',
        attrs: { role: 'note' },
        text: `Showing the first ${set.maxRows} rows; the rest were not fetched. Raise runbook.sql.maxRows to see more.`,
      }),
    );
  if (set.rowsBeforeRestore !== undefined)
    notices.push(
      el('p', {
        className: 'kept',
        attrs: { role: 'note' },
        text: `Only the first ${set.rows.length} of these ${set.rowsBeforeRestore} rows were kept across the window reload. Run the snippet again to see them all.`,
      }),
    );

  const section = el('section', { className: 'result-set', attrs: { 'aria-label': `Result ${setIndex + 1}` } });
  section.append(el('h2', { className: 'statement', text: set.statement, title: set.statement }), summary, ...notices);
  if (set.columns.length === 0) return section;

  // One compact row: the filter, "Copy as: CSV · Markdown · JSON" and Save…; it wraps only when
  // the panel is narrower than the three of them.
  const toolbar = el('div', {
    className: 'toolbar',
    attrs: { role: 'toolbar', 'aria-label': `Result ${setIndex + 1} actions` },
  });
  const filterInput = el('input', {
    className: 'filter',
    attrs: { type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' },
  });
  const copyGroup = el(
    'span',
    { className: 'copy-as', attrs: { role: 'group', 'aria-label': 'Copy the shown rows as' } },
    [el('span', { className: 'copy-label', text: 'Copy as:' })],
  );
  const formats: Array<[CopyFormat, string]> = [
    ['csv', 'CSV'],
    ['markdown', 'Markdown'],
    ['json', 'JSON'],
  ];
  formats.forEach(([format, label], i) => {
    if (i > 0) copyGroup.append(el('span', { className: 'separator', text: '·', attrs: { 'aria-hidden': 'true' } }));
    const b = el('button', {
      className: 'link',
      text: label,
      title: `Copy the shown rows as ${label}`,
      attrs: { type: 'button', 'data-format': format },
    });
    b.addEventListener('click', () => actions.copy(setIndex, format, order));
    copyGroup.append(b);
  });
  const save = el('button', {
    className: 'save',
    text: 'Save…',
    title: 'Save the shown rows as CSV, Markdown or JSON',
    attrs: { type: 'button' },
  });
  save.addEventListener('click', () => actions.save(setIndex, order));
  toolbar.append(filterInput, copyGroup, save);
  section.append(toolbar);

  const table = el('table', {
    className: 'grid',
    attrs: { role: 'grid', 'aria-rowcount': String(set.rows.length + 1) },
  });
  const headRow = el('tr');
  set.columns.forEach((column, c) => {
    const button = el('button', { className: 'sort', attrs: { type: 'button', title: `Sort by ${column.name}` } }, [
      el('span', { className: 'name', text: column.name }),
      el('span', { className: 'type', text: column.typeName }),
    ]);
    const th = el('th', { attrs: { scope: 'col', 'aria-sort': 'none' } }, [button]);
    button.addEventListener('click', () => {
      sortDirection = sortColumn === c ? -sortDirection : 1;
      sortColumn = c;
      for (const other of headRow.querySelectorAll('th')) other.setAttribute('aria-sort', 'none');
      th.setAttribute('aria-sort', sortDirection === 1 ? 'ascending' : 'descending');
      apply();
    });
    headRow.append(th);
  });
  const thead = el('thead', {}, [headRow]);
  const tbody = el('tbody');
  table.append(thead, tbody);
  const viewport = el('div', { className: 'viewport', attrs: { tabindex: '0' } }, [table]);
  section.append(viewport);
  const shown = el('div', { className: 'shown' });
  section.append(shown);

  const compare = (a: string | null, b: string | null): number => {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    const na = Number(a);
    const nb = Number(b);
    if (a.trim() !== '' && b.trim() !== '' && !Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
    return a.localeCompare(b);
  };

  function apply(): void {
    const needle = filter.toLowerCase();
    order = set.rows
      .map((_, i) => i)
      .filter((i) => !needle || set.rows[i].some((v) => (v ?? 'null').toLowerCase().includes(needle)));
    if (sortColumn >= 0)
      order.sort((x, y) => sortDirection * compare(set.rows[x][sortColumn], set.rows[y][sortColumn]) || x - y);
    shown.textContent = filter ? `${order.length} of ${set.rows.length} rows match` : '';
    paint();
  }

  // Only the rows in view are in the DOM, so 10,000 rows paint as fast as 50.
  function paint(): void {
    const top = viewport.scrollTop;
    const height = viewport.clientHeight || 480;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(order.length, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
    const fragment = document.createDocumentFragment();
    if (first > 0) fragment.append(spacer(first * ROW_HEIGHT, set.columns.length));
    for (let r = first; r < last; r++) {
      const rowIndex = order[r];
      const tr = el('tr', { attrs: { 'aria-rowindex': String(r + 2) } });
      for (const value of set.rows[rowIndex]) {
        tr.append(value === null ? nullCell() : el('td', { text: value, title: value.length > 60 ? value : '' }));
      }
      fragment.append(tr);
    }
    if (last < order.length) fragment.append(spacer((order.length - last) * ROW_HEIGHT, set.columns.length));
    tbody.replaceChildren(fragment);
  }

  filterInput.addEventListener('input', () => {
    filter = filterInput.value;
    apply();
  });
  filterInput.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape' || !filterInput.value) return;
    filterInput.value = '';
    filter = '';
    apply();
  });
  viewport.addEventListener('scroll', () => requestAnimationFrame(paint), { passive: true });
  paint();
  return section;
}

/** SQL NULL as a small bordered pill, so it cannot be mistaken for the text 'NULL' (which is drawn as plain text). */
function nullCell(): HTMLTableCellElement {
  return el('td', { className: 'null' }, [
    el('span', { className: 'null-pill', text: 'NULL', title: 'SQL NULL', attrs: { 'aria-label': 'SQL NULL' } }),
  ]);
}

function spacer(height: number, columns: number): HTMLTableRowElement {
  const td = el('td', { attrs: { colspan: String(columns) } });
  td.style.height = `${height}px`;
  return el('tr', { className: 'spacer', attrs: { 'aria-hidden': 'true' } }, [td]);
}
