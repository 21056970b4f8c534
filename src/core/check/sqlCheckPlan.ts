// Which SQL of a runbook `check --db` runs, and with what values: every read-only statement, placeholders
// bound to NULL or to a --param value, statements that write left out and said so, statements PostgreSQL's
// parser rejects reported as failing without running. Whether a statement is a read is decided as for the
// SQL lens: from the parse tree here, then from the database's catalog before it runs (node/check).
import type { Runbook } from '../model/types';
import type { CalledObjects } from '../sql/calledObjects';
import { splitStatements } from '../sql/splitStatements';
import { findSqlPlaceholders } from '../sql/bindPlaceholders';
import { bindAndClassify } from '../sql/prepareSqlRun';
import type { SqlParser } from '../sql/sqlParser';
import type { SqlRisk } from '../sql/sqlRisk';

export interface PlannedCheck {
  snippetIndex: number;
  /** 0-based line of the statement in the runbook. */
  line: number;
  label: string;
  text: string;
  values: Array<string | null>;
  /** What the statement calls and reads, for the catalog's verdict before it runs. */
  objects: CalledObjects;
}

/** A statement PostgreSQL's parser rejects: a failure of the runbook, found without running anything. */
export interface RejectedCheck {
  line: number;
  label: string;
  message: string;
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
  parser: SqlParser,
): { checks: PlannedCheck[]; skipped: SkippedCheck[]; rejected: RejectedCheck[] } {
  const checks: PlannedCheck[] = [];
  const skipped: SkippedCheck[] = [];
  const rejected: RejectedCheck[] = [];
  for (const snippet of runbook.snippets) {
    if (snippet.category !== 'sql') continue;
    for (const statement of splitStatements(snippet.body, parser)) {
      const line = snippet.bodyStartLine + statement.startLine;
      const label = statement.comment ?? snippet.label;
      if (statement.parseError) {
        rejected.push({ line, label, message: parserMessage(statement.text, statement.parseError) });
        continue;
      }
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
      const bound = bindAndClassify(statement.text, values, parser);
      if (bound.parseError) {
        rejected.push({ line, label, message: parserMessage(bound.parseError.text, bound.parseError) });
        continue;
      }
      if (bound.risk !== 'read') {
        skipped.push({ line, reason: notRunReason(bound.risk, bound.reason) });
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
        label,
        text: bound.text,
        values: bound.values.map((v) => (v === NULL_MARK ? null : v)),
        objects: bound.objects!,
      });
    }
  }
  return { checks, skipped, rejected };
}

/** Why a statement that is not a read is left out, as `check --db` prints it. */
export function notRunReason(risk: SqlRisk, reason: string | undefined): string {
  const what = risk === 'schema' ? 'changes the schema' : risk === 'admin' ? 'is administrative' : 'writes';
  return `not run: it ${what}${reason ? ` (${reason})` : ''}`;
}

/** `syntax error at or near "SELEC"`, with where: the line of the statement and the column. */
function parserMessage(text: string, error: { message: string; offset: number }): string {
  const before = text.slice(0, error.offset).split('\n');
  const where =
    before.length > 1
      ? `line ${before.length} of the statement, column ${before[before.length - 1].length + 1}`
      : `column ${error.offset + 1}`;
  return `${error.message} (PostgreSQL's parser, at ${where}; not run)`;
}
