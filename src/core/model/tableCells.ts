// Table rows as markdown-it 15 reads them (the GFM rule): a row splits on every pipe that no backslash
// escapes, inside code spans too, and an empty first or last cell (the outer pipes) does not count.

/** The cells of a raw row, as markdown-it splits them (escaped pipes kept as `|`). */
function splitRow(line: string): string[] {
  const text = line.trim();
  const cells: string[] = [];
  let current = '';
  let lastPos = 0;
  let escaped = false;
  for (let pos = 0; pos < text.length; pos++) {
    const c = text.charCodeAt(pos);
    if (c === 124 /* | */) {
      if (!escaped) {
        cells.push(current + text.slice(lastPos, pos));
        current = '';
        lastPos = pos + 1;
      } else {
        current += text.slice(lastPos, pos - 1);
        lastPos = pos;
      }
    }
    escaped = c === 92; /* \ */
  }
  cells.push(current + text.slice(lastPos));
  if (cells.length && cells[0] === '') cells.shift();
  if (cells.length && cells[cells.length - 1] === '') cells.pop();
  return cells;
}

export function countRawCells(line: string): number {
  return splitRow(line).length;
}

const CODE_SPAN = /(`+)([\s\S]*?[^`])\1(?!`)/g;

/** Code spans of a raw row that hold an unescaped pipe: each one splits a cell the writer meant to keep whole. */
export function pipesInCodeSpans(line: string): string[] {
  if (line.indexOf('`') === -1) return [];
  const spans: string[] = [];
  CODE_SPAN.lastIndex = 0;
  for (let m = CODE_SPAN.exec(line); m; m = CODE_SPAN.exec(line)) {
    if (/(^|[^\\])\|/.test(m[2])) spans.push(m[0]);
  }
  return spans;
}

const DELIMITER_CELL = /^:?-+:?$/;

/** Whether a raw line is a table's delimiter row (`|---|:--:|`), by markdown-it's rule. */
export function isDelimiterRow(line: string): boolean {
  const text = line.trim();
  if (!text || !/^[|\-:][|\-:\s]*$/.test(text) || text.indexOf('-') === -1) return false;
  if (text[0] === '-' && /^-\s/.test(text)) return false; // a list item, not a delimiter
  const cells = text.split('|');
  for (let i = 0; i < cells.length; i++) {
    const cell = cells[i].trim();
    if (!cell) {
      if (i === 0 || i === cells.length - 1) continue;
      return false;
    }
    if (!DELIMITER_CELL.test(cell)) return false;
  }
  return true;
}
