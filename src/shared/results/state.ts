// The Query Results page's saved state: what it keeps across a window reload and how it is read back. Pure, so
// the page (which saves and restores it), the host's serializer (which gets it from VS Code) and the unit tests
// share it.
import type { FinishedMessage, ResultSetView, ResultsState, ToWebview } from './protocol';

/**
 * How much cell text the saved state keeps. VS Code stores a webview's state with the editor layout and writes it
 * again whenever the layout is saved, so a million-row result is cut to its first rows rather than stored whole.
 * About 0.5 MB: a normal result (1000 rows of a dozen short columns) is kept in full.
 */
export const STATE_BUDGET_CHARS = 256_000;
/** What a cell costs beyond its text in the saved JSON (quotes, comma), so many tiny cells count too. */
const CELL_OVERHEAD = 4;

/** The state to save after showing `shown`: the same message, rows cut to the budget, with no timing stamp. */
export function resultsStateOf(shown: ToWebview, budget = STATE_BUDGET_CHARS): ResultsState {
  if (shown.type === 'running') return { version: 1, shown };
  const { postedAt: _postedAt, ...finished } = shown;
  let left = budget;
  const sets = finished.sets.map((set): ResultSetView => {
    let kept = 0;
    for (const row of set.rows) {
      const cost = row.reduce((sum, cell) => sum + (cell?.length ?? 4) + CELL_OVERHEAD, CELL_OVERHEAD);
      if (cost > left) break;
      left -= cost;
      kept++;
    }
    if (kept === set.rows.length) return set;
    return { ...set, rows: set.rows.slice(0, kept), rowsBeforeRestore: set.rowsBeforeRestore ?? set.rows.length };
  });
  return { version: 1, shown: { ...finished, sets } };
}

/**
 * A saved state read back, or undefined when it is not one this version wrote (an older extension's, or damaged):
 * the panel then opens empty instead of drawing half a result.
 */
export function readResultsState(value: unknown): ResultsState | undefined {
  if (!isObject(value) || value.version !== 1 || !isObject(value.shown)) return undefined;
  const shown = value.shown;
  if (!isHeader(shown.header)) return undefined;
  if (shown.type === 'running')
    return typeof shown.statementCount === 'number' ? (value as unknown as ResultsState) : undefined;
  if (shown.type !== 'finished') return undefined;
  const finished = shown as Partial<Record<keyof FinishedMessage, unknown>>;
  const valid =
    ['ok', 'error', 'cancelled'].includes(finished.status as string) &&
    typeof finished.totalMs === 'number' &&
    typeof finished.committed === 'boolean' &&
    Array.isArray(finished.sets) &&
    finished.sets.every(isResultSet) &&
    (finished.error === undefined || (isObject(finished.error) && typeof finished.error.title === 'string'));
  return valid ? (value as unknown as ResultsState) : undefined;
}

function isHeader(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.runId === 'number' &&
    typeof value.title === 'string' &&
    typeof value.project === 'string' &&
    typeof value.production === 'boolean' &&
    (value.mode === 'read' || value.mode === 'write') &&
    typeof value.source === 'string' &&
    (value.placeholders === undefined ||
      (Array.isArray(value.placeholders) &&
        value.placeholders.every(
          (p) =>
            isObject(p) && typeof p.name === 'string' && typeof p.value === 'string' && typeof p.secret === 'boolean',
        )))
  );
}

function isResultSet(value: unknown): boolean {
  return (
    isObject(value) &&
    typeof value.statement === 'string' &&
    typeof value.command === 'string' &&
    typeof value.durationMs === 'number' &&
    typeof value.statementIndex === 'number' &&
    typeof value.capped === 'boolean' &&
    typeof value.maxRows === 'number' &&
    (value.rowCount === null || typeof value.rowCount === 'number') &&
    (value.target === undefined || (isObject(value.target) && typeof value.target.text === 'string')) &&
    Array.isArray(value.columns) &&
    value.columns.every((c) => isObject(c) && typeof c.name === 'string' && typeof c.typeName === 'string') &&
    Array.isArray(value.rows) &&
    value.rows.every(
      (row) => Array.isArray(row) && row.length === (value.columns as unknown[]).length && row.every(isCell),
    )
  );
}

function isCell(value: unknown): boolean {
  return value === null || typeof value === 'string';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
