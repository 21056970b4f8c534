// Problems a reviewer would flag in a runbook, each with its 0-based line: they must be right when they speak, since a
// Problems panel full of false alarms on a team's real runbook teaches people to ignore it. Other checks (stale
// Supabase CLI commands, …) plug in as extra ProblemCheckers and are reported the same way.
import type { Playbook, Runbook, Section, Snippet } from '../model/types';
import { countRawCells, isDelimiterRow, pipesInCodeSpans } from '../model/tableCells';
import { stripQuoteMarkers } from '../model/quoteMarkers';
import { isRemedyLabel } from '../model/partLabels';
import { placeholderAsWritten } from '../model/placeholders';
import { isSelfDescribing, ProsePhrases } from './placeholderExplanations';
import { looksLikeCommands } from './commandLike';

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface Problem {
  /** 0-based first line. */
  line: number;
  /** 0-based last line, when the problem spans more than one. */
  endLine?: number;
  severity: ProblemSeverity;
  /** Stable kebab-case id, e.g. `unclosed-fence`. */
  code: string;
  /** The problem in a few words: what the Problems panel shows. */
  message: string;
  /** Why it matters and what to do: the hover, and `check`'s line under the problem. */
  detail?: string;
}

export type ProblemChecker = (runbook: Runbook, source: string) => Problem[];

