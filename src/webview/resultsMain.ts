// Browser code of the Query Results panel. DOM only; every value is set as text, never as HTML.
import type {
  ToWebview,
  FromWebview,
  ResultSetView,
  RunHeader,
  ErrorView,
  CopyFormat,
} from '../shared/resultsMessages';

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };
const vscode = acquireVsCodeApi();
const app = document.getElementById('app')!;
const ROW_HEIGHT = 24;
const OVERSCAN = 20;

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: { className?: string; text?: string; title?: string; attrs?: Record<string, string> } = {},
  children: Node[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (props.className) node.className = props.className;
  if (props.text !== undefined) node.textContent = props.text;
  if (props.title) node.title = props.title;
  for (const [k, v] of Object.entries(props.attrs ?? {})) node.setAttribute(k, v);
  for (const c of children) node.appendChild(c);
  return node;
}

function formatMs(ms: number): string {
  if (ms < 1) return '< 1 ms';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function renderHeader(header: RunHeader, status: string, statusClass: string): HTMLElement {
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
  return el('header', { className: 'run-header', attrs: { 'data-run-id': String(header.runId) } }, [
    el('h1', { text: header.title }),
    el('div', { className: 'meta' }, [
      badge,
      mode,
      el('span', { className: 'source', text: header.source }),
      el('span', { className: `status ${statusClass}`, text: status, attrs: { role: 'status' } }),
    ]),
  ]);
}

function renderRunning(message: Extract<ToWebview, { type: 'running' }>): void {
  app.replaceChildren();
  const started = performance.now();
  const status = el('span', { text: 'Running…' });
  const cancel = el('button', {
    className: 'cancel',
    text: 'Cancel',
    attrs: { type: 'button', 'aria-label': 'Cancel the running query' },
  });
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    cancel.textContent = 'Cancelling…';
    vscode.postMessage({ type: 'cancel', runId: message.header.runId });
  });
  const header = renderHeader(
    message.header,
    `${message.statementCount} statement${message.statementCount === 1 ? '' : 's'}`,
    'running',
  );
  app.append(
    header,
    el('div', { className: 'running' }, [
      el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      status,
      cancel,
    ]),
  );
  const timer = window.setInterval(() => {
    if (!document.body.contains(status)) return window.clearInterval(timer);
    status.textContent = `Running… ${formatMs(performance.now() - started)}`;
  }, 250);
  // Cancel gets the keyboard only when the panel already has it: a page that loads late would otherwise take it from
  // whatever asked meanwhile (a password prompt, whose Enter would then press Cancel).
  if (document.hasFocus()) cancel.focus();
}

function renderFinished(message: Extract<ToWebview, { type: 'finished' }>): void {
  const t0 = performance.now();
  app.replaceChildren();
  const statusText =
    message.status === 'ok'
      ? `${message.committed ? 'Committed' : 'Done'} in ${formatMs(message.totalMs)}`
      : message.status === 'cancelled'
        ? 'Cancelled'
        : 'Failed';
  app.append(renderHeader(message.header, statusText, message.status));
  if (message.status === 'cancelled') app.append(renderCancelled(message.notice ?? 'Cancelled by you.'));
  else if (message.error) app.append(renderError(message.error));
  message.sets.forEach((set, index) => app.append(renderSet(message.header.runId, set, index)));
  if (message.sets.length === 0 && !message.error && message.status !== 'cancelled')
    app.append(el('p', { className: 'empty', text: 'The block returned no result sets.' }));
  const buildMs = performance.now() - t0;
  // A requestAnimationFrame callback runs before the frame is painted; a task queued from it runs
  // once that frame is on screen. Timed from the extension's postMessage, so delivering the rows
  // counts too (both clocks are epoch-based and on the same machine).
  requestAnimationFrame(() =>
    setTimeout(() => {
      const paintedAt = performance.timeOrigin + performance.now();
      const rows = message.sets.reduce((n, s) => n + s.rows.length, 0);
      const ms = message.postedAt === undefined ? performance.now() - t0 : Math.max(0, paintedAt - message.postedAt);
      vscode.postMessage({ type: 'rendered', runId: message.header.runId, ms, buildMs, rows });
    }, 0),
  );
}

/** A cancel the user asked for is not a failure: a neutral notice of what it left behind. */
function renderCancelled(notice: string): HTMLElement {
  return el('section', { className: 'notice cancelled', attrs: { role: 'status' } }, [el('p', { text: notice })]);
}

/** SQLSTATEs are five digits or capitals (42703, 22P02); anything else is a client-side code such as ECONNREFUSED. */
function codeLabel(code: string | undefined): string {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? 'SQLSTATE' : 'Error code';
}

function renderError(error: ErrorView): HTMLElement {
  const parts: Node[] = [el('h2', { text: error.title }), el('p', { className: 'message', text: error.message })];
  const facts: Array<[string, string | undefined]> = [
    [codeLabel(error.code), error.code],
    ['Statement', error.statementIndex !== undefined ? String(error.statementIndex + 1) : undefined],
    ['Position', error.position],
    ['Detail', error.detail],
    ['Hint', error.hint],
  ];
  const dl = el('dl');
  for (const [k, v] of facts) if (v) dl.append(el('dt', { text: k }), el('dd', { text: v }));
  if (dl.childElementCount) parts.push(dl);
  if (error.excerpt) parts.push(el('pre', { className: 'excerpt', text: error.excerpt }));
  if (error.advice) parts.push(el('p', { className: 'advice', text: error.advice }));
  return el('section', { className: `error kind-${error.kind}`, attrs: { role: 'alert' } }, parts);
}

function renderSet(runId: number, set: ResultSetView, setIndex: number): HTMLElement {
  let order = set.rows.map((_, i) => i);
  let sortColumn = -1;
  let sortDirection = 1;
  let filter = '';

  const summary = el('div', { className: 'summary' });
  const rowsText =
    set.columns.length === 0
      ? `${set.command}${set.rowCount !== null ? ` · ${set.rowCount} row${set.rowCount === 1 ? '' : 's'} affected` : ''}`
      : `${set.rows.length} row${set.rows.length === 1 ? '' : 's'}`;
  summary.append(el('span', { className: 'count', text: rowsText }), el('span', { text: formatMs(set.durationMs) }));
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
    b.addEventListener('click', () => vscode.postMessage({ type: 'copy', runId, setIndex, format, rowOrder: order }));
    copyGroup.append(b);
  });
  const save = el('button', {
    className: 'save',
    text: 'Save…',
    title: 'Save the shown rows as CSV, Markdown or JSON',
    attrs: { type: 'button' },
  });
  save.addEventListener('click', () => vscode.postMessage({ type: 'save', runId, setIndex, rowOrder: order }));
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

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.type === 'running') renderRunning(message);
  else if (message.type === 'finished') renderFinished(message);
});

vscode.postMessage({ type: 'ready' });
