// What a statement calls and reads, from its parse tree, with names as Postgres resolves them (escapes decoded,
// unquoted names folded to lower case): every function call, every function reached through field notation
// (`(pid).pg_cancel_backend` calls pg_cancel_backend(pid)), every operator (an operator is a function call too)
// and every relation read (a view runs the functions of its query). The server's catalog then says what each one
// is (catalogVerdict.ts).
import { listField, nameList, nodeKind, stringValue, walkTree } from './parseTree';
import type { PgNode } from './sqlParser';

export interface FunctionCallSite {
  /** The schema the call names (`pg_catalog.now()`); undefined for a name resolved through the search path. */
  schema?: string;
  name: string;
  /** The call's arguments, as nodes of the parse tree. */
  args: unknown[];
  /** Written as a field (`(x).f`, `t.f`): Postgres calls f with one argument when no column has that name. */
  viaField?: true;
  /** A named argument (`f(query => …)`) is among the arguments. */
  namedArguments?: true;
}

export interface OperatorUse {
  schema?: string;
  name: string;
}

export interface RelationUse {
  schema?: string;
  name: string;
}

export interface CalledObjects {
  functions: FunctionCallSite[];
  operators: OperatorUse[];
  relations: RelationUse[];
}

const OPERATOR_NAME = /^[+\-*/<>=~!@#%^&|`?]+$/;

export function emptyObjects(): CalledObjects {
  return { functions: [], operators: [], relations: [] };
}

/** Everything the statement's tree calls or reads (not what query text given to a function holds). */
export function calledObjects(tree: PgNode): CalledObjects {
  const found = emptyObjects();
  walkTree(tree, (kind, fields, embeddedAs) => {
    if (kind === 'FuncCall' || embeddedAs === 'funccall') {
      const names = nameList(fields.funcname);
      if (!names?.length) return;
      const args = listField(fields, 'args');
      const call: FunctionCallSite = { ...qualified(names), args };
      if (args.some((arg) => nodeKind(arg) === 'NamedArgExpr')) call.namedArguments = true;
      found.functions.push(call);
    } else if (kind === 'A_Indirection') {
      for (const item of listField(fields, 'indirection')) {
        const name = stringValue(item);
        if (name !== undefined) found.functions.push({ name, args: [fields.arg], viaField: true });
      }
    } else if (kind === 'ColumnRef') {
      // `t.f` is column f of t, or f(t) when t has no such column; `a` alone is only ever a column.
      const names = nameList(listField(fields, 'fields').filter((f) => nodeKind(f) !== 'A_Star'));
      const last = listField(fields, 'fields').at(-1);
      if (names && names.length >= 2 && nodeKind(last) === 'String')
        found.functions.push({ name: names[names.length - 1], args: [], viaField: true });
    } else if (kind === 'A_Expr') {
      const names = nameList(fields.name);
      if (names?.length && OPERATOR_NAME.test(names[names.length - 1])) found.operators.push(qualified(names));
    } else if (kind === 'RangeVar') {
      const relation: RelationUse = { name: String(fields.relname ?? '') };
      if (typeof fields.schemaname === 'string') relation.schema = fields.schemaname;
      if (relation.name) found.relations.push(relation);
    }
  });
  return found;
}

export function mergeObjects(into: CalledObjects, more: CalledObjects): CalledObjects {
  into.functions.push(...more.functions);
  into.operators.push(...more.operators);
  into.relations.push(...more.relations);
  return into;
}

/** `f(x)` as written: `schema.f` or `f`, for reasons. */
export function callName(call: { schema?: string; name: string }): string {
  return call.schema ? `${call.schema}.${call.name}` : call.name;
}

/** ["db", "schema", "name"], ["schema", "name"] or ["name"] → schema and name. */
function qualified(names: string[]): { schema?: string; name: string } {
  const name = names[names.length - 1];
  return names.length >= 2 ? { schema: names[names.length - 2], name } : { name };
}
