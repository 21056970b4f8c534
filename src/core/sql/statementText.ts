// Lines and labels of statements within a runbook block, shared by the parser's splitter and our lexer's.

/** Offsets at which each line of `text` starts (line feeds end lines, as in the editor). */
export function lineStartOffsets(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based line holding `offset`. */
export function lineOf(lineStarts: readonly number[], offset: number): number {
  let low = 0;
  let high = lineStarts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (lineStarts[middle] <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The label written in comments above a statement ("Check active connections"), markers stripped. */
export function commentLabel(comments: readonly string[]): string {
  return comments
    .map((text) =>
      text.startsWith('--')
        ? text.replace(/^--+\s?/, '').trimEnd()
        : text
            .replace(/^\/\*+\s*/, '')
            .replace(/\s*\*+\/$/, '')
            .trim(),
    )
    .filter((line) => line.length > 0)
    .join('\n');
}

/** A blank line between two comments starts a new label. */
export function holdsBlankLine(whitespace: string): boolean {
  return /\n[^\S\n]*\n/.test(whitespace);
}
