// What went wrong, or what a cancel left behind: Postgres's error with its position, detail, hint and advice.
import type { ErrorView } from '../../shared/results/protocol';
import { el } from '../shared/dom';

/** A cancel the user asked for is not a failure: a neutral notice of what it left behind. */
export function renderNotice(notice: string, kind: string): HTMLElement {
  return el('section', { className: `notice ${kind}`, attrs: { role: 'status' } }, [el('p', { text: notice })]);
}

/** SQLSTATEs are five digits or capitals (42703, 22P02); anything else is a client-side code such as ECONNREFUSED. */
function codeLabel(code: string | undefined): string {
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) ? 'SQLSTATE' : 'Error code';
}

export function renderError(error: ErrorView): HTMLElement {
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
