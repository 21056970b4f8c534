// What the target database's catalog says about the functions, operators and views a statement reaches: each
// function's volatility, arguments and extension (pg_proc), the VOLATILE functions behind operators
// (pg_operator), and the query of each view (pg_get_viewdef: PostgreSQL records no dependency on its own
// functions, so a view's definition is read instead). Views of PostgreSQL itself (pg_catalog,
// information_schema) are trusted. Asked once per name and kept per project (one catalog per runner), until a
// write runs on it; a new or changed project gets a new runner.
import type {
  CatalogFacts,
  CatalogFunction,
  CatalogOperator,
  CatalogQuestions,
  CatalogView,
} from '../../core/sql/catalogVerdict';
import { relationKey } from '../../core/sql/catalogVerdict';
import type { RelationUse } from '../../core/sql/calledObjects';
import type { RunError, RunOptions, RunOutcome, SqlStatement } from './pgRunner';

/** Where the catalog's own queries run: the project's PgRunner. */
export interface CatalogRunner {
  run(statements: readonly SqlStatement[], options: RunOptions): Promise<RunOutcome>;
}

/** The lookup could not be made; `error` says why, as a failed run would. */
export class CatalogLookupError extends Error {
  override readonly name = 'CatalogLookupError';
  constructor(readonly error: RunError) {
    super(`${error.title}: ${error.message}`);
  }
}

/**
 * Whether `value` is a CatalogLookupError. Not `instanceof`: the runner is loaded from its own bundle (dist/lazy), so
 * the class it throws is another copy of the one the extension's bundle sees.
 */
export function isCatalogLookupError(value: unknown): value is CatalogLookupError {
  return (
    value instanceof Error &&
    value.name === 'CatalogLookupError' &&
    typeof (value as CatalogLookupError).error === 'object'
  );
}

const SEARCH_PATH = 'SELECT pg_catalog.current_schemas(true)::text[]';

/** The columns of one function `p` (pg_proc) in schema `n` (pg_namespace), in CatalogFunction's order. */
const FUNCTION_COLUMNS = `
  n.nspname::text, p.proname::text, p.provolatile::text, p.pronargs::int, p.pronargdefaults::int,
  p.provariadic <> 0,
  ARRAY(SELECT coalesce(p.proargnames[a.i], '')
        FROM pg_catalog.generate_series(1, coalesce(pg_catalog.array_length(p.proargmodes, 1), p.pronargs)) AS a(i)
        WHERE p.proargmodes IS NULL OR p.proargmodes[a.i] IN ('i', 'b', 'v')
        ORDER BY a.i)::text[],
  ARRAY(SELECT pg_catalog.format_type(t.oid, NULL)
        FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY AS t(oid, i) ORDER BY t.i)::text[],
  (SELECT e.extname::text FROM pg_catalog.pg_depend x JOIN pg_catalog.pg_extension e ON e.oid = x.refobjid
   WHERE x.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND x.objid = p.oid
     AND x.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass AND x.deptype = 'e' LIMIT 1)`;
const FUNCTION_COLUMN_COUNT = 9;

const FUNCTIONS = `
SELECT ${FUNCTION_COLUMNS}
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE p.proname = ANY ($1::text[])`;

const OPERATORS = `
SELECT o.oprname::text, opn.nspname::text, ${FUNCTION_COLUMNS}
FROM pg_catalog.pg_operator o
JOIN pg_catalog.pg_namespace opn ON opn.oid = o.oprnamespace
JOIN pg_catalog.pg_proc p ON p.oid = o.oprcode
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
WHERE o.oprname = ANY ($1::text[]) AND p.provolatile = 'v'`;

// A relation is found as Postgres finds it: in its schema, or else in the first schema of the search path that
// has it (to_regclass would need USAGE on the schema, and fail the whole lookup without it).
const VIEWS = `
WITH asked AS (
  SELECT a.schema, a.name, (
    SELECT c.oid
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN unnest(pg_catalog.current_schemas(true)) WITH ORDINALITY AS p(nspname, position) ON p.nspname = n.nspname
    WHERE c.relname = a.name AND CASE WHEN a.schema = '' THEN p.position IS NOT NULL ELSE n.nspname = a.schema END
    ORDER BY p.position
    LIMIT 1) AS oid
  FROM unnest($1::text[], $2::text[]) AS a(schema, name)
)
SELECT asked.schema, asked.name, n.nspname::text || '.' || c.relname::text, pg_catalog.pg_get_viewdef(c.oid)
FROM asked
JOIN pg_catalog.pg_class c ON c.oid = asked.oid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind = 'v' AND n.nspname NOT IN ('pg_catalog', 'information_schema')`;

