// markdown-it reads a line inside a blockquote without its `>` markers; the model strips them the same way
// before it looks at a raw line (a closing fence, a table row).
const QUOTE_MARKER = /^\s*>[ \t]?/;

export function stripQuoteMarkers(line: string, depth: number): string {
  let text = line;
  for (let d = 0; d < depth; d++) {
    const m = QUOTE_MARKER.exec(text);
    if (!m) break; // a lazy continuation line carries no marker
    text = text.slice(m[0].length);
  }
  return text;
}
