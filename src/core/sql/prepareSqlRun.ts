// Turns a runbook SQL block and the user's placeholder values into statements ready for the runner: split and
// parsed by PostgreSQL's own parser, bound (values never spliced into text: `'<org_id>'` becomes $1, a name is
// validated and quoted), and judged from the parse tree of the SQL exactly as it will run. A statement the parser
// rejects is refused with the parser's message and position: the server would refuse it too, and nothing of the
// block should run before the user has fixed it.
import { splitStatements, withPlaceholdersAsNames } from './splitStatements';
import { judgeTree, riskiest, type SqlClassification, type SqlRisk } from './classifyStatement';
import type { CalledObjects } from './calledObjects';
import type { SqlParser } from './sqlParser';
import { planTransaction, transactionControlOf, type TransactionControl } from './transactionControl';
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
  /** What the statement calls and reads, for the server's catalog to judge; absent when it cannot run. */
  objects?: CalledObjects;
}

/** A statement PostgreSQL's parser rejects: what it says and where, as a server error would. */
export interface ParseRejection {
  statementIndex: number;
  /** 0-based line in the runbook of the statement's first line. */
  line: number;
  /** 0-based line in the runbook where the parser stopped. */
  errorLine: number;
  /** The statement the position counts in: as written, or as bound when only the bound text fails. */
  text: string;
  message: string;
  /** 1-based character position in `text`, as Postgres counts an error's position. */
  position: number;
}

export interface PreparedRun {
  statements: PreparedStatement[];
  problems: string[];
  /** The first statement PostgreSQL's parser rejects; the block does not run then. */
  rejected?: ParseRejection;
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

export interface JudgedStatement extends BoundStatement, SqlClassification {
  objects?: CalledObjects;
  control?: TransactionControl;
  /** PostgreSQL's parser rejects the statement: its message and the 0-based offset in the text it read. */
  parseError?: { message: string; offset: number; text: string };
}

/**
 * Binds one statement and judges the SQL as it will run (names filled in, values still $n), from its parse tree.
 * A statement that cannot be bound is judged as written, so its verdict can still be reported. The runner
 * (prepareSqlRun) and `check --db` (planSqlChecks) both judge statements this way.
 */
export function bindAndClassify(statement: string, values: PlaceholderValues, parser: SqlParser): JudgedStatement {
  const bound = bindPlaceholders(statement, values);
  const judgedText = bound.problems.length ? withPlaceholdersAsNames(statement) : bound.text;
  const parsed = parser.parse(judgedText);
  if (!parsed.ok)
    return {
      ...bound,
      risk: 'write',
      reason: `PostgreSQL's parser rejects it: ${parsed.message}`,
      parseError: {
        message: parsed.message,
        offset: parsed.offset,
        text: bound.problems.length ? statement : judgedText,
      },
    };
  if (parsed.statements.length !== 1) {
    // Values are bound as $n and names are quoted, so binding cannot make two statements of one; refuse if it did.
    const problem = 'Filling in the placeholders changed how the statement parses; it is not run.';
    return { ...bound, text: '', values: [], problems: [...bound.problems, problem], risk: 'admin', reason: problem };
  }
  const tree = parsed.statements[0].tree;
  const verdict = judgeTree(tree, parser);
  const judged: JudgedStatement = { ...bound, risk: verdict.risk, reason: verdict.reason, objects: verdict.objects };
  const control = transactionControlOf(tree);
  if (control) judged.control = control;
  return judged;
}

export function prepareSqlRun(
  body: string,
  bodyStartLine: number,
  values: ReadonlyMap<string, string>,
  parser: SqlParser,
): PreparedRun {
  // Problems no value can fix are reported on their own, once each: the binder would only repeat the calls among
  // them, and the statements cannot run anyway.
  const structural = placeholderProblems(body, bodyStartLine);
  const problems = [...structural];
  const statements: PreparedStatement[] = [];
  const controls: Array<{ text: string; control: TransactionControl | undefined }> = [];
  let rejected: ParseRejection | undefined;
  for (const statement of splitStatements(body, parser)) {
    const line = bodyStartLine + statement.startLine;
    const prepared: JudgedStatement = statement.parseError
      ? {
          text: '',
          values: [],
          problems: [],
          risk: 'write',
          reason: `PostgreSQL's parser rejects it: ${statement.parseError.message}`,
          parseError: { ...statement.parseError, text: statement.text },
        }
      : bindAndClassify(statement.text, values, parser);
    if (prepared.parseError && !rejected)
      rejected = {
        statementIndex: statements.length,
        line,
        errorLine: line + prepared.parseError.text.slice(0, prepared.parseError.offset).split('\n').length - 1,
        text: prepared.parseError.text,
        message: prepared.parseError.message,
        position: characterPosition(prepared.parseError.text, prepared.parseError.offset),
      };
    if (structural.length === 0) for (const p of prepared.problems) problems.push(`Line ${line + 1}: ${p}`);
    controls.push({ text: statement.text, control: prepared.control });
    const entry: PreparedStatement = {
      text: prepared.parseError ? '' : prepared.text,
      values: prepared.values.map(String),
      line,
      original: statement.text,
      risk: prepared.risk,
      reason: prepared.reason,
    };
    if (prepared.objects) entry.objects = prepared.objects;
    statements.push(entry);
  }
  if (statements.length === 0) problems.push('The block holds no SQL statement (only comments or blank lines).');
  // A leading BEGIN and a final COMMIT or ROLLBACK say what the runner does anyway; they ask nothing.
  for (const index of planTransaction(controls).handled.keys()) {
    statements[index].risk = 'read';
    statements[index].reason =
      `${statements[index].original.split(/\s/)[0].toUpperCase()} around the block: the runner manages the transaction`;
  }
  const risk = riskiest(statements)?.risk ?? 'read';
  const secretValues = sqlPlaceholders(body)
    .filter((p) => p.secret && values.get(p.name) !== undefined)
    .map((p) => values.get(p.name)!);
  const run: PreparedRun = { statements, problems, risk, secretValues };
  if (rejected) run.rejected = rejected;
  return run;
}

/** A 0-based offset in `text` as Postgres's 1-based character position. */
function characterPosition(text: string, offset: number): number {
  return Array.from(text.slice(0, offset)).length + 1;
}
