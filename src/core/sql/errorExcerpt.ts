// The failing statement with a caret under the character Postgres pointed at, as psql shows it.
// Postgres counts the 1-based position in characters (code points) of the text it received, so
// the caret is placed by code points, and a tab before it stays a tab so the caret lines up.

/** Lines of the statement shown around the error line; the rest is cut to "…". */
export const EXCERPT_CONTEXT_LINES = 3;

export function caretExcerpt(statement: string, position: number | undefined): string {
  const chars = Array.from(statement);
  if (position === undefined || !Number.isInteger(position) || position < 1 || position > chars.length + 1)
    return statement;
  const at = position - 1;
  let lineStart = at;
  while (lineStart > 0 && chars[lineStart - 1] !== '\n') lineStart--;
  let lineEnd = at;
  while (lineEnd < chars.length && chars[lineEnd] !== '\n') lineEnd++;
  const caret = `${chars
    .slice(lineStart, at)
    .map((c) => (c === '\t' ? '\t' : ' '))
    .join('')}^`;

  const before = chars.slice(0, lineEnd).join('').split('\n');
  const after =
    lineEnd < chars.length
      ? chars
          .slice(lineEnd + 1)
          .join('')
          .split('\n')
      : [];
  const shownBefore = before.slice(-(EXCERPT_CONTEXT_LINES + 1));
  const shownAfter = after.slice(0, EXCERPT_CONTEXT_LINES);
  return [
    ...(before.length > shownBefore.length ? ['…'] : []),
    ...shownBefore,
    caret,
    ...shownAfter,
    ...(after.length > shownAfter.length ? ['…'] : []),
  ].join('\n');
}
