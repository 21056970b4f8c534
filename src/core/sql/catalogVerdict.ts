// Judges what a statement calls by what the server says about it, not by a list of dangerous names: every
// function, operator and view the statement reaches is looked up in the target's catalog (node/pg/functionCatalog),
// and a VOLATILE function that is not known to be harmless (harmlessFunctions.ts) needs the same confirmation as
// a write, as does one written by the team that takes SQL text. This catches the team's own functions that write,
// which no list of names can know. Overloads count: when any function the name may resolve to is risky, the call is.
// A view runs its query: its definition (pg_get_viewdef) is parsed and judged the same way, nested views too.
import type { CalledObjects, FunctionCallSite, RelationUse } from './calledObjects';
import { judgeTree } from './classifyStatement';
import { isHarmlessFunction } from './harmlessFunctions';
import { functionEffect, queryTextArguments } from './sideEffectFunctions';
import type { SqlParser } from './sqlParser';
import { admin, riskiest, type SqlClassification } from './sqlRisk';

export interface CatalogFunction {
  schema: string;
  name: string;
  /** pg_proc.provolatile: immutable, stable or volatile. */
  volatility: 'i' | 's' | 'v';
  argumentCount: number;
  /** How many trailing arguments have defaults. */
  defaultCount: number;
  variadic: boolean;
  /** Names of the input arguments, '' where unnamed. */
  argumentNames: string[];
  /** Types of the input arguments as format_type writes them: text, character varying, … */
  argumentTypes: string[];
  /** The extension the function belongs to, if any. */
  extension?: string;
}

export interface CatalogOperator {
  schema: string;
  name: string;
  /** The function the operator calls. */
  function: CatalogFunction;
}

export interface CatalogView {
  /** The relation as a statement (or another view's definition) names it. */
  relation: RelationUse;
  /** schema.name */
  view: string;
  /** The view's query, as pg_get_viewdef writes it. */
  definition: string;
}

export interface CatalogFacts {
  /** current_schemas(true): where an unqualified name is looked for, pg_catalog included. */
  searchPath: string[];
  functions: CatalogFunction[];
  /** Only operators whose function is VOLATILE; the rest cannot change anything. */
  operators: CatalogOperator[];
  /** The relations asked about that are views (of the team or an extension; PostgreSQL's own are trusted). */
  views: CatalogView[];
}

export interface CatalogQuestions {
  functionNames: string[];
  operatorNames: string[];
  relations: RelationUse[];
}

/** Whether `next` asks anything `previous` did not. */
export function asksMore(next: CatalogQuestions, previous: CatalogQuestions): boolean {
  const known = new Set(previous.relations.map(relationKey));
  return (
    next.functionNames.some((n) => !previous.functionNames.includes(n)) ||
    next.operatorNames.some((n) => !previous.operatorNames.includes(n)) ||
    next.relations.some((r) => !known.has(relationKey(r)))
  );
}

/** What to ask the catalog about, each name once. */
export function catalogQuestions(objects: readonly CalledObjects[]): CatalogQuestions {
  const relations = new Map<string, RelationUse>();
  for (const o of objects) for (const r of o.relations) relations.set(relationKey(r), r);
  return {
    functionNames: [...new Set(objects.flatMap((o) => o.functions.map((f) => f.name)))],
    operatorNames: [...new Set(objects.flatMap((o) => o.operators.map((op) => op.name)))],
    relations: [...relations.values()],
  };
}

export function relationKey(relation: RelationUse): string {
  return `${relation.schema ?? ''}\u0000${relation.name}`;
}

/** Views nested deeper than this are not followed: such a view asks first. */
const MAX_VIEW_DEPTH = 8;

/** Verdicts for what the catalog says is risky among the objects; empty when everything is harmless. */
export function judgeByCatalog(
  objects: CalledObjects,
  facts: CatalogFacts,
  parser: SqlParser,
  depth = 0,
): SqlClassification[] {
  const verdicts: SqlClassification[] = [];
  const inPath = (schema: string, qualifier?: string) =>
    qualifier !== undefined ? schema === qualifier : facts.searchPath.includes(schema);
  for (const call of objects.functions) {
    for (const fn of facts.functions) {
      if (fn.name !== call.name || !inPath(fn.schema, call.schema) || !callableAs(call, fn)) continue;
      const verdict = functionRisk(fn, true);
      if (verdict)
        verdicts.push({
          risk: verdict.risk,
          reason: `${call.viaField ? `reads .${call.name}, which calls` : 'calls'} ${qualified(fn)}(), which ${verdict.reason}`,
        });
    }
  }
  for (const use of objects.operators) {
    for (const op of facts.operators) {
      if (op.name !== use.name || !inPath(op.schema, use.schema)) continue;
      const verdict = functionRisk(op.function, false);
      if (verdict)
        verdicts.push({
          risk: verdict.risk,
          reason: `uses the operator ${op.schema}.${op.name}, which calls ${qualified(op.function)}(), which ${verdict.reason}`,
        });
    }
  }
  const read = new Set(objects.relations.map(relationKey));
  for (const view of facts.views) {
    if (!read.has(relationKey(view.relation))) continue;
    const verdict = judgeView(view, facts, parser, depth);
    if (verdict.risk !== 'read')
      verdicts.push({ risk: verdict.risk, reason: `reads the view ${view.view}, which ${verdict.reason}` });
  }
  return verdicts;
}

