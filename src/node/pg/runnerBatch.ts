// The message batch the runner sends for one block (see statementPipeline.ts): every step of every transaction,
// then one Sync, so a block costs one round trip however many transactions it holds.
//   read:  for each statement: BEGIN READ ONLY | prelude | <statement> | ROLLBACK | …   (the last one runs the
//          session check before its ROLLBACK) | Sync
//   write: BEGIN READ WRITE | prelude | <statements> | COMMIT | Sync
// The prelude, SELECT pg_catalog.set_config('statement_timeout', '<n>ms', true), also takes the transaction's first
// snapshot: afterwards Postgres refuses `SET TRANSACTION READ WRITE`, so a read can never switch itself to
// read-write. Schema-qualified, so a user's own set_config can never stand in for Postgres's. In a read batch the
// timeout is written into its text (digits the runner formats itself): a statement without parameters is planned
// once per session, where one with a parameter would be planned on every run (plan_cache_mode, sessionStatements.ts).
//
// The session check, run in the last statement's transaction (so on the server session the statements ran on, also
// behind a transaction pooler), releases session advisory locks, which ROLLBACK does not, and reports prepared
// statements made by SQL, which no rollback removes either: then the runner closes the connection.
//
// In a read batch every step of the runner's own, and each query worth keeping, is a named statement
// (sessionStatements.ts): bound alone where this runner parsed it before on this session, else closed and parsed
// anew in the same batch, so it never binds a statement it did not parse itself.
import type { TransactionPlan } from '../../core/sql/transactionControl';
import type { PipelineResult, PipelineStep, StepResult } from './statementPipeline';
import type { SessionStatements } from './sessionStatements';

export const READ_BEGIN = 'BEGIN READ ONLY';
export const READ_BEGIN_NAME = 'runbook_companion_begin_read_v1';
const PRELUDE = "SELECT pg_catalog.set_config('statement_timeout', $1, true)";
const preludeFor = (timeout: string) => `SELECT pg_catalog.set_config('statement_timeout', '${timeout}', true)`;
export const READ_PRELUDE_NAME = 'runbook_companion_read_prelude_v2';
export const SESSION_CHECK =
  'SELECT pg_catalog.pg_advisory_unlock_all(), EXISTS (SELECT FROM pg_catalog.pg_prepared_statements WHERE from_sql)';
export const READ_END = 'ROLLBACK';
export const READ_END_NAME = 'runbook_companion_end_read_v1';

const NO_VALUES: readonly unknown[] = [];
/** Execute's row limit is a signed 32-bit count. */
const MAX_ROW_LIMIT = 2 ** 31 - 2;

/** What a step of a read batch does in its statement's transaction. */
export type StepRole = 'begin' | 'prelude' | 'statement' | 'check' | 'end';

/** A statement of the block as the batch needs it. */
export interface BatchStatement {
  text: string;
  values: readonly unknown[];
  /** A query (SELECT, VALUES, TABLE) that may be kept as a named statement on the session. */
  query: boolean;
}

export interface Batch {
  steps: PipelineStep[];
  /** Pipeline step index → index of the caller's statement it runs. */
  statementOfStep: Map<number, number>;
  /** Read batches, per step: what it does, and the caller's statement whose transaction it belongs to. */
  roles?: StepRole[];
  transactionOf?: number[];
  /** Names this batch parses, with their text: bindable on this session once the batch succeeded. */
  parsed: Map<string, string>;
  /** What this batch last parsed as the unnamed statement, which the session holds after it. */
  unnamed?: string;
  /** The read block's session check. */
  sessionCheckStep?: number;
  /** The write block's COMMIT (or ROLLBACK, for a block that ends with one). */
  commitStep?: number;
}

/**
 * The read batch for the statements from `from` on (earlier ones already ran: see SessionStatements on stale
 * names). Statements the plan handles itself (a leading BEGIN, a final COMMIT) are left out.
 */
export function buildReadBatch(
  statements: readonly BatchStatement[],
  plan: TransactionPlan,
  options: { statementTimeoutMs: number; maxRows: number },
  session: SessionStatements,
  from = 0,
): Batch {
  const builder = new ReadBatchBuilder(
    session,
    rowLimitOf(options.maxRows),
    preludeFor(timeoutOf(options.statementTimeoutMs)),
  );
  let last = -1;
  for (let index = statements.length - 1; index >= from; index--)
    if (!plan.handled.has(index)) {
      last = index;
      break;
    }
  // With nothing to run (a block of BEGIN and COMMIT only) the session check still gets its transaction.
  if (last === -1) builder.transaction(Math.max(from, 0), undefined, true);
  for (let index = from; index <= last; index++)
    if (!plan.handled.has(index)) builder.transaction(index, statements[index], index === last);
  return builder.batch;
}

/**
 * Which steps of a read batch may bind a name alone. At the start of a batch every name on a direct session holds
 * what this runner parsed (SessionStatements). Once a statement of the block has run, SQL may have replaced any
 * name (a VOLATILE function can DEALLOCATE and PREPARE), so from then on:
 * - BEGIN READ ONLY, the prelude and queries are closed and parsed anew (Close then Parse: the runner never binds
 *   what it did not parse), so each later statement still runs read-only, with its timeout, as written;
 * - the session check is the unnamed statement, which SQL cannot reach (PREPARE needs a name, DEALLOCATE ALL leaves
 *   it alone): it is parsed only when the batch used the unnamed statement for something else, and it always sees
 *   what the statements prepared, before anything else of the runner's runs after them;
 * - ROLLBACK stays bound: an impostor there could only keep the READ ONLY transaction open, and the check, which
 *   sees the impostor, has the connection closed, which rolls it back.
 */
