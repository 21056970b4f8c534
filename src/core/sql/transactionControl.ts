// Transaction-control statements inside a block, read from the parse tree. The runner wraps statements in its own
// transactions (each read in a READ ONLY one that is rolled back, a confirmed write block in one that commits only
// when every statement succeeded), so a COMMIT in the middle would end that transaction and let the statements
// after it run outside it. Runbooks often write `begin; ...; commit;` or `begin; ...; rollback;` around a block,
// which says what the runner does anyway, so those are understood; anything else is refused before anything runs.
import { listField, statementOf } from './parseTree';
import type { PgNode } from './sqlParser';

/** What a statement does to the transaction, if anything. */
export type TransactionControl =
  | 'begin' // plain BEGIN / START TRANSACTION without options
  | 'commit' // COMMIT / END
  | 'rollback' // ROLLBACK / ABORT (not ROLLBACK TO SAVEPOINT)
  | 'other'; // BEGIN with options, COMMIT AND CHAIN, PREPARE TRANSACTION, COMMIT PREPARED, ...

/** Savepoints stay inside the runner's transaction; they need one to be explicit, which it always is. */
const INSIDE_THE_TRANSACTION = new Set(['TRANS_STMT_SAVEPOINT', 'TRANS_STMT_RELEASE', 'TRANS_STMT_ROLLBACK_TO']);

export function transactionControlOf(tree: PgNode | undefined): TransactionControl | undefined {
  if (tree === undefined) return undefined;
  const { kind, fields } = statementOf(tree);
  if (kind !== 'TransactionStmt') return undefined;
  const control = String(fields.kind ?? '');
  if (INSIDE_THE_TRANSACTION.has(control)) return undefined;
  const plain = listField(fields, 'options').length === 0 && !fields.chain;
  if (control === 'TRANS_STMT_BEGIN' || control === 'TRANS_STMT_START') return plain ? 'begin' : 'other';
  if (control === 'TRANS_STMT_COMMIT') return plain ? 'commit' : 'other';
  if (control === 'TRANS_STMT_ROLLBACK') return plain ? 'rollback' : 'other';
  return 'other';
}

/** How the runner treats each statement of a block. */
export interface TransactionPlan {
  /** Indexes of statements the runner handles itself (a leading BEGIN, a trailing COMMIT/ROLLBACK). */
  handled: Map<number, 'begin' | 'commit' | 'rollback'>;
  /** True when the block ends with ROLLBACK: nothing is kept, even for a confirmed write. */
  endsWithRollback: boolean;
  /** The first statement that cannot run inside the runner's transaction, if any. */
  refused?: { index: number; text: string };
}

/** The plan for a block, from each statement's transaction control (undefined for ordinary statements). */
export function planTransaction(
  statements: ReadonlyArray<{ text: string; control: TransactionControl | undefined }>,
): TransactionPlan {
  const plan: TransactionPlan = { handled: new Map(), endsWithRollback: false };
  const last = statements.length - 1;
  statements.forEach(({ text, control }, index) => {
    if (control === undefined || plan.refused) return;
    if (control === 'begin' && index === 0) plan.handled.set(index, 'begin');
    else if ((control === 'commit' || control === 'rollback') && index === last && index > 0) {
      plan.handled.set(index, control);
      plan.endsWithRollback = control === 'rollback';
    } else plan.refused = { index, text: firstCodeLine(text) };
  });
  return plan;
}

function firstCodeLine(text: string): string {
  return (
    text
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !line.startsWith('--')) ?? text.trim()
  );
}
