// Transaction-control statements inside a block. The runner wraps the whole block in its own
// transaction (read-only unless confirmed as a write), so a COMMIT in the middle would end that
// transaction and let the statements after it run outside it, read-write. Runbooks often write
// `begin; ...; commit;` or `begin; ...; rollback;` around a block, which says exactly what the
// runner does anyway, so those are understood; anything else is refused before anything runs.

/** What a statement does to the transaction, if anything. */
export type TransactionControl =
  | 'begin' // plain BEGIN / START TRANSACTION without options
  | 'commit' // COMMIT / END
  | 'rollback' // ROLLBACK / ABORT (not ROLLBACK TO SAVEPOINT)
  | 'other'; // BEGIN with options, COMMIT AND CHAIN, PREPARE TRANSACTION, COMMIT PREPARED, ...

const CONTROL_VERBS = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'prepare']);

export function transactionControlOf(sql: string): TransactionControl | undefined {
  const leading = leadingCode(sql);
  // Most statements are decided by their first word, without looking at the rest of the text.
  if (!CONTROL_VERBS.has(/^[A-Za-z]*/.exec(leading)![0].toLowerCase())) return undefined;
  const code = leading.replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
  const words = code.toLowerCase().replace(/;\s*$/, '').trim().split(/\s+/);
  const [first, second] = words;
  const rest = words.slice(1).filter((w) => w !== 'work' && w !== 'transaction');
  switch (first) {
    case 'begin':
      return rest.length === 0 ? 'begin' : 'other';
    case 'start':
      return second === 'transaction' ? (rest.length === 0 ? 'begin' : 'other') : undefined;
    case 'commit':
    case 'end':
      return rest.length === 0 || rest.join(' ') === 'and no chain' ? 'commit' : 'other';
    case 'rollback':
    case 'abort':
      if (rest[0] === 'to') return undefined; // ROLLBACK TO SAVEPOINT stays inside the transaction
      return rest.length === 0 || rest.join(' ') === 'and no chain' ? 'rollback' : 'other';
    case 'prepare':
      return second === 'transaction' ? 'other' : undefined;
    default:
      return undefined;
  }
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

export function planTransaction(statements: readonly string[]): TransactionPlan {
  const plan: TransactionPlan = { handled: new Map(), endsWithRollback: false };
  const last = statements.length - 1;
  statements.forEach((text, index) => {
    const control = transactionControlOf(text);
    if (control === undefined || plan.refused) return;
    if (control === 'begin' && index === 0) plan.handled.set(index, 'begin');
    else if ((control === 'commit' || control === 'rollback') && index === last && index > 0) {
      plan.handled.set(index, control);
      plan.endsWithRollback = control === 'rollback';
    } else plan.refused = { index, text: firstLine(text) };
  });
  return plan;
}

/** The text with leading blanks and comments (line and nested block comments) removed. */
function leadingCode(sql: string): string {
  let i = 0;
  for (;;) {
    while (i < sql.length && /\s/.test(sql[i])) i++;
    if (sql.startsWith('--', i)) {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', i)) {
      let depth = 0;
      while (i < sql.length) {
        if (sql.startsWith('/*', i)) {
          depth++;
          i += 2;
        } else if (sql.startsWith('*/', i)) {
          depth--;
          i += 2;
          if (depth === 0) break;
        } else i++;
      }
    } else return sql.slice(i);
  }
}

function firstLine(sql: string): string {
  return leadingCode(sql).split('\n')[0].trim();
}