class ReadBatchBuilder {
  readonly batch: Batch = {
    steps: [],
    statementOfStep: new Map(),
    roles: [],
    transactionOf: [],
    parsed: new Map(),
  };
  /** A statement of the block has run before the step being added. */
  private afterStatements = false;

  constructor(
    private readonly session: SessionStatements,
    private readonly keepRows: number,
    private readonly prelude: string,
  ) {}

  /** BEGIN READ ONLY, the prelude, the statement (if any), the session check (in the last one) and ROLLBACK. */
  transaction(index: number, statement: BatchStatement | undefined, last: boolean): void {
    this.add(this.own(READ_BEGIN_NAME, READ_BEGIN), 'begin', index);
    this.add(this.own(READ_PRELUDE_NAME, this.prelude), 'prelude', index);
    if (statement) {
      const name = statement.query ? this.session.nameForQuery(statement.text) : '';
      this.add(this.step(name, statement.text, statement.values, this.keepRows), 'statement', index);
      this.afterStatements = true;
    }
    // Inside the last transaction, so that it runs on the statements' server session and is rolled back too.
    if (last) {
      this.batch.sessionCheckStep = this.batch.steps.length;
      this.add(this.check(), 'check', index);
    }
    this.add(this.own(READ_END_NAME, READ_END, true), 'end', index);
  }

  /** One of the runner's own steps: named on a direct session, else the unnamed statement. */
  private own(name: string, text: string, evenAfterStatements = false): PipelineStep {
    return this.step(this.session.direct ? name : '', text, NO_VALUES, undefined, evenAfterStatements);
  }

  /** The session check: the unnamed statement, bound alone while it holds the check. */
  private check(): PipelineStep {
    const { unnamed } = this.batch;
    if (unnamed === undefined ? this.session.holdsUnnamed(SESSION_CHECK) : unnamed === SESSION_CHECK)
      return { text: SESSION_CHECK, values: NO_VALUES, parsed: true };
    return this.step('', SESSION_CHECK, NO_VALUES);
  }

  private step(
    name: string,
    text: string,
    values: readonly unknown[],
    keepRows?: number,
    evenAfterStatements = false,
  ): PipelineStep {
    if (name === '') {
      this.batch.unnamed = text;
      return { text, values, keepRows };
    }
    const { parsed } = this.batch;
    const trusted = !this.afterStatements || evenAfterStatements;
    const bound = trusted && (parsed.has(name) ? parsed.get(name) === text : this.session.holds(name, text));
    if (!bound) parsed.set(name, text);
    return { text, values, name, parsed: bound, replace: !bound, keepRows };
  }

  private add(step: PipelineStep, role: StepRole, statementIndex: number): void {
    const { steps, statementOfStep, roles, transactionOf } = this.batch;
    if (role === 'statement') statementOfStep.set(steps.length, statementIndex);
    roles!.push(role);
    transactionOf!.push(statementIndex);
    steps.push(step);
  }
}

/** One transaction for the whole block, committed only when every statement succeeded; nothing named. */
export function buildWriteBatch(
  statements: readonly BatchStatement[],
  plan: TransactionPlan,
  options: { statementTimeoutMs: number; maxRows: number },
): Batch {
  const keepRows = rowLimitOf(options.maxRows);
  const steps: PipelineStep[] = [
    { text: 'BEGIN READ WRITE', values: [] },
    { text: PRELUDE, values: [timeoutOf(options.statementTimeoutMs)] },
  ];
  const statementOfStep = new Map<number, number>();
  statements.forEach((statement, index) => {
    if (plan.handled.has(index)) return;
    statementOfStep.set(steps.length, index);
    steps.push({ text: statement.text, values: statement.values, keepRows });
  });
  const commitStep = steps.length;
  steps.push({ text: plan.endsWithRollback ? 'ROLLBACK' : 'COMMIT', values: [] });
  return { steps, statementOfStep, parsed: new Map(), commitStep };
}

/**
 * Where a read batch met a name this runner trusted but the session no longer holds as parsed: 26000 (SQL
 * deallocated it) or 0A000 from the plan cache (the query's result type changed, as after ALTER TABLE). Both come
 * from the Bind, before anything of that step ran; the same codes from a step that was running (its
 * RowDescription came) are the statement's own errors.
 */
export function staleNameAt(batch: Batch, result: PipelineResult): number | undefined {
  const failed = result.failedStep;
  if (failed === undefined || !batch.steps[failed]?.parsed || result.failedWhileRunning) return undefined;
  const error = result.error as { code?: string; routine?: string } | undefined;
  const stale = error?.code === '26000' || (error?.code === '0A000' && error.routine === 'RevalidateCachedQuery');
  return stale ? failed : undefined;
}

/** The session check's second column: SQL left prepared statements behind, which no rollback removes. */
export function leftPreparedStatements(check: StepResult | undefined): boolean {
  const flag = check?.rows[0]?.[1];
  return flag === true || flag === 't';
}

function rowLimitOf(maxRows: number): number {
  return Math.min(MAX_ROW_LIMIT, Math.max(0, Math.floor(maxRows)));
}

function timeoutOf(statementTimeoutMs: number): string {
  return `${Math.max(0, Math.floor(statementTimeoutMs))}ms`;
}
