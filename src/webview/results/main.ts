// The Query Results page: draws what the extension sends (a run going, a run finished), keeps the last of it with
// setState, and draws that again when VS Code restores the panel after a window reload. DOM only; every value is
// set as text (src/webview/shared/dom.ts).
import type { ResultsProtocol, ToWebview } from '../../shared/results/protocol';
import { readResultsState, resultsStateOf } from '../../shared/results/state';
import { connectToHost } from '../shared/hostConnection';
import type { ResultSetActions } from './resultSet';
import { renderFinished } from './finished';
import { renderInterrupted, renderRunning } from './running';

const host = connectToHost<ResultsProtocol>();
const app = document.getElementById('app')!;
/**
 * How long finished results must stay on screen before they are saved. Saving a large result keeps VS Code's
 * main thread busy for a moment (measured: the next run's 10,000 rows painted in 408–534 ms instead of 150 ms on a
 * loaded machine when the save came right after the paint), so a run that follows at once cancels the save.
 */
const SAVE_DELAY_MS = 500;
let pendingSave: number | undefined;

/** Keeps what the page shows for a reload: a run going at once (it is small), finished results once settled. */
function save(message: ToWebview, delayMs: number): void {
  window.clearTimeout(pendingSave);
  const write = () => {
    host.saveState(resultsStateOf(message));
    // Which run a reload would bring back, for whoever must know it is saved before reloading (the tests).
    app.dataset.savedRun = String(message.header.runId);
  };
  if (delayMs === 0) write();
  else pendingSave = window.setTimeout(write, delayMs);
}

function actionsFor(runId: number): ResultSetActions {
  return {
    copy: (setIndex, format, rowOrder) => host.post({ type: 'copy', runId, setIndex, format, rowOrder }),
    save: (setIndex, rowOrder) => host.post({ type: 'save', runId, setIndex, rowOrder }),
  };
}

function show(message: ToWebview): void {
  if (message.type === 'running') {
    renderRunning(app, message, () => host.post({ type: 'cancel', runId: message.header.runId }));
    save(message, 0);
    return;
  }
  const t0 = performance.now();
  renderFinished(app, message, actionsFor(message.header.runId));
  const buildMs = performance.now() - t0;
  // A requestAnimationFrame callback runs before the frame is painted; a task queued from it runs
  // once that frame is on screen. Timed from the extension's postMessage, so delivering the rows
  // counts too (both clocks are epoch-based and on the same machine).
  requestAnimationFrame(() =>
    setTimeout(() => {
      const paintedAt = performance.timeOrigin + performance.now();
      const rows = message.sets.reduce((n, s) => n + s.rows.length, 0);
      const ms = message.postedAt === undefined ? performance.now() - t0 : Math.max(0, paintedAt - message.postedAt);
      host.post({ type: 'rendered', runId: message.header.runId, ms, buildMs, rows });
      save(message, SAVE_DELAY_MS);
    }, 0),
  );
}

host.onMessage(show);

// VS Code restored this panel after a reload: draw what the page showed before it.
const saved = readResultsState(host.savedState());
if (saved?.shown.type === 'finished') renderFinished(app, saved.shown, actionsFor(saved.shown.header.runId), true);
else if (saved?.shown.type === 'running') renderInterrupted(app, saved.shown.header);

host.ready();
