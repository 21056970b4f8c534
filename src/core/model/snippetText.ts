// What a code block is and what of it runs: its category (a `console` fence holding PromQL is a query, a `shell`
// fence holding a psql session is SQL), its transcript if it is one, the command text its label is read from, and —
// once every block of the runbook is known — its placeholders and the text the runners get (Snippet.body).
import type { Snippet, SnippetCategory } from './types';
import { categoryOf, isSessionLanguage, takesPlaceholders } from './languages';
import { looksLikePromQL } from './promql';
import { commandsOf, readPsqlTranscript, readShellTranscript, type Transcript } from './transcripts';
import {
  closedTagNames,
  collectAssignedVariables,
  placeholdersInLine,
  withCanonicalSpelling,
  type PlaceholderDialect,
} from './placeholders';

export interface SnippetText {
  category: SnippetCategory;
  transcript?: Transcript;
  /** The command text as written: prompts and output left out. Labels are read from it. */
  commandText: string;
}

// Transcripts as read at parse time, for the placeholder pass that runs once the whole runbook is parsed.
const transcripts = new WeakMap<Snippet, Transcript>();

export function readSnippetText(source: string, language: string): SnippetText {
  let category = categoryOf(language);
  if ((category === 'shell' || category === 'text') && looksLikePromQL(source))
    return { category: 'query', commandText: source };
  if (category !== 'shell' && category !== 'sql') return { category, commandText: source };
  const lines = source.split('\n');
  let transcript: Transcript | undefined;
  if (category === 'shell') {
    transcript = readShellTranscript(lines, isSessionLanguage(language), language === 'zsh');
    // A shell fence holding nothing but a psql session (`db=# select …;` and its result) is SQL.
    if (!transcript) {
      transcript = readPsqlTranscript(lines);
      if (transcript) category = 'sql';
    }
  } else {
    transcript = readPsqlTranscript(lines);
  }
  if (!transcript) return { category, commandText: source };
  const commands = commandsOf(lines, transcript).join('\n');
  // A session of output alone (`console` with no prompt) is labelled by what it shows.
  return { category, transcript, commandText: commands.trim() === '' ? source : commands };
}

/** Keeps the transcript read for a snippet until `finishRunnableText`. */
export function rememberTranscript(snippet: Snippet, transcript: Transcript | undefined): void {
  if (!transcript) return;
  transcripts.set(snippet, transcript);
  snippet.transcript = transcript.kind;
}

/**
 * Finds every snippet's placeholders and sets the text its runner gets (`body`). Runs once all snippets are known:
 * `${REGION}` is left for the reader only when no shell block of the runbook sets REGION.
 */
export function finishRunnableText(snippets: readonly Snippet[]): void {
  const linesOf = new Map<Snippet, Array<string | undefined>>();
  for (const snippet of snippets) if (dialectOf(snippet)) linesOf.set(snippet, runnableLines(snippet));
  // Which variables the runbook sets matters only for `${VAR}`: read them only when some shell block has one.
  const assigned = new Set<string>();
  const shell = [...linesOf].filter(([s]) => s.category === 'shell');
  if (shell.some(([s]) => s.source.indexOf('${') !== -1))
    for (const [, lines] of shell)
      for (const line of lines) if (line !== undefined) collectAssignedVariables(line, assigned);
  for (const [snippet, lines] of linesOf) {
    const dialect = dialectOf(snippet)!;
    const context = { closedTags: closedTagNames(snippet.source), assigned };
    const runnable: string[] = [];
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      if (line === undefined) {
        runnable.push('');
        continue;
      }
      const sites = isCommentLine(line, dialect) ? [] : placeholdersInLine(line, dialect, context);
      for (const site of sites)
        snippet.placeholders.push({
          name: site.name,
          line: snippet.bodyStartLine + i,
          column: site.column,
          ...(site.written !== `<${site.name}>` ? { written: site.written } : {}),
        });
      runnable.push(sites.length ? withCanonicalSpelling(line, sites) : line);
    }
    // Blocks that only show (a REST request) keep their text; blocks that run get the commands, spelled for the runner.
    if (dialect !== 'request') snippet.body = runnable.join('\n');
  }
}

function dialectOf(snippet: Snippet): PlaceholderDialect | undefined {
  if (snippet.category === 'sql') return 'sql';
  if (snippet.category === 'shell') return 'shell';
  if (snippet.category === 'code' && takesPlaceholders(snippet.language)) return 'request';
  return undefined;
}

/**
 * The snippet's lines as its runner should see them, undefined for a transcript's output. A shell transcript keeps a
 * `$` prompt of the same width on each command line (whatever its prompt was: `user@host:~$`, `%`), so the terminal
 * runner reads it as the transcript it is; a psql session's prompts become spaces.
 */
function runnableLines(snippet: Snippet): Array<string | undefined> {
  const lines = snippet.source.split('\n');
  const transcript = transcripts.get(snippet);
  if (!transcript) return lines;
  return lines.map((line, i) => {
    const { kind, prompt } = transcript.lines[i];
    if (kind === 'output') return undefined;
    if (prompt === 0) return line;
    const blank = transcript.kind === 'shell' && kind === 'command' ? `$${' '.repeat(prompt - 1)}` : ' '.repeat(prompt);
    return blank + line.slice(prompt);
  });
}

function isCommentLine(line: string, dialect: PlaceholderDialect): boolean {
  const text = line.trimStart();
  if (dialect === 'shell') return text.startsWith('#') || text.startsWith('$ #');
  if (dialect === 'sql') return text.startsWith('--');
  return false;
}
