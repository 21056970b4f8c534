// How much a SQL statement can change, and why, in words a user can act on.

/** From least to most dangerous. */
export type SqlRisk = 'read' | 'write' | 'schema' | 'admin';

export interface SqlClassification {
  risk: SqlRisk;
  /** Why, in words a user can act on: "UPDATE changes rows", "calls pg_terminate_backend()". */
  reason: string;
}

export interface SqlBlockClassification extends SqlClassification {
  /** Index of the statement that decided the block's risk (the first one with the highest risk). */
  statementIndex?: number;
}

const RISK_RANK: Record<SqlRisk, number> = { read: 0, write: 1, schema: 2, admin: 3 };

/** The first of the riskiest verdicts (of a statement's parts, of a block's statements); undefined for none. */
export function riskiest<T extends { readonly risk: SqlRisk }>(verdicts: readonly T[]): T | undefined {
  let best: T | undefined;
  for (const verdict of verdicts)
    if (best === undefined || RISK_RANK[verdict.risk] > RISK_RANK[best.risk]) best = verdict;
  return best;
}

export function read(reason: string): SqlClassification {
  return { risk: 'read', reason };
}
export function write(reason: string): SqlClassification {
  return { risk: 'write', reason };
}
export function schema(reason: string): SqlClassification {
  return { risk: 'schema', reason };
}
export function admin(reason: string): SqlClassification {
  return { risk: 'admin', reason };
}

// Settings that change who we are or whether the transaction may write.
export const GUARDED_SETTINGS: ReadonlySet<string> = new Set([
  'role',
  'session_authorization',
  'transaction_read_only',
  'default_transaction_read_only',
  'transaction_isolation',
  'default_transaction_isolation',
  'session_replication_role',
  'row_security',
]);
