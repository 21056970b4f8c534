// Turns a runbook SQL block and the user's placeholder values into statements ready for the runner:
// split, bound (values never spliced into text), and classified by risk.
import { splitStatements } from './splitStatements';
import { classifyStatement } from './classifyStatement';
import { bindPlaceholders, findSqlPlaceholders } from './bindPlaceholders';

export interface PreparedStatement {
  text: string;
  values: string[];
  /** 0-based line in the runbook of the statement's first line. */
  line: number;
  /** The statement as written in the runbook (placeholders unresolved), for display and the timeline. */
  original: string;
  risk: 'read' | 'write' | 'schema' | 'admin';
  reason?: string;
}

export interface PreparedRun {
  statements: PreparedStatement[];
  problems: string[];
  /** Highest risk of the block. */
  risk: 'read' | 'write' | 'schema' | 'admin';
}

export interface SqlPlaceholderInfo {
  name: string;
  kind: 'literal' | 'identifier';
}

/** Placeholders of a block, each once, in order of appearance; identifier use wins over literal use. */
export function sqlPlaceholders(body: string): SqlPlaceholderInfo[] {
  const byName = new Map<string, SqlPlaceholderInfo>();
  for (const p of findSqlPlaceholders(body)) {
    const known = byName.get(p.name);
    if (!known) byName.set(p.name, { name: p.name, kind: p.kind });
    else if (p.kind === 'identifier') known.kind = 'identifier';
  }
  return [...byName.values()];
}

const RANK = { read: 0, write: 1, schema: 2, admin: 3 } as const;

export function prepareSqlRun(body: string, bodyStartLine: number, values: ReadonlyMap<string, string>): PreparedRun {
  const problems: string[] = [];
  const statements: PreparedStatement[] = [];
  const record = Object.fromEntries(values);
  for (const statement of splitStatements(body)) {
    const bound = bindPlaceholders(statement.text, record);
    for (const p of bound.problems) problems.push(`Line ${bodyStartLine + statement.startLine + 1}: ${p}`);
    const classification = classifyStatement(statement.text);
    const prepared: PreparedStatement = {
      text: bound.text,
      values: bound.values.map(String),
      line: bodyStartLine + statement.startLine,
      original: statement.text,
      risk: classification.risk,
    };
    if (classification.reason) prepared.reason = classification.reason;
    statements.push(prepared);
  }
  if (statements.length === 0) problems.push('The block holds no SQL statement (only comments or blank lines).');
  const risk = statements.reduce<PreparedRun['risk']>((r, s) => (RANK[s.risk] > RANK[r] ? s.risk : r), 'read');
  return { statements, problems, risk };
}
