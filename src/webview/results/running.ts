// A run going on: its header, a spinner with the time so far, and Cancel. And the same run seen again after a
// window reload, when its outcome can no longer arrive.
import type { RunHeader, RunningMessage } from '../../shared/results/protocol';
import { formatDuration } from '../../shared/format/duration';
import { countOf } from '../../shared/format/count';
import { el } from '../shared/dom';
import { renderHeader } from './header';
import { renderNotice } from './problems';

export function renderRunning(app: HTMLElement, message: RunningMessage, cancel: () => void): void {
  app.replaceChildren();
  const started = performance.now();
  const status = el('span', { text: 'Running…' });
  const button = el('button', {
    className: 'cancel',
    text: 'Cancel',
    attrs: { type: 'button', 'aria-label': 'Cancel the running query' },
  });
  button.addEventListener('click', () => {
    button.disabled = true;
    button.textContent = 'Cancelling…';
    cancel();
  });
  app.append(
    renderHeader(message.header, countOf(message.statementCount, 'statement'), 'running'),
    el('div', { className: 'running' }, [
      el('span', { className: 'spinner', attrs: { 'aria-hidden': 'true' } }),
      status,
      button,
    ]),
  );
  const timer = window.setInterval(() => {
    if (!document.body.contains(status)) return window.clearInterval(timer);
    status.textContent = `Running… ${formatDuration(performance.now() - started)}`;
  }, 250);
  // Only when the panel already has the keyboard: focusing from a page in the background takes it from whatever
  // the user is typing into (a password prompt), and their Enter would press Cancel.
  if (document.hasFocus()) button.focus();
}

/** A run that was going when the window reloaded: the reload ended the extension's side of it. */
export function renderInterrupted(app: HTMLElement, header: RunHeader): void {
  const advice =
    header.mode === 'read'
      ? 'A read-only run changes nothing: run the snippet again to see its results.'
      : 'Check whether its changes were made before you run it again.';
  app.replaceChildren(
    renderHeader(header, 'Interrupted', 'cancelled'),
    renderNotice(
      `The window reloaded while this was running, so its outcome never reached this panel. ${advice}`,
      'interrupted',
    ),
  );
}
