// "12 s ago", kept current while the page is open: cells carry their time and are rewritten every few seconds.
import { formatDuration } from '../../shared/format/duration';

export function ago(at: number, now: number): string {
  const ms = Math.max(0, now - at);
  return ms < 1000 ? 'just now' : `${formatDuration(ms).replace(/\.\d+ s$/, ' s')} ago`;
}

/** Rewrites every `[data-at]` element under `root` from its time. */
export function refreshTimes(root: HTMLElement, now = Date.now()): void {
  for (const cell of root.querySelectorAll<HTMLElement>('[data-at]')) {
    const at = Number(cell.dataset.at);
    if (Number.isFinite(at)) cell.textContent = ago(at, now);
  }
}
