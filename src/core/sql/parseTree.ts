// Reading PostgreSQL's raw parse tree (the JSON libpg-query gives): which kind a node is, its fields, the names it
// holds, and a walk over every node below one. The tree follows Postgres's own structs (parsenodes.h); a field
// that is zero, false or empty is left out of the JSON.
import type { PgNode } from './sqlParser';

type Fields = Record<string, unknown>;

/** `SelectStmt` for `{ SelectStmt: {…} }`; undefined for anything that is not a node. */
export function nodeKind(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  return keys.length === 1 && /^[A-Z]/.test(keys[0]) ? keys[0] : undefined;
}

/** The fields of a node (`{ SelectStmt: fields }`), or of a struct embedded without its kind. */
export function nodeFields(node: unknown): Fields {
  const kind = nodeKind(node);
  if (kind !== undefined) return ((node as Fields)[kind] ?? {}) as Fields;
  return node !== null && typeof node === 'object' ? (node as Fields) : {};
}

/** The value of a `{ String: { sval } }` node. */
export function stringValue(node: unknown): string | undefined {
  if (nodeKind(node) !== 'String') return undefined;
  return String(nodeFields(node).sval ?? '');
}

/** The names of a qualified-name list (`funcname`, `name` of an operator): `["pg_catalog", "now"]`. */
export function nameList(list: unknown): string[] | undefined {
  if (!Array.isArray(list)) return undefined;
  const names = list.map(stringValue);
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}

/** The text of a string constant (`'…'`, `E'…'`, `$$…$$`, `U&'…'`, decoded by the parser); undefined otherwise. */
export function stringConstant(node: unknown): string | undefined {
  if (nodeKind(node) !== 'A_Const') return undefined;
  const sval = nodeFields(node).sval as { sval?: string } | undefined;
  return sval === undefined ? undefined : (sval.sval ?? '');
}

export function listField(fields: Fields, name: string): unknown[] {
  const value = fields[name];
  return Array.isArray(value) ? value : [];
}

/**
 * Calls `visit` for every node at or below `root`, parents first. Structs embedded without their kind (a
 * SelectStmt's `larg`, a CallStmt's `funccall`) are walked through, with `embeddedAs` naming the field.
 */
export function walkTree(
  root: unknown,
  visit: (kind: string, fields: Fields, embeddedAs?: string) => void,
  embeddedAs?: string,
): void {
  if (root === null || typeof root !== 'object') return;
  if (Array.isArray(root)) {
    for (const item of root) walkTree(item, visit);
    return;
  }
  const kind = nodeKind(root);
  const fields = kind !== undefined ? nodeFields(root) : (root as Fields);
  if (kind !== undefined) visit(kind, fields);
  else if (embeddedAs !== undefined) visit('', fields, embeddedAs);
  for (const [key, value] of Object.entries(fields)) {
    if (value !== null && typeof value === 'object') walkTree(value, visit, Array.isArray(value) ? undefined : key);
  }
}

/** The statement node's kind and fields: `{ kind: 'SelectStmt', fields }`. */
export function statementOf(tree: PgNode): { kind: string; fields: Fields } {
  return { kind: nodeKind(tree) ?? '', fields: nodeFields(tree) };
}
