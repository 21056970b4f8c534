// Placeholders the reader fills in, in the spellings runbooks use: `<org_id>`, `<instance label from alert>`,
// `[NAMESPACE]`, `{BRANCH_SLUG}`, and `${REGION}` where no line of the runbook sets REGION. They are read only in the
// command text of runnable blocks (not in comments, not in a transcript's output), never from HTML tags (`<br>`, a
// tag the block also closes) or generics (`Array<T>`, glued to the word before).
import type { Placeholder } from './types';

/** A placeholder's name, for every feature that finds placeholders (SQL, shell, the runbook check). */
export const PLACEHOLDER_NAME = '[A-Za-z_][A-Za-z0-9_-]*';

/** Which spellings a block's language takes: shell takes all, SQL all but `${VAR}`, requests (`http`) only `<name>`. */
export type PlaceholderDialect = 'shell' | 'sql' | 'request';

export interface PlaceholderSite {
  name: string;
  /** As written on the line. */
  written: string;
  column: number;
}

export interface PlaceholderContext {
  /** Tag names the block closes somewhere (`</div>`): `<div>` there is HTML, not a placeholder. */
  closedTags: ReadonlySet<string>;
  /** Shell variables some line of the runbook sets (`REGION=…`, `export REGION`, `read REGION`, `for REGION in`). */
  assigned: ReadonlySet<string>;
}

// `<name>` and `<words with single spaces>`; `[UPPER_NAME]`; `{UPPER_NAME}`; `${UPPER_NAME}`.
const SITE =
  /<([A-Za-z_][A-Za-z0-9_-]*(?: [A-Za-z0-9][A-Za-z0-9_-]*){0,7})>|\[([A-Z][A-Z0-9_-]*)\]|\{([A-Z][A-Z0-9_]*)\}|\$\{([A-Z][A-Z0-9_]*)\}/g;
const LETTER_OR_DIGIT = /[A-Za-z0-9]/;
const WORD_CHAR = /[A-Za-z0-9_]/;
// Tags of HTML's own vocabulary that appear on their own in commands (`echo "<br>"`): never a value to fill in.
const HTML_TAGS = new Set(
  'br hr img div span html head body script style table tr td th ul ol li pre code strong em'.split(' '),
);
// Words that make `<a and b>` a comparison in SQL rather than a placeholder with spaces.
const SQL_WORDS = new Set(
  'and or not in is null like ilike between select from where then else end as on join case when any all'.split(' '),
);
// Variables a shell or the extension provides: `${HOME}` is never a value the runbook leaves for the reader.
const ENVIRONMENT = new Set(
  (
    'HOME USER LOGNAME PATH PWD OLDPWD SHELL HOSTNAME HOST LANG LANGUAGE TERM TMPDIR TMP EDITOR VISUAL PAGER UID EUID ' +
    'PPID RANDOM SECONDS LINENO IFS PS1 PS2 PS4 DISPLAY BASH_SOURCE BASH_VERSION BASHPID SHLVL KUBECONFIG ' +
    'PGPASSWORD PGPASSFILE PGHOST PGPORT PGUSER PGDATABASE PGSSLMODE PGSSLROOTCERT PGOPTIONS PGAPPNAME ' +
    'SUPABASE_ACCESS_TOKEN SUPABASE_DB_PASSWORD'
  ).split(' '),
);

