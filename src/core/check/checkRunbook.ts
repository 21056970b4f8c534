// Structural problems a reviewer would flag in a runbook, each with its 0-based line. Other checks (stale
// Supabase CLI commands, …) plug in as extra ProblemCheckers and are reported the same way.
import type { Runbook } from '../model/types';
import { countRawCells, isDelimiterRow, pipesInCodeSpans } from '../model/tableCells';
import { stripQuoteMarkers } from '../model/quoteMarkers';
import { PLACEHOLDER_NAME } from '../model/placeholders';

export type ProblemSeverity = 'error' | 'warning' | 'info';

export interface Problem {
  /** 0-based first line. */
  line: number;
  /** 0-based last line, when the problem spans more than one. */
  endLine?: number;
  severity: ProblemSeverity;
  /** Stable kebab-case id, e.g. `unclosed-fence`. */
  code: string;
  message: string;
}

export type ProblemChecker = (runbook: Runbook, source: string) => Problem[];

export function checkRunbook(runbook: Runbook, source: string, checkers: readonly ProblemChecker[] = []): Problem[] {
  const lines = source.split(/\r\n|\r|\n/);
  const inCode = codeLines(runbook, lines.length);
  const problems: Problem[] = [
    ...playbookProblems(runbook),
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
        message: `A runbook check failed: ${(error as Error).message}`,
      });
    }
  }
  return problems.sort((a, b) => a.line - b.line);
}

function playbookProblems(runbook: Runbook): Problem[] {
  const problems: Problem[] = [];
  for (const playbook of runbook.playbooks) {
    // Without Mitigation a playbook does not say what to do; a missing Diagnosis is sometimes deliberate.
    if (!playbook.diagnosis) {
      problems.push({
        line: playbook.line,
        severity: 'warning',
        code: 'playbook-missing-diagnosis',
        message: `Playbook "${playbook.name}" has no Diagnosis part (a **Diagnosis:** label or a Diagnosis sub-heading)`,
      });
    }
    if (!playbook.mitigation) {
      problems.push({
        line: playbook.line,
        severity: 'error',
        code: 'playbook-missing-mitigation',
        message: `Playbook "${playbook.name}" has no Mitigation part (a **Mitigation:** label or a Mitigation sub-heading)`,
      });
    }
  }
  return problems;
}

function placeholderProblems(runbook: Runbook, lines: readonly string[], inCode: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  const explained = explainedPlaceholderNames(lines, inCode);
  const reported = new Set<string>();
  for (const snippet of runbook.snippets) {
    for (const placeholder of snippet.placeholders) {
      if (explained.has(placeholder.name) || reported.has(placeholder.name)) continue;
      reported.add(placeholder.name);
      problems.push({
        line: placeholder.line,
        severity: 'warning',
        code: 'unexplained-placeholder',
        message: `Placeholder <${placeholder.name}> is never explained outside code blocks; say what value it takes (for example "\`<${placeholder.name}>\`: ...")`,
      });
    }
  }
  return problems;
}

/** Placeholder names written anywhere outside fenced and indented code, e.g. in prose or a table. */
function explainedPlaceholderNames(lines: readonly string[], inCode: Uint8Array): Set<string> {
  const names = new Set<string>();
  const re = new RegExp(`<(${PLACEHOLDER_NAME})>`, 'g');
  for (let l = 0; l < lines.length; l++) {
    if (inCode[l] || lines[l].indexOf('<') === -1) continue;
    for (let m = re.exec(lines[l]); m; m = re.exec(lines[l])) names.add(m[1]);
    re.lastIndex = 0;
  }
  return names;
}

function codeLines(runbook: Runbook, lineCount: number): Uint8Array {
  const inCode = new Uint8Array(lineCount);
  for (const s of runbook.snippets) for (let l = s.startLine; l <= s.endLine && l < lineCount; l++) inCode[l] = 1;
  return inCode;
}

function tableProblems(runbook: Runbook, lines: readonly string[], inCode: Uint8Array): Problem[] {
  const problems: Problem[] = [];
  const pipeHint = (spans: string[]) =>
    `the pipe in ${spans.join(', ')} splits the cell, because a table splits on every unescaped |, even inside code; write it as \\|`;
  for (const table of runbook.tables) {
    const headerSpans = pipesInCodeSpans(rawRow(lines[table.line]));
    if (headerSpans.length)
      problems.push({
        line: table.line,
        severity: 'error',
        code: 'table-pipe-in-code',
        message: `Table "${table.title}": ${pipeHint(headerSpans)}`,
      });
    for (const row of table.rows) {
      const spans = pipesInCodeSpans(rawRow(lines[row.line]));
      if (spans.length) {
        problems.push({
          line: row.line,
          severity: 'error',
          code: 'table-pipe-in-code',
          message: `Table "${table.title}": ${pipeHint(spans)}`,
        });
      } else if (row.rawCellCount !== table.header.length) {
        problems.push({
          line: row.line,
          severity: 'error',
          code: 'table-column-count',
          message: `Table "${table.title}": row has ${row.rawCellCount} cells, the header has ${table.header.length}`,
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
      message: `This looks like a table but the separator row has ${delimiterCells} cell${delimiterCells === 1 ? '' : 's'}, the header has ${headerCells}; it shows as plain text until they match`,
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
    if (snippet.kind === 'fence' && snippet.language === '') {
      const what = snippet.category === 'checklist' ? 'checklist block' : 'code fence';
      problems.push({
        line: snippet.startLine,
        severity: 'warning',
        code: 'fence-without-language',
        message: `A ${what} without a language; add one (\`text\` for diagrams and checklists) so it is not mistaken for a command`,
      });
    }
  }
  for (const d of runbook.diagnostics) {
    const severity = d.code === 'empty-heading' ? 'warning' : 'error';
    problems.push({ line: d.line, severity, code: d.code, message: d.message });
  }
  return problems;
}
