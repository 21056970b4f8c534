// Code blocks copied from a terminal: `$ kubectl get pods` followed by the table it printed, or a psql session
// (`db=# select …;` followed by the result). Only the prompted lines (and the lines that continue them) are commands;
// everything else is output, which never runs and never holds placeholders. The model reads transcripts itself, so the
// SQL runner and the terminal get the commands alone (see Snippet.body).

export type TranscriptLineKind = 'command' | 'continuation' | 'output';

export interface TranscriptLine {
  kind: TranscriptLineKind;
  /** Characters before the command text on this line: the prompt and the space after it. */
  prompt: number;
}

export interface Transcript {
  kind: 'shell' | 'psql';
  lines: TranscriptLine[];
}

// Shell prompts as terminals print them: `$`, `(venv) $`, `user@host:~/dir$`, `[root@db1 ~]#`, `~/app$`, `bash-5.1$`,
// `PS C:\>`, `C:\>`; zsh and console sessions also end prompts in `%`.
// One expression for all of them: it runs on every line of every shell block as the runbook is typed.
const SHELL_PROMPT = new RegExp(
  '^(' +
    [
      String.raw`\s*(?:\([\w.-]+\)\s*)?\$`,
      String.raw`\s*(?:\([\w.-]+\)\s*)?[\w.-]+@[\w.-]+(?::\S*?)?\s?[$#%]`,
      String.raw`\s*\[[\w.-]+@[\w.-]+[^\]]*\]\s?[$#%]`,
      String.raw`\s*~[^\s$#%]*\s?[$#%]`,
      String.raw`\s*-?(?:ba|z)?sh-[\d.]+[$#]`,
      String.raw`\s*PS [A-Za-z]:[^>]*>`,
      String.raw`\s*[A-Za-z]:\\[^>]*>`,
    ].join('|') +
    String.raw`)(?=\s|$)`,
);
const PERCENT_PROMPT = /^(\s*%)(?=\s|$)/;
// psql: `postgres=#` (superuser) or `app=>` start a statement; `-#`, `(#`, `'#`, `"#`, `$#`, `*#` continue one.
const PSQL_START = /^(\s*[A-Za-z_][\w.$-]*=[#>])(?=\s|$)/;
const PSQL_CONTINUATION = /^(\s*[A-Za-z_][\w.$-]*[-('"*$][#>])(?=\s|$)/;
// What bash prints before the lines that continue a command.
const SECONDARY_PROMPT = /^>(?: |$)/;
const HERE_DOC = /<<-?\s*(['"]?)([A-Za-z_][\w-]*)\1/;
// Result rows and footers psql prints: `-----+------`, ` 12 | active`, `(3 rows)`.
const RESULT_LINE = /^\s*(?:[-+]{3,}\s*$|\(\d+ rows?\)\s*$|.*\s\|\s)/;

function promptOf(line: string, percent: boolean): number {
  const m = SHELL_PROMPT.exec(line);
  if (m) return m[1].length;
  if (percent) {
    const m = PERCENT_PROMPT.exec(line);
    if (m) return m[1].length;
  }
  return -1;
}

/** The width of a prompt and the one space after it. */
function withSpace(line: string, prompt: number): number {
  return line[prompt] === ' ' || line[prompt] === '\t' ? prompt + 1 : prompt;
}

/**
 * Reads a shell block as a transcript when it is one: a session fence (`console`), or any other shell fence where a
 * line carries a prompt. A block whose only prompts are psql's is a psql session, not a shell one: undefined.
 */
export function readShellTranscript(lines: readonly string[], session: boolean, zsh: boolean): Transcript | undefined {
  const percent = session || zsh;
  const prompts = lines.map((line) => (line.trim() === '$' || line.trim() === '%' ? -1 : promptOf(line, percent)));
  if (!session && prompts.every((p) => p === -1)) return undefined;
  if (prompts.every((p) => p === -1) && lines.some((line) => PSQL_START.test(line))) return undefined;
  const out: TranscriptLine[] = [];
  let open: OpenCommand | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (prompts[i] !== -1) {
      const prompt = withSpace(line, prompts[i]);
      out.push({ kind: 'command', prompt });
      open = openCommandAfter(undefined, line.slice(prompt));
      continue;
    }
    if (open) {
      const ps2 = SECONDARY_PROMPT.exec(line);
      const prompt = open.hereDoc ? 0 : ps2 ? ps2[0].length : 0;
      if (open.hereDoc || ps2 || open.continues) {
        out.push({ kind: 'continuation', prompt });
        open = openCommandAfter(open, line.slice(prompt));
        continue;
      }
    }
    out.push({ kind: 'output', prompt: 0 });
    open = undefined;
  }
  return { kind: 'shell', lines: out };
}

interface OpenCommand {
  /** The here-document whose body is still being read. */
  hereDoc?: string;
  /** The line ends in a backslash or inside quotes: the next line belongs to the command. */
  continues: boolean;
  quote?: "'" | '"';
}

/** What is still open after `text`, a line of a command (undefined when the command is complete). */
function openCommandAfter(previous: OpenCommand | undefined, text: string): OpenCommand | undefined {
  if (previous?.hereDoc) {
    return text.replace(/^\t+/, '').trim() === previous.hereDoc ? undefined : previous;
  }
  let quote = previous?.quote;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === '\\') i++;
    else if (c === "'" || c === '"') quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) break;
  }
  const hereDoc = quote ? undefined : HERE_DOC.exec(text)?.[2];
  const continues = quote !== undefined || /\\$/.test(text) || /(?:&&|\|\||\|)\s*$/.test(text);
  if (!hereDoc && !continues) return undefined;
  return { ...(hereDoc ? { hereDoc } : {}), continues, ...(quote ? { quote } : {}) };
}

/** Reads a psql session: undefined when no line carries a psql prompt (`db=#`, `app=>`). */
export function readPsqlTranscript(lines: readonly string[]): Transcript | undefined {
  if (!lines.some((line) => PSQL_START.test(line))) return undefined;
  const out: TranscriptLine[] = [];
  let inStatement = false;
  for (const line of lines) {
    const start = PSQL_START.exec(line);
    const continued = inStatement ? PSQL_CONTINUATION.exec(line) : null;
    const prompt = start ? withSpace(line, start[1].length) : continued ? withSpace(line, continued[1].length) : -1;
    if (prompt !== -1) {
      const text = line.slice(prompt);
      // `\x`, `\dt+`: psql's own commands, not SQL.
      if (start && text.trimStart().startsWith('\\')) {
        out.push({ kind: 'output', prompt: 0 });
        inStatement = false;
        continue;
      }
      out.push({ kind: start ? 'command' : 'continuation', prompt });
      inStatement = !endsStatement(text);
      continue;
    }
    if (inStatement && line.trim() !== '' && !RESULT_LINE.test(line)) {
      out.push({ kind: 'continuation', prompt: 0 });
      inStatement = !endsStatement(line);
      continue;
    }
    out.push({ kind: 'output', prompt: 0 });
    inStatement = false;
  }
  return { kind: 'psql', lines: out };
}

function endsStatement(text: string): boolean {
  const code = text.replace(/--.*$/, '').trim();
  return code === '' || code.endsWith(';') || /\\g\w*$/.test(code);
}

/** The block with each prompt turned into spaces and each output line emptied: the commands alone, line for line. */
export function commandsOf(lines: readonly string[], transcript: Transcript): string[] {
  return lines.map((line, i) => {
    const { kind, prompt } = transcript.lines[i];
    if (kind === 'output') return '';
    return prompt > 0 ? ' '.repeat(prompt) + line.slice(prompt) : line;
  });
}