export function checkRunbook(runbook: Runbook, source: string, checkers: readonly ProblemChecker[] = []): Problem[] {
  const lines = source.split(/\r\n|\r|\n/);
  const inCode = codeLines(runbook, lines.length);
  const problems: Problem[] = [
    ...playbookProblems(runbook, lines),
    ...placeholderProblems(runbook, lines, inCode),
    ...tableProblems(runbook, lines, inCode),
    ...codeBlockProblems(runbook),
  ];
  for (const checker of checkers) {
    try {
      problems.push(...checker(runbook, source));
    } catch (error) {
      // One broken check must not hide the others' findings.
      problems.push({
        line: 0,
        severity: 'info',
        code: 'check-failed',
        message: 'A runbook check failed',
        detail: `A runbook check failed: ${(error as Error).message}`,
      });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

/**
 * A playbook that says what is wrong but not what to do. One without labelled parts that tells its fix in prose,
 * steps or commands is fine as written; an empty one is not.
 */
function playbookProblems(runbook: Runbook, lines: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const sections = sectionsById(runbook.sections);
  for (const playbook of runbook.playbooks) {
    const section = sections.get(playbook.sectionId);
    if (!section || hasRemedy(section, playbook)) continue;
    if (section.parts.length === 0 && (section.items.length > 0 || hasText(section, lines))) continue;
    problems.push({
      line: playbook.line,
      severity: 'error',
      code: 'playbook-missing-mitigation',
      message: `Playbook "${playbook.name}" does not say what to do`,
      detail: `Playbook "${playbook.name}" has no Mitigation part: add one (a **Mitigation:** label or a Mitigation heading; Resolution, Remediation, Workaround and Steps count too) with the steps that fix the problem.`,
    });
  }
  return problems;
}

function hasRemedy(section: Section, playbook: Playbook): boolean {
  return playbook.mitigation !== undefined || section.parts.some((p) => isRemedyLabel(p.label));
}

function hasText(section: Section, lines: readonly string[]): boolean {
  for (let l = section.line + 1; l <= section.endLine && l < lines.length; l++) if (lines[l].trim() !== '') return true;
  return false;
}

function sectionsById(sections: readonly Section[]): Map<string, Section> {
  const byId = new Map<string, Section>();
  const walk = (list: readonly Section[]) => {
    for (const s of list) {
      byId.set(s.id, s);
      walk(s.children);
      for (const part of s.parts) walk(part.sections ?? []);
    }
  };
  walk(sections);
  return byId;
}

/**
 * A placeholder whose name does not say what value it takes and that no prose or comment around its block mentions.
 * Reported once per name, at its first use.
 */
function placeholderProblems(runbook: Runbook, lines: readonly string[], inCode: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  const reported = new Set<string>();
  const ranges = contextRanges(runbook);
  const phrasesOf = new Map<string, ProsePhrases>();
  const explainedNear = (snippet: Snippet, name: string): boolean => {
    const [from, to] = ranges.get(snippet.index) ?? [0, lines.length - 1];
    const key = `${from}:${to}`;
    let phrases = phrasesOf.get(key);
    if (!phrases) {
      phrases = proseBetween(runbook, lines, inCode, from, to);
      phrasesOf.set(key, phrases);
    }
    return phrases.mentions(name);
  };
  for (const snippet of runbook.snippets) {
    for (const placeholder of snippet.placeholders) {
      const name = placeholder.name;
      if (reported.has(name) || isSelfDescribing(name) || explainedNear(snippet, name)) continue;
      reported.add(name);
      const written = placeholderAsWritten(placeholder);
      problems.push({
        line: placeholder.line,
        severity: 'warning',
        code: 'unexplained-placeholder',
        message: `What goes in ${written}?`,
        detail: `Placeholder ${written} does not say what value it takes and nothing near the block explains it: give it a name that says it (\`<customer_id>\`), or say in a sentence what to put there (for example "\`${written}\`: the batch id from the sync job").`,
      });
    }
  }
  return problems;
}

/** For each snippet, the lines whose prose may explain its placeholders: its playbook, else its section. */
function contextRanges(runbook: Runbook): Map<number, [number, number]> {
  const ranges = new Map<number, [number, number]>();
  const playbooks = new Map(runbook.playbooks.map((p) => [p.id, p]));
  const sections = sectionsById(runbook.sections);
  const parts = new Map<string, { line: number; endLine: number }>();
  for (const section of sections.values()) for (const part of section.parts) if (part.id) parts.set(part.id, part);
  for (const snippet of runbook.snippets) {
    const holder =
      (snippet.playbookId && playbooks.get(snippet.playbookId)) ||
      sections.get(snippet.sectionId) ||
      parts.get(snippet.sectionId);
    if (holder) ranges.set(snippet.index, [holder.line, holder.endLine]);
  }
  return ranges;
}

/** The phrases of the prose between two lines, and of the comments in its code blocks. */
function proseBetween(
  runbook: Runbook,
  lines: readonly string[],
  inCode: Uint8Array,
  from: number,
  to: number,
): ProsePhrases {
  const phrases = new ProsePhrases();
  for (let l = from; l <= to && l < lines.length; l++) if (!inCode[l]) phrases.add(lines[l]);
  // Snippets are in document order: start at the first that ends inside the range, stop at the first past it.
  const snippets = runbook.snippets;
  let low = 0;
  let high = snippets.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (snippets[middle].endLine < from) low = middle + 1;
    else high = middle;
  }
  for (let k = low; k < snippets.length && snippets[k].startLine <= to; k++) {
    for (const line of snippets[k].source.split('\n')) {
      const comment = /^\s*(?:#|--|\/\/)\s*(.*)$/.exec(line);
      if (comment) phrases.add(comment[1]);
    }
  }
  return phrases;
}

function codeLines(runbook: Runbook, lineCount: number): Uint8Array {
  const inCode = new Uint8Array(lineCount);
  for (const s of runbook.snippets) for (let l = s.startLine; l <= s.endLine && l < lineCount; l++) inCode[l] = 1;
  return inCode;
}

function tableProblems(runbook: Runbook, lines: readonly string[], inCode: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  const pipeHint = (title: string, spans: string[]) =>
    `Table "${title}": the pipe in ${spans.join(', ')} splits the cell, because a table splits on every unescaped |, even inside code; write it as \\|`;
  for (const table of runbook.tables) {
    const headerSpans = pipesInCodeSpans(rawRow(lines[table.line]));
    if (headerSpans.length)
      problems.push({
        line: table.line,
        severity: 'error',
        code: 'table-pipe-in-code',
        message: 'A | in code splits this table cell',
        detail: pipeHint(table.title, headerSpans),
      });
    for (const row of table.rows) {
      const spans = pipesInCodeSpans(rawRow(lines[row.line]));
      if (spans.length) {
        problems.push({
          line: row.line,
          severity: 'error',
          code: 'table-pipe-in-code',
          message: 'A | in code splits this table cell',
          detail: pipeHint(table.title, spans),
        });
      } else if (row.rawCellCount !== table.header.length) {
        problems.push({
          line: row.line,
          severity: 'error',
          code: 'table-column-count',
          message: `Row has ${row.rawCellCount} cells, the header has ${table.header.length}`,
          detail: `Table "${table.title}": row has ${row.rawCellCount} cells, the header has ${table.header.length}; markdown ${row.rawCellCount > table.header.length ? 'drops the extra cells' : 'leaves the missing cells empty'}.`,
        });
      }
    }
  }
  for (const problem of runbook.typed.problems)
    problems.push({ line: problem.line, severity: 'error', code: 'table-value', message: problem.message });
  problems.push(...tablesThatDidNotParse(runbook, lines, inCode));
  return problems;
}

// A header and a delimiter row with different cell counts are not a table: markdown shows the lines as text.
function tablesThatDidNotParse(runbook: Runbook, lines: readonly string[], inCode: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  const skip = inCode.slice();
  for (const t of runbook.tables) for (let l = t.line; l <= t.endLine && l < lines.length; l++) skip[l] = 1;
  for (let l = 1; l < lines.length; l++) {
    if (skip[l] || skip[l - 1] || lines[l].indexOf('|') === -1 || lines[l].indexOf('-') === -1) continue;
    const delimiter = rawRow(lines[l]);
    const header = rawRow(lines[l - 1]);
    if (!isDelimiterRow(delimiter) || header.indexOf('|') === -1) continue;
    const headerCells = countRawCells(header);
    const delimiterCells = countRawCells(delimiter);
    if (headerCells === delimiterCells) continue;
    problems.push({
      line: l - 1,
      endLine: l,
      severity: 'error',
      code: 'table-not-parsed',
      message: `Not a table: the separator row has ${delimiterCells} cell${delimiterCells === 1 ? '' : 's'}, the header ${headerCells}`,
      detail: `This looks like a table but the separator row has ${delimiterCells} cell${delimiterCells === 1 ? '' : 's'}, the header has ${headerCells}; it shows as plain text until they match`,
    });
  }
  return problems;
}

/** A raw line without the blockquote markers in front of it. */
function rawRow(line: string | undefined): string {
  return stripQuoteMarkers(line ?? '', Infinity);
}

function codeBlockProblems(runbook: Runbook): Problem[] {
  const problems: Problem[] = [];
  for (const snippet of runbook.snippets) {
    // Untagged blocks of output, logs, diagrams and tables are right as they are; untagged commands cannot be run.
    if (snippet.kind === 'fence' && snippet.language === '' && looksLikeCommands(snippet.source)) {
      problems.push({
        line: snippet.startLine,
        severity: 'warning',
        code: 'fence-without-language',
        message: 'Commands in a block without a language',
        detail:
          'This block reads as commands but its fence names no language, so it cannot be run from the runbook: write ```bash, ```sql or ```console after the opening fence (```text when it is output).',
      });
    }
  }
  for (const d of runbook.diagnostics) {
    const severity = d.code === 'empty-heading' ? 'warning' : 'error';
    problems.push({
      line: d.line,
      severity,
      code: d.code,
      message: shortDiagnostic(d.code, d.message),
      detail: d.message,
    });
  }
  return problems;
}

function shortDiagnostic(code: string, message: string): string {
  switch (code) {
    case 'unclosed-fence':
      return 'Code fence never closed';
    case 'markdown-error':
      return 'Markdown could not be parsed';
    default:
      return message;
  }
}
