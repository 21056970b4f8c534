// Turns a runbook SQL block and the user's placeholder values into statements ready for the runner:
// split, bound (values never spliced into text), and classified by risk. The risk is that of the
// SQL that will run, names filled in (values stay $n), as well as of the SQL as written, so no
// value can make a statement look safer than it is.
import { splitStatements } from './splitStatements';
import { classifyStatement, riskiest, type SqlClassification, type SqlRisk } from './classifyStatement';
import {
  bindPlaceholders,
  findSqlPlaceholders,
  functionPlaceholderProblem,
  type BoundStatement,
  type PlaceholderValues,
} from './bindPlaceholders';
import { isSecretPlaceholder } from '../secrets/secretNames';

export interface PreparedStatement {
  text: string;
  values: string[];
  /** 0-based line in the runbook of the statement's first line. */
  line: number;
  /** The statement as written in the runbook (placeholders unresolved), for display and the timeline. */
  original: string;
  risk: SqlRisk;
  reason?: string;
}

export interface PreparedRun {
  statements: PreparedStatement[];
  problems: string[];
  /** Highest risk of the block. */
  risk: SqlRisk;
  /** Values of the block's secret placeholders, to be masked wherever the run is shown or recorded. */
  secretValues: string[];
}

export interface SqlPlaceholderInfo {
  name: string;
  kind: 'literal' | 'identifier';
  /** Named like a secret (`<api_key>`, `<db_password>`): asked masked, never stored, masked in results. */
  secret: boolean;
  /** Used inside a quoted name (`"tmp_<suffix>"`) at least once: the value must be one plain name, no schema. */
  namePart: boolean;
}

/** Placeholders of a block, each once, in order of appearance; identifier use wins over literal use. */
export function sqlPlaceholders(body: string): SqlPlaceholderInfo[] {
  const byName = new Map<string, SqlPlaceholderInfo>();
  for (const p of findSqlPlaceholders(body)) {
    const known = byName.get(p.name);
    if (!known)
      byName.set(p.name, {
        name: p.name,
        kind: p.kind,
        secret: isSecretPlaceholder(p.name),
        namePart: p.namePart === true,
      });
    else {
      if (p.kind === 'identifier') known.kind = 'identifier';
      if (p.namePart) known.namePart = true;
    }
  }
  return [...byName.values()];
}

/**
 * Why the block cannot run whatever values are typed, so the user is told before being asked for any:
 * a placeholder that would name the function called, and a secret written where a name goes (its value
 * would become SQL text, seen by the server's logs and pg_stat_activity, instead of a bound value).
 */
export function placeholderProblems(body: string, bodyStartLine: number): string[] {
  const problems: string[] = [];
  const lineOf = (offset: number) => bodyStartLine + body.slice(0, offset).split('\n').length;
  for (const use of findSqlPlaceholders(body)) {
    if (use.call) problems.push(`Line ${lineOf(use.offset)}: ${functionPlaceholderProblem(use.name)}`);
    else if (use.kind === 'identifier' && isSecretPlaceholder(use.name)) {
      problems.push(
        `Line ${lineOf(use.offset)}: <${use.name}> is a secret but stands where a name goes, so its value would be written into the SQL text; write it in quotes, '<${use.name}>', so it is sent as a bound value.`,
      );
    }
  }
  return problems;
}

/**
 * Binds one statement and judges its risk both as written and as it will run (names filled in, values still $n);
 * the higher counts, so no value can make a statement look safer than it is. A statement that cannot be bound is
 * judged as written. The runner (prepareSqlRun) and `check --db` (planSqlChecks) both judge statements this way.
 */
export function bindAndClassify(statement: string, values: PlaceholderValues): BoundStatement & SqlClassification {
  const bound = bindPlaceholders(statement, values);
  const asWritten = classifyStatement(statement);
  const verdict = bound.problems.length ? asWritten : riskiest([asWritten, classifyStatement(bound.text)])!;
  return { ...bound, risk: verdict.risk, reason: verdict.reason };
}

export function prepareSqlRun(body: string, bodyStartLine: number, values: ReadonlyMap<string, string>): PreparedRun {
  // Problems no value can fix are reported on their own, once each: the binder would only repeat the calls among
  // them, and the statements cannot run anyway.
  const structural = placeholderProblems(body, bodyStartLine);
  const problems = [...structural];
  const statements: PreparedStatement[] = [];
  for (const statement of splitStatements(body)) {
    const prepared = bindAndClassify(statement.text, values);
    if (structural.length === 0)
      for (const p of prepared.problems) problems.push(`Line ${bodyStartLine + statement.startLine + 1}: ${p}`);
    statements.push({
      text: prepared.text,
      values: prepared.values.map(String),
      line: bodyStartLine + statement.startLine,
      original: statement.text,
      risk: prepared.risk,
      reason: prepared.reason,
    });
  }
  if (statements.length === 0) problems.push('The block holds no SQL statement (only comments or blank lines).');
  const risk = riskiest(statements)?.risk ?? 'read';
  const secretValues = sqlPlaceholders(body)
    .filter((p) => p.secret && values.get(p.name) !== undefined)
    .map((p) => values.get(p.name)!);
  return { statements, problems, risk, secretValues };
}