/** Plenty for the overloads of a handful of names; more means something is odd, and the lookup fails. */
const MAX_ROWS = 20_000;
const LOOKUP_TIMEOUT_MS = 10_000;

export class FunctionCatalog {
  private searchPath?: string[];
  private readonly functions = new Map<string, CatalogFunction[]>();
  private readonly operators = new Map<string, CatalogOperator[]>();
  private readonly views = new Map<string, CatalogView[]>();

  constructor(private readonly runner: CatalogRunner) {}

  /** Forgets everything: after a write (it may have created or changed functions and views). */
  invalidate(): void {
    this.searchPath = undefined;
    this.functions.clear();
    this.operators.clear();
    this.views.clear();
  }

  /** The facts for these questions, asking the database only about names not asked before. */
  async facts(questions: CatalogQuestions): Promise<CatalogFacts> {
    const functionNames = questions.functionNames.filter((name) => !this.functions.has(name));
    const operatorNames = questions.operatorNames.filter((name) => !this.operators.has(name));
    const relations = questions.relations.filter((r) => !this.views.has(relationKey(r)));
    const statements: SqlStatement[] = [];
    const readers: Array<(rows: unknown[][]) => void> = [];
    if (!this.searchPath) {
      statements.push({ text: SEARCH_PATH, values: [] });
      readers.push((rows) => (this.searchPath = (rows[0]?.[0] as string[] | undefined) ?? ['pg_catalog']));
    }
    if (functionNames.length) {
      statements.push({ text: FUNCTIONS, values: [functionNames] });
      readers.push((rows) => this.keep(this.functions, functionNames, rows.map(catalogFunction), (f) => f.name));
    }
    if (operatorNames.length) {
      statements.push({ text: OPERATORS, values: [operatorNames] });
      readers.push((rows) =>
        this.keep(
          this.operators,
          operatorNames,
          rows.map((row) => ({
            name: String(row[0]),
            schema: String(row[1]),
            function: catalogFunction(row.slice(2)),
          })),
          (op) => op.name,
        ),
      );
    }
    if (relations.length) {
      statements.push({ text: VIEWS, values: [relations.map((r) => r.schema ?? ''), relations.map((r) => r.name)] });
      readers.push((rows) =>
        this.keep(
          this.views,
          relations.map(relationKey),
          rows.map((row) => ({
            relation: relationUse(String(row[0]), String(row[1])),
            view: String(row[2]),
            definition: String(row[3]),
          })),
          (view) => relationKey(view.relation),
        ),
      );
    }
    if (statements.length) await this.ask(statements, readers);
    return {
      searchPath: this.searchPath ?? [],
      functions: questions.functionNames.flatMap((name) => this.functions.get(name) ?? []),
      operators: questions.operatorNames.flatMap((name) => this.operators.get(name) ?? []),
      views: questions.relations.flatMap((r) => this.views.get(relationKey(r)) ?? []),
    };
  }

  private async ask(statements: SqlStatement[], readers: Array<(rows: unknown[][]) => void>): Promise<void> {
    const outcome = await this.runner.run(statements, {
      mode: 'read',
      statementTimeoutMs: LOOKUP_TIMEOUT_MS,
      maxRows: MAX_ROWS,
    });
    if (outcome.error) throw new CatalogLookupError(outcome.error);
    if (outcome.results.some((r) => r.capped))
      throw new CatalogLookupError({
        kind: 'other',
        title: 'The catalog lookup returned too much',
        message: `More than ${MAX_ROWS} catalog rows for the functions and views of this SQL.`,
        advice: 'Nothing ran.',
      });
    outcome.results.forEach((result, i) => readers[i](result.rows));
  }

  /** Keeps what was found under each key asked, and an empty list for a key with nothing. */
  private keep<T>(cache: Map<string, T[]>, asked: readonly string[], found: T[], keyOf: (item: T) => string): void {
    for (const key of asked) cache.set(key, []);
    for (const item of found) cache.get(keyOf(item))?.push(item);
  }
}

function catalogFunction(row: unknown[]): CatalogFunction {
  if (row.length < FUNCTION_COLUMN_COUNT) throw new Error('catalog row too short');
  const fn: CatalogFunction = {
    schema: String(row[0]),
    name: String(row[1]),
    volatility: String(row[2]) as CatalogFunction['volatility'],
    argumentCount: Number(row[3]),
    defaultCount: Number(row[4]),
    variadic: row[5] === true,
    argumentNames: (row[6] as string[] | null) ?? [],
    argumentTypes: (row[7] as string[] | null) ?? [],
  };
  if (row[8] !== null && row[8] !== undefined) fn.extension = String(row[8]);
  return fn;
}

function relationUse(schema: string, name: string): RelationUse {
  return schema === '' ? { name } : { schema, name };
}
