// Which SQL of a runbook `check --db` runs, and with what values: every read-only statement, placeholders
// bound to NULL or to a --param value, statements that write left out and said so.
import type { Runbook } from '../model/types';
import { splitStatements } from '../sql/splitStatements';
import { classifyStatement } from '../sql/classifyStatement';
import { bindPlaceholders, findSqlPlaceholders } from '../sql/bindPlaceholders';

export interface PlannedCheck {
  snippetIndex: number;
  /** 0-based line of the statement in the runbook. */
  line: number;
  label: string;
  text: string;
  values: Array<string | null>;
}

export interface SkippedCheck {
  line: number;
  reason: string;
}

// Never a value a user would type: marks a placeholder that gets NULL.
const NULL_MARK = '\u0000runbook-null\u0000';

export function planSqlChecks(runbook: Runbook, params: ReadonlyMap<string, string>): { checks: PlannedCheck[]; skipped: SkippedCheck[] } {
  const checks: PlannedCheck[] = [];
  const skipped: SkippedCheck[] = [];
  for (const snippet of runbook.snippets) {
    if (snippet.category !== 'sql') continue;
    for (const statement of splitStatements(snippet.body)) {
      const line = snippet.bodyStartLine + statement.startLine;
      const risk = classifyStatement(statement.text);
      if (risk.risk !== 'read') {
        skipped.push({ line, reason: `not run: it ${risk.risk === 'schema' ? 'changes the schema' : risk.risk === 'admin' ? 'is administrative' : 'writes'}${risk.reason ? ` (${risk.reason})` : ''}` });
        continue;
      }
      const values = new Map(findSqlPlaceholders(statement.text).map((p) => [p.name, params.get(p.name) ?? NULL_MARK]));
      const bound = bindPlaceholders(statement.text, values);
      if (bound.problems.length) {
        skipped.push({ line, reason: `not run: ${bound.problems.join(' ').replace(NULL_MARK, 'NULL')} Give a value with --param name=value.` });
        continue;
      }
      if (bound.text.includes(NULL_MARK)) {
        skipped.push({ line, reason: 'not run: a placeholder used as a name needs a value; give it with --param name=value.' });
        continue;
      }
      checks.push({ snippetIndex: snippet.index, line, label: statement.comment ?? snippet.label, text: bound.text, values: bound.values.map((v) => (v === NULL_MARK ? null : v)) });
    }
  }
  return { checks, skipped };
}
