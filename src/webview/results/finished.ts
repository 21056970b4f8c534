// A finished run: its header and status, the error or the cancel notice, and every result set.
import type { FinishedMessage } from '../../shared/results/protocol';
import { formatDuration } from '../../shared/format/duration';
import { el } from '../shared/dom';
import { renderHeader } from './header';
import { renderError, renderNotice } from './problems';
import { renderSet, type ResultSetActions } from './resultSet';

/** `restored`: drawn again from the saved state after a window reload, not sent by a run just now. */
export function renderFinished(
  app: HTMLElement,
  message: FinishedMessage,
  actions: ResultSetActions,
  restored = false,
): void {
  app.replaceChildren();
  const statusText =
    message.status === 'ok'
      ? `${message.committed ? 'Committed' : 'Done'} in ${formatDuration(message.totalMs)}`
      : message.status === 'cancelled'
        ? 'Cancelled'
        : 'Failed';
  app.append(renderHeader(message.header, statusText, message.status));
  if (restored)
    app.append(
      renderNotice('Shown again after the window reloaded. Run the snippet again for current results.', 'restored'),
    );
  if (message.status === 'cancelled') app.append(renderNotice(message.notice ?? 'Cancelled by you.', 'cancelled'));
  else if (message.error) app.append(renderError(message.error));
  message.sets.forEach((set, index) => app.append(renderSet(set, index, actions)));
  if (message.sets.length === 0 && !message.error && message.status !== 'cancelled')
    app.append(el('p', { className: 'empty', text: 'The block returned no result sets.' }));
}
