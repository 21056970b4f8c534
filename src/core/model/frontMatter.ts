// YAML front matter is not markdown: blank it out (keeping line numbers) and keep its simple keys.
export interface FrontMatter {
  text: string;
  fields: Record<string, string>;
  endLine?: number;
}

export function stripFrontMatter(text: string): FrontMatter {
  if (!text.startsWith('---')) return { text, fields: {} };
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1 || text.slice(0, firstBreak).trim() !== '---') return { text, fields: {} };
  const closing = /\n(?:---|\.\.\.)[ \t]*\r?(?:\n|$)/g;
  closing.lastIndex = firstBreak;
  const m = closing.exec(text);
  if (!m) return { text, fields: {} };
  const end = m.index + m[0].length;
  const block = text.slice(0, end);
  const fields: Record<string, string> = {};
  for (const line of block.split(/\r?\n/).slice(1, -1)) {
    const kv = /^([A-Za-z][\w -]*):\s*(.*?)\s*$/.exec(line);
    if (kv && kv[2] !== '') fields[kv[1].trim()] = kv[2].replace(/^["']|["']$/g, '');
  }
  const lineBreaks = block.replace(/[^\n]/g, '');
  return { text: lineBreaks + text.slice(end), fields, endLine: lineBreaks.length - 1 };
}
