// Counts the cells of a raw GFM table row as a reader sees them: pipes inside backticks or escaped with
// a backslash do not split cells, and the optional leading and trailing pipes do not count.
export function countRawCells(line: string): number {
  let text = line.trim();
  if (text.startsWith('|')) text = text.slice(1);
  if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
  let cells = 1;
  let inCode = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') { i++; continue; }
    if (c === '`') inCode = !inCode;
    else if (c === '|' && !inCode) cells++;
  }
  return cells;
}
