// Which SQL of a runbook `check --db` runs, and with what values: every read-only statement, placeholders
// bound to NULL or to a --param value, statements that write left out and said so.
import type { Runbook } from '../model/types';
import { splitStatements } from '../sql/splitStatements';
import { findSqlPlaceholders } from '../sql/bindPlaceholders';
import { bindAndClassify } from '../sql/prepareSqlRun';

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

export function planSqlChecks(
  runbook: Runbook,
  params: ReadonlyMap<string, string>,
): { checks: PlannedCheck[]; skipped: SkippedCheck[] } {
  const checks: PlannedCheck[] = [];
  const skipped: SkippedCheck[] = [];
  for (const snippet of runbook.snippets) {
    if (snippet.category !== 'sql') continue;
    for (const statement of splitStatements(snippet.body)) {
      const line = snippet.bodyStartLine + statement.startLine;
      const uses = findSqlPlaceholders(statement.text);
      // NULL stands in for a value, never for a name: such a statement needs its --param.
      const unnamed = [
        ...new Set(uses.filter((p) => p.kind === 'identifier' && !params.has(p.name)).map((p) => p.name)),
      ];
      if (unnamed.length) {
        skipped.push({
          line,
          reason: `not run: ${unnamed.map((n) => `<${n}>`).join(', ')} ${unnamed.length === 1 ? 'is a name' : 'are names'}, not ${unnamed.length === 1 ? 'a value' : 'values'}; give ${unnamed.length === 1 ? 'it' : 'them'} with --param ${unnamed[0]}=….`,
        });
        continue;
      }
      const values = new Map(uses.map((p) => [p.name, params.get(p.name) ?? NULL_MARK]));
      // Judged as written and as it would run: a --param value that fills in a name can raise the risk, and
      // READ ONLY does not stop everything (pg_terminate_backend runs in a read-only transaction).
      const bound = bindAndClassify(statement.text, values);
      if (bound.risk !== 'read') {
        skipped.push({
          line,
          reason: `not run: it ${bound.risk === 'schema' ? 'changes the schema' : bound.risk === 'admin' ? 'is administrative' : 'writes'}${bound.reason ? ` (${bound.reason})` : ''}`,
        });
        continue;
      }
      if (bound.problems.length) {
        // A placeholder in a function's place is refused whatever its value; other problems are the value's.
        const hint = uses.some((p) => p.call) ? '' : ' Give another value with --param name=value.';
        skipped.push({ line, reason: `not run: ${bound.problems.join(' ')}${hint}` });
        continue;
      }
      checks.push({
        snippetIndex: snippet.index,
        line,
        label: statement.comment ?? snippet.label,
        text: bound.text,
        values: bound.values.map((v) => (v === NULL_MARK ? null : v)),
      });
    }
  }
  return { checks, skipped };
}
