// The second half of every read-only verdict, shared by the SQL lens and `check --db`: what the parse tree said
// about each statement (core/sql/classifyStatement), joined with what the target's catalog says about the
// functions, operators and views it reaches (core/sql/catalogVerdict). The riskier answer counts. Views are
// followed into their definitions, which may name more functions and views: the catalog is asked again until
// nothing new turns up.
import { asksMore, catalogQuestions, judgeByCatalog, objectsOfViews } from '../../core/sql/catalogVerdict';
import type { CalledObjects } from '../../core/sql/calledObjects';
import { riskiest, type SqlRisk } from '../../core/sql/sqlRisk';
import { loadPostgresParser } from '../sql/postgresParser';
import type { FunctionCatalog } from './functionCatalog';

export interface Judged {
  risk: SqlRisk;
  reason?: string;
  /** What the statement calls and reads; statements without it (nothing to run) are left as they are. */
  objects?: CalledObjects;
}

/** How many rounds of views within views are asked about; deeper ones ask first (catalogVerdict). */
const MAX_ROUNDS = 8;

/**
 * The statements with the catalog's verdict joined in. Throws CatalogLookupError when the catalog cannot be
 * read (the database is down, the password is wrong): then nothing may run as a read.
 */
export async function judgeWithCatalog<T extends Judged>(
  statements: readonly T[],
  catalog: FunctionCatalog,
): Promise<T[]> {
  const asked = statements.flatMap((s) => (s.objects ? [s.objects] : []));
  if (asked.length === 0) return [...statements];
  const parser = await loadPostgresParser();
  let questions = catalogQuestions(asked);
  let facts = await catalog.facts(questions);
  for (let round = 1; round < MAX_ROUNDS; round++) {
    const next = catalogQuestions([...asked, ...objectsOfViews(facts, parser)]);
    if (!asksMore(next, questions)) break;
    questions = next;
    facts = await catalog.facts(questions);
  }
  return statements.map((statement) => {
    if (!statement.objects) return statement;
    const verdict = riskiest([
      { risk: statement.risk, reason: statement.reason ?? '' },
      ...judgeByCatalog(statement.objects, facts, parser),
    ])!;
    return { ...statement, risk: verdict.risk, reason: verdict.reason };
  });
}