/** What the objects' views reach in turn: the objects of each view's definition, to ask the catalog about. */
export function objectsOfViews(facts: CatalogFacts, parser: SqlParser): CalledObjects[] {
  return facts.views.flatMap((view) => {
    const parsed = parser.parse(view.definition);
    return parsed.ok ? parsed.statements.map((s) => judgeTree(s.tree, parser).objects) : [];
  });
}

/** A view is as risky as its query, judged like a statement: parse tree, then catalog. */
function judgeView(view: CatalogView, facts: CatalogFacts, parser: SqlParser, depth: number): SqlClassification {
  if (depth >= MAX_VIEW_DEPTH) return admin('is built on views nested too deep to judge here');
  const parsed = parser.parse(view.definition);
  if (!parsed.ok || parsed.statements.length !== 1)
    return admin("has a definition PostgreSQL's parser cannot read here, so what it runs cannot be judged");
  const judged = judgeTree(parsed.statements[0].tree, parser);
  return riskiest([
    { risk: judged.risk, reason: judged.reason },
    ...judgeByCatalog(judged.objects, facts, parser, depth + 1),
  ])!;
}

/**
 * Why calling `fn` is risky, completing "calls f(), which …"; undefined when it is not. A function that runs the
 * query text it is given is judged by that text where the call writes it out (`literalJudged`); in a view or
 * behind an operator that text cannot be seen.
 */
function functionRisk(fn: CatalogFunction, literalJudged: boolean): SqlClassification | undefined {
  if (isHarmlessFunction(fn)) return undefined;
  if (literalJudged && isKnownQueryRunner(fn)) return undefined;
  const effect = functionEffect(fn.name, fn.schema);
  if (fn.volatility === 'v')
    return {
      risk: effect?.risk ?? 'admin',
      reason:
        effect?.effect ??
        'the server marks VOLATILE: it may change data or act outside this transaction, and it is not on the list of functions known to be harmless',
    };
  const sqlArgument = fn.schema === 'pg_catalog' ? undefined : sqlTextArgument(fn);
  if (sqlArgument !== undefined)
    return admin(`takes SQL text (its argument ${sqlArgument}) and may run it, so what it does cannot be seen here`);
  if (effect) return { risk: effect.risk, reason: effect.effect };
  return undefined;
}

/** Functions whose query argument the statement verdict judges from the literal (classifyStatement.ts). */
function isKnownQueryRunner(fn: CatalogFunction): boolean {
  if (queryTextArguments(fn.name, fn.argumentCount) === undefined) return false;
  return fn.schema === 'pg_catalog' || fn.extension === 'tablefunc';
}

const TEXT_TYPES = new Set(['text', 'character varying', 'character', 'name', 'cstring', '"char"', 'unknown']);
const SQL_ARGUMENT_NAME = /(^|_)(query|queries|sql|stmt|statement|command|cmd)(_|$)/i;

/** The name of an argument that looks like SQL text (`query text`, `p_sql varchar`), if any. */
function sqlTextArgument(fn: CatalogFunction): string | undefined {
  return fn.argumentNames.find(
    (name, i) => SQL_ARGUMENT_NAME.test(name) && TEXT_TYPES.has((fn.argumentTypes[i] ?? '').toLowerCase()),
  );
}

/** A call through field notation (`(x).f`) passes exactly one argument. */
function callableAs(call: FunctionCallSite, fn: CatalogFunction): boolean {
  if (!call.viaField) return true;
  return fn.variadic || (fn.argumentCount >= 1 && fn.argumentCount - fn.defaultCount <= 1);
}

function qualified(fn: { schema: string; name: string }): string {
  return `${fn.schema}.${fn.name}`;
}
