// Structural problems a reviewer would flag in a runbook, each with its 0-based line.
import type { Runbook, Section } from '../model/types';
import { allSections, findSection } from '../model/parseRunbook';

export type ProblemCode =
  | 'playbook-missing-diagnosis'
  | 'playbook-missing-mitigation'
  | 'unexplained-placeholder'
  | 'table-column-count'
  | 'table-value'
  | 'fence-without-language'
  | 'unclosed-fence'
  | 'empty-heading';

export interface RunbookProblem {
  line: number;
  code: ProblemCode;
  severity: 'error' | 'warning';
  message: string;
}

export function checkRunbook(runbook: Runbook, source: string): RunbookProblem[] {
  const problems: RunbookProblem[] = [];

  for (const playbook of runbook.playbooks) {
    if (!playbook.diagnosis) problems.push({ line: playbook.line, code: 'playbook-missing-diagnosis', severity: 'error', message: `Playbook "${playbook.name}" has no **Diagnosis:** part` });
    if (!playbook.mitigation) problems.push({ line: playbook.line, code: 'playbook-missing-mitigation', severity: 'error', message: `Playbook "${playbook.name}" has no **Mitigation:** part` });
  }

  const explained = explainedPlaceholderNames(runbook, source);
  const reported = new Set<string>();
  for (const snippet of runbook.snippets) {
    for (const placeholder of snippet.placeholders) {
      if (explained.has(placeholder.name) || reported.has(placeholder.name)) continue;
      reported.add(placeholder.name);
      problems.push({
        line: placeholder.line,
        code: 'unexplained-placeholder',
        severity: 'warning',
        message: `Placeholder <${placeholder.name}> is never explained outside code blocks; say what value it takes (for example "\`<${placeholder.name}>\`: ...")`,
      });
    }
  }

  for (const table of runbook.tables) {
    for (const row of table.rows) {
      if (row.rawCellCount !== table.header.length) {
        problems.push({ line: row.line, code: 'table-column-count', severity: 'error', message: `Table "${table.title}": row has ${row.rawCellCount} cells, the header has ${table.header.length}` });
      }
    }
  }
  for (const problem of runbook.typed.problems) problems.push({ line: problem.line, code: 'table-value', severity: 'error', message: problem.message });

  for (const snippet of runbook.snippets) {
    if (snippet.kind === 'fence' && snippet.language === '') {
      const what = snippet.category === 'checklist' ? 'checklist block' : 'code fence';
      problems.push({ line: snippet.startLine, code: 'fence-without-language', severity: 'warning', message: `A ${what} without a language; add one (\`text\` for diagrams and checklists) so it is not mistaken for a command` });
    }
  }
  for (const d of runbook.diagnostics) {
    if (d.code === 'unclosed-fence') problems.push({ line: d.line, code: 'unclosed-fence', severity: 'error', message: d.message });
    if (d.code === 'empty-heading') problems.push({ line: d.line, code: 'empty-heading', severity: 'warning', message: d.message });
  }
  return problems.sort((a, b) => a.line - b.line);
}

/** Placeholder names written anywhere outside fenced and indented code, e.g. in prose or a table. */
function explainedPlaceholderNames(runbook: Runbook, source: string): Set<string> {
  const lines = source.split(/\r\n|\r|\n/);
  const inCode = new Uint8Array(lines.length);
  for (const s of runbook.snippets) for (let l = s.startLine; l <= s.endLine && l < lines.length; l++) inCode[l] = 1;
  const names = new Set<string>();
  const re = /<([A-Za-z_][A-Za-z0-9_-]*)>/g;
  for (let l = 0; l < lines.length; l++) {
    if (inCode[l] || lines[l].indexOf('<') === -1) continue;
    for (let m = re.exec(lines[l]); m; m = re.exec(lines[l])) names.add(m[1]);
    re.lastIndex = 0;
  }
  return names;
}

export function sectionPath(runbook: Runbook, sectionId: string): Section[] {
  const path: Section[] = [];
  let section = findSection(runbook.sections, sectionId);
  while (section) {
    path.unshift(section);
    section = section.parentId ? findSection(runbook.sections, section.parentId) : undefined;
  }
  return path;
}

export { allSections };