/** The placeholders written in one line of command text, with their columns in that line. */
export function placeholdersInLine(
  line: string,
  dialect: PlaceholderDialect,
  context: PlaceholderContext,
): PlaceholderSite[] {
  if (!/[<[{]/.test(line)) return [];
  const code = dialect === 'request' ? line : line.slice(0, commentStart(line, dialect));
  const singleQuoted = dialect === 'shell' && code.indexOf('$') !== -1 ? singleQuotedSpans(code) : undefined;
  const found: PlaceholderSite[] = [];
  SITE.lastIndex = 0;
  for (let m = SITE.exec(code); m; m = SITE.exec(code)) {
    const at = m.index;
    const before = at > 0 ? code[at - 1] : '';
    const after = code[at + m[0].length] ?? '';
    if (m[1] !== undefined) {
      // `<name>` glued to the word before is a generic or a redirection (`Array<T>`, `cat<in>`).
      if (before && LETTER_OR_DIGIT.test(before)) continue;
      const words = m[1].split(' ');
      if (words.length === 1 && (context.closedTags.has(m[1]) || HTML_TAGS.has(m[1]))) continue;
      if (words.length > 1 && (dialect === 'request' || words.some((w) => SQL_WORDS.has(w.toLowerCase())))) continue;
      found.push({ name: words.join('_'), written: m[0], column: at });
    } else if (dialect === 'request') {
      continue;
    } else if (m[2] !== undefined) {
      // `arr[INDEX]` indexes an array; `[A-Z0-9]` is a character class; `[[:alpha:]]` a POSIX class.
      if (!/[A-Z]{2}/.test(m[2]) || /^(?:[A-Z0-9]-[A-Z0-9])+$/.test(m[2])) continue;
      if ((before && (WORD_CHAR.test(before) || before === '[' || before === '$')) || after === ']' || after === '(')
        continue;
      found.push({ name: m[2], written: m[0], column: at });
    } else if (m[3] !== undefined) {
      // `{{NAME}}` is a template's, not the reader's.
      if (!/[A-Z]{2}/.test(m[3]) || before === '{' || after === '}') continue;
      found.push({ name: m[3], written: m[0], column: at });
    } else if (m[4] !== undefined) {
      if (dialect !== 'shell' || context.assigned.has(m[4]) || ENVIRONMENT.has(m[4])) continue;
      if (m[4].startsWith('RUNBOOK_') || singleQuoted?.some(([from, to]) => at > from && at < to)) continue;
      found.push({ name: m[4], written: m[0], column: at });
    }
  }
  return found;
}

/** Where a line's trailing comment starts (`#` after a space in shell, `--` in SQL), outside quotes; else its length. */
function commentStart(line: string, dialect: PlaceholderDialect): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (dialect === 'shell' && c === '\\') i++;
    else if (dialect === 'shell' && c === '#' && (i === 0 || /\s/.test(line[i - 1]))) return i;
    else if (dialect === 'sql' && c === '-' && line[i + 1] === '-') return i;
  }
  return line.length;
}

/** The [open, close] columns of each '…' string of a shell line, where `${VAR}` is text, not an expansion. */
function singleQuotedSpans(line: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let double = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && !double) {
      i++;
    } else if (c === '"') {
      double = !double;
    } else if (c === "'" && !double) {
      const close = line.indexOf("'", i + 1);
      const end = close === -1 ? line.length : close;
      spans.push([i, end]);
      i = end;
    }
  }
  return spans;
}

/** The line with every placeholder spelled `<name>`, so the runners find and quote it like any `<name>`. */
export function withCanonicalSpelling(line: string, sites: readonly PlaceholderSite[]): string {
  let out = line;
  for (let k = sites.length - 1; k >= 0; k--) {
    const site = sites[k];
    const canonical = `<${site.name}>`;
    if (site.written === canonical) continue;
    out = out.slice(0, site.column) + canonical + out.slice(site.column + site.written.length);
  }
  return out;
}

/** Names closed by a tag anywhere in the block (`</div>`), found in one pass. */
export function closedTagNames(body: string): Set<string> {
  const names = new Set<string>();
  if (body.indexOf('</') === -1) return names;
  for (const m of body.matchAll(/<\/([A-Za-z_][A-Za-z0-9_-]*)>/g)) names.add(m[1]);
  return names;
}

// `NAME=…` (also after export/local/declare/readonly), `read [-flags] NAME…`, `for NAME in`.
const ASSIGNMENT = /(?:^|[\s;&|(`])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)\+?=/g;
const EXPORTED = /(?:^|[\s;&|(])(?:export|local|readonly|declare(?:\s+-\w+)*)\s+([A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*)/g;
const READ = /(?:^|[\s;&|(])read\s+(?:-[a-zA-Z]+\s+(?:'[^']*'\s+|"[^"]*"\s+)?)*([A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*)/g;
const FOR = /(?:^|[\s;&|(])for\s+([A-Za-z_]\w*)\s+in\b/g;

/** Adds the shell variables a line of command text sets to `into`. */
export function collectAssignedVariables(line: string, into: Set<string>): void {
  if (line.indexOf('=') !== -1) for (const m of line.matchAll(ASSIGNMENT)) into.add(m[1]);
  for (const pattern of [EXPORTED, READ, FOR])
    for (const m of line.matchAll(pattern)) for (const name of m[1].split(/\s+/)) into.add(name);
}

export function uniquePlaceholderNames(placeholders: readonly Placeholder[]): string[] {
  return [...new Set(placeholders.map((p) => p.name))];
}

/** How a placeholder reads in messages and tooltips: as the runbook writes it. */
export function placeholderAsWritten(placeholder: Placeholder): string {
  return placeholder.written ?? `<${placeholder.name}>`;
}
