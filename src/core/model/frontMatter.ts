// Front matter is not markdown: blank it out (keeping line numbers) and keep its simple keys. Three forms are read:
// YAML between `---` lines (Hugo, Jekyll, Docusaurus), TOML between `+++` lines (Hugo), and TOML between `---` lines
// (Supabase's troubleshooting articles write `title = "…"` there).
export interface FrontMatter {
  text: string;
  fields: Record<string, string>;
  endLine?: number;
  /** 0-based line of the `title` key, when there is one. */
  titleLine?: number;
}

const YAML_FIELD = /^([A-Za-z][\w -]*):\s*(.*?)\s*$/;
const TOML_FIELD = /^([A-Za-z][\w-]*)\s*=\s*(.*?)\s*$/;

export function stripFrontMatter(text: string): FrontMatter {
  const fence = text.startsWith('---') ? '---' : text.startsWith('+++') ? '+++' : undefined;
  if (!fence) return { text, fields: {} };
  const firstBreak = text.indexOf('\n');
  if (firstBreak === -1 || text.slice(0, firstBreak).trim() !== fence) return { text, fields: {} };
  const closing = fence === '---' ? /\n(?:---|\.\.\.)[ \t]*\r?(?:\n|$)/g : /\n\+\+\+[ \t]*\r?(?:\n|$)/g;
  closing.lastIndex = firstBreak;
  const m = closing.exec(text);
  if (!m) return { text, fields: {} };
  const end = m.index + m[0].length;
  const block = text.slice(0, end);
  const lines = block.split(/\r?\n/).slice(1, -1);
  const toml = fence === '+++' || isToml(lines);
  const fields: Record<string, string> = {};
  let titleLine: number | undefined;
  lines.forEach((line, k) => {
    const kv = (toml ? TOML_FIELD : YAML_FIELD).exec(line);
    if (!kv || kv[2] === '') return;
    const value = toml ? tomlValue(kv[2]) : kv[2].replace(/^["']|["']$/g, '');
    if (value === undefined || value === '') return;
    const key = kv[1].trim();
    fields[key] = value;
    if (key.toLowerCase() === 'title' && titleLine === undefined) titleLine = k + 1;
  });
  const lineBreaks = block.replace(/[^\n]/g, '');
  return {
    text: lineBreaks + text.slice(end),
    fields,
    endLine: lineBreaks.length - 1,
    ...(titleLine !== undefined ? { titleLine } : {}),
  };
}

// `key = value` on more lines than `key: value`: TOML written between `---` lines.
function isToml(lines: readonly string[]): boolean {
  let toml = 0;
  let yaml = 0;
  for (const line of lines) {
    if (TOML_FIELD.test(line)) toml++;
    else if (YAML_FIELD.test(line)) yaml++;
  }
  return toml > yaml;
}

/** A TOML value as text: a string unquoted, an array of strings joined with commas, a number or boolean as written. */
function tomlValue(raw: string): string | undefined {
  const withoutComment = raw.replace(/\s+#[^"']*$/, '');
  const string = /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(withoutComment);
  if (string) return string[1] !== undefined ? string[1].replace(/\\(["\\])/g, '$1') : string[2];
  if (withoutComment.startsWith('[')) {
    const items = [...withoutComment.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((x) => x[1] ?? x[2]);
    return items.join(', ');
  }
  if (withoutComment.startsWith('{') || withoutComment.startsWith('"""') || withoutComment.startsWith("'''"))
    return undefined;
  return withoutComment;
}
