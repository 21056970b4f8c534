// Runs the SQL blocks of a runbook on one project's Postgres.
//
// Safety comes from Postgres, not from parsing: a block runs inside BEGIN READ ONLY unless the
// user confirmed it as a write, with SET LOCAL statement_timeout, so the server itself refuses
// writes and long queries. A write block commits only if every statement succeeded. Rows are
// capped on the server (an Execute row limit on the statement's portal), so a million-row query
// transfers no more than the cap.
//
// The whole block goes out as one pipelined message batch (see statementPipeline.ts):
//   BEGIN READ ONLY | BEGIN READ WRITE
//   SELECT pg_catalog.set_config('statement_timeout', $1, true)  -- SET LOCAL; takes the first snapshot
//   <statement 1> ... <statement n>                    -- Execute with a row limit of maxRows + 1
//   ROLLBACK | COMMIT
//   Sync
// Postgres skips everything after an error until the Sync, then the runner sends ROLLBACK.
// Taking a snapshot before the user's statements matters: afterwards Postgres refuses
// `SET TRANSACTION READ WRITE`, so a read-only block cannot switch itself to read-write.
//
// Fast path for the most common run, a single read statement: every message before a Sync runs
// in one implicit transaction, so the batch is just
//   SELECT pg_catalog.set_config('transaction_read_only', 'on', true),
//          pg_catalog.set_config('statement_timeout', $1, true)
//   <statement>
//   Sync
// which is as read-only as BEGIN READ ONLY (the same setting, fixed by the snapshot) and costs
// two statements less on the server. The first statement is a named prepared statement, parsed
// once per connection, so the server only binds and runs it (parsing it every time would cost a
// tiny query ~25% more). The runner binds it only while nothing can have replaced it: on a new
// connection, after a failed block, or after commands that handle prepared statements (DEALLOCATE,
// DISCARD, PREPARE, DO, CALL, EXECUTE) the batch closes the name and parses the prelude again in
// the same pipeline. A server-side function written to replace it is out of scope: such code could
// as well write through dblink, which no read-only transaction stops.
// Behind a transaction pooler (Supabase's port 6543) one client connection meets many server
// connections; on 26000/42P05 the batch is sent once more with Close + Parse, and from then on
// every batch is sent that way.
// The implicit transaction commits at the Sync; for a read-only transaction that differs from a
// rollback only in session settings, so a statement that can change them is followed by DISCARD ALL.
// Callers that promise a rollback (check --db) ask for `explicitTransaction` and get BEGIN READ
// ONLY ... ROLLBACK instead.
//
// Cancel uses the protocol's cancel request (cancelRequest.ts), repeated until the batch answers,
// and cuts the connection if the server has not stopped within CANCEL_GRACE_MS.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { ClientConfig, FieldDef, PoolClient } from 'pg';
import { explainDatabaseError, type ConnectionTarget, type DatabaseErrorReport } from '../../core/sql/connectionErrors';
import { planTransaction, type TransactionPlan } from '../../core/sql/transactionControl';
import { sendCancelRequest } from './cancelRequest';
import { TypeNames } from './pgTypes';
import { StatementPipeline, type PipelineResult, type PipelineStep, type StepResult } from './statementPipeline';
import { tlsOptionsFor, type SslMode } from './tlsOptions';

export type { SslMode } from './tlsOptions';

export interface PgConnectionSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  sslmode: SslMode;
  caFile?: string;
  /** Shown in pg_stat_activity, so a DBA can tell the runbook's sessions apart. */
  applicationName?: string;
}

export interface PgRunnerOptions {
  connection: PgConnectionSettings;
  poolSize?: number;
  connectTimeoutMs?: number;
  /** Idle connections are closed after this long (stale connections are a common failure). */
  idleTimeoutMs?: number;
  readFile?: (path: string) => Promise<string>;
}

export interface SqlStatement {
  text: string;
  values: unknown[];
  /** 0-based line of the statement in the runbook, for the caller's own use. */
  line?: number;
}

export interface RunOptions {
  mode: 'read' | 'write';
  /** 0 means no timeout. */
  statementTimeoutMs: number;
  maxRows: number;
  signal?: AbortSignal;
  /** Always BEGIN ... ROLLBACK/COMMIT, even for a single read (no fast path). */
  explicitTransaction?: boolean;
}

export interface ColumnInfo {
  name: string;
  typeName: string;
  typeOid: number;
}

export interface StatementResult {
  statementIndex: number;
  /** The command tag: SELECT, INSERT, UPDATE, CREATE TABLE, ... ('' for a comment-only statement). */
  command: string;
  columns: ColumnInfo[];
  /** One array per row, in column order, values as pg parsed them (see displayValue.ts). */
  rows: unknown[][];
  /** Rows returned or affected; null when the result was capped (the total is unknown). */
  rowCount: number | null;
  /** More rows existed than maxRows; they were never transferred. */
  capped: boolean;
  durationMs: number;
  /** Set when the runner handled the statement itself (a leading BEGIN, a trailing COMMIT). */
  note?: string;
}

export type RunError = DatabaseErrorReport & { statementIndex?: number };

export interface RunOutcome {
  status: 'ok' | 'error' | 'cancelled';
  results: StatementResult[];
  error?: RunError;
  totalMs: number;
  /** True only for a write block whose COMMIT succeeded. */
  committed: boolean;
}

const DEFAULT_APPLICATION_NAME = 'runbook-companion';
/** After a cancel request, how long the server gets before the connection is cut instead. */
const CANCEL_GRACE_MS = 2000;
/**
 * Postgres ignores a cancel that arrives while the backend is reading the next message, which
 * happens between the statements of a pipelined block; the request is repeated this often.
 */
const CANCEL_REPEAT_MS = 100;
/** Execute's row limit is a signed 32-bit count. */
const MAX_ROW_LIMIT = 2 ** 31 - 2;
/** Schema-qualified, so a user's own set_config function can never stand in for Postgres's. */
const READ_PRELUDE =
  "SELECT pg_catalog.set_config('transaction_read_only', 'on', true), pg_catalog.set_config('statement_timeout', $1, true)";
const READ_PRELUDE_NAME = 'runbook_companion_read_prelude_v1';

/** One run in progress. Cheap to create: the promise a cancel waits on is made only when needed. */
class ActiveRun {
  client?: PoolClient;
  cancelRequested = false;
  finished = false;
  /** Resolves a run still waiting for a pooled connection. */
  stopWaiting?: () => void;
  /** Settles once the last cancel request has reached the server (or gave up). */
  cancelSent?: Promise<unknown>;
  /** The batch is answered (or was never sent): no more cancel requests for this run. */
  quiet = false;
  forceTimer?: ReturnType<typeof setTimeout>;
  private quietWaiter?: { promise: Promise<void>; resolve: () => void };

  get becameQuiet(): Promise<void> {
    if (this.quiet) return Promise.resolve();
    if (!this.quietWaiter) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      this.quietWaiter = { promise, resolve };
    }
    return this.quietWaiter.promise;
  }

  markQuiet(): void {
    this.quiet = true;
    this.quietWaiter?.resolve();
  }
}

/** While checked out, the pool does not listen for a client's errors; see guardErrors. */
const ignoreError = (): void => undefined;

export class PgRunner {
  private readonly settings: PgConnectionSettings;
  private readonly poolSize: number;
  private readonly connectTimeoutMs: number;
  private readonly idleTimeoutMs: number;
  private readonly readFile: (path: string) => Promise<string>;
  private readonly target: ConnectionTarget;
  private readonly typeNames = new TypeNames();
  private readonly active = new Set<ActiveRun>();
  /** Connections on which READ_PRELUDE is already prepared. */
  private readonly preludePrepared = new WeakSet<object>();
  /** Connections that carry the runner's own 'error' listener. */
  private readonly guarded = new WeakSet<object>();
  private pool?: pg.Pool;
  private poolReady?: Promise<pg.Pool>;
  private tls: ConnectionOptions | false = false;
  /** sslmode prefer against a server without TLS: connect in plain text from then on. */
  private plainFallback = false;
  /** A transaction pooler sits in front: never trust a prelude prepared on an earlier run. */
  private preludeUnreliable = false;
  private disposed = false;
  /** Resolved when the last run in progress ends (see whenIdle). */
  private idleWaiters: Array<() => void> = [];

  constructor(options: PgRunnerOptions) {
    this.settings = { ...options.connection };
    this.poolSize = Math.max(1, Math.floor(options.poolSize ?? 3));
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.readFile = options.readFile ?? ((path) => readFileFromDisk(path, 'utf8'));
    const { host, port, database, user, sslmode } = this.settings;
    this.target = { host, port, database, user, sslmode };
  }

  get applicationName(): string {
    return this.settings.applicationName ?? DEFAULT_APPLICATION_NAME;
  }

  /** Whether a run is in progress (waiting for a connection, running or being cancelled). */
  get busy(): boolean {
    return this.active.size > 0;
  }

  /** Resolves once no run is in progress: at once when none is. */
  whenIdle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Server connections this runner holds open (busy and idle). */
  activeConnections(): number {
    return this.pool?.totalCount ?? 0;
  }

  async run(statements: readonly SqlStatement[], options: RunOptions): Promise<RunOutcome> {
    const startedAt = performance.now();
    if (this.disposed) return failedOutcome(startedAt, this.explain(new Error('The runner has been disposed')));
    if (statements.length === 0) return outcomeOf(startedAt, 'ok', [], undefined, false);
    const plan = planTransaction(statements.map((s) => s.text));
    if (plan.refused) return failedOutcome(startedAt, refusedControl(plan.refused));
    const signal = options.signal;
    if (signal?.aborted) return failedOutcome(startedAt, cancelledBeforeStart(), 'cancelled');

    const run = new ActiveRun();
    const onAbort = signal ? () => this.cancelRun(run) : undefined;
    if (onAbort) signal!.addEventListener('abort', onAbort, { once: true });
    this.active.add(run);
    try {
      let client: PoolClient | undefined;
      try {
        client = await this.acquire(run);
      } catch (error) {
        return failedOutcome(startedAt, this.explain(error));
      }
      if (!client) return failedOutcome(startedAt, cancelledBeforeStart(), 'cancelled');
      run.client = client;
      try {
        const done = await this.runOnClient(client, run, statements, plan, options);
        return outcomeOf(startedAt, done.status, done.results, done.error, done.committed);
      } catch (error) {
        return failedOutcome(startedAt, this.explain(error)); // e.g. a parameter value pg cannot serialise
      }
    } finally {
      run.finished = true;
      if (run.forceTimer) clearTimeout(run.forceTimer);
      if (onAbort) signal!.removeEventListener('abort', onAbort);
      this.active.delete(run);
      if (this.active.size === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }
  }

  /** Cancels every run in progress (the PostgreSQL cancel request; no pool slot needed). */
  cancel(): void {
    for (const run of this.active) this.cancelRun(run);
  }

  /** Cancels what is running and closes every connection. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.cancel();
    const pool = await this.poolReady?.catch(() => undefined);
    // Let the cancelled runs hand their connections back before the pool ends.
    await Promise.all([...this.active].map((run) => run.cancelSent));
    await pool?.end();
  }

  private async runOnClient(
    client: PoolClient,
    run: ActiveRun,
    statements: readonly SqlStatement[],
    plan: TransactionPlan,
    options: RunOptions,
  ): Promise<Omit<RunOutcome, 'totalMs'>> {
    this.guardErrors(client);
    let broken: Error | undefined;
    try {
      if (run.cancelRequested)
        return { status: 'cancelled', results: [], error: cancelledBeforeStart(), committed: false };
      let batch = buildBatch(statements, plan, options, this.preludeTrusted(client));
      let result = await runBatch(client, batch);
      if (batch.namedPrelude && preludeStateWrong(result)) {
        // A pooler in transaction mode (Supabase's port 6543) moved us to a server connection
        // where the prelude is missing (26000) or is someone else's (42P05). Nothing ran. Run
        // again with the prelude closed and parsed anew, and from now on always do that: with a
        // pooler, what one server connection holds says nothing about the next.
        this.preludeUnreliable = true;
        batch = buildBatch(statements, plan, options, false);
        result = await runBatch(client, batch);
      }
      run.markQuiet();
      this.trackPrelude(client, batch, result);
      const { statementOfStep } = batch;
      // A cancel that arrives once the block is over must land while the session is idle
      // (Postgres ignores it then), not on the ROLLBACK or lookups below.
      if (run.cancelSent) await run.cancelSent;

      if (result.error !== undefined) {
        broken = connectionBroken(result.error, client);
        // An implicit transaction is rolled back by the Sync already; an explicit one waits for us.
        if (!broken && batch.explicit) broken = await this.tryQuery(client, 'ROLLBACK');
      }
      if (!broken && needsSessionReset(statements, options, batch, result)) {
        broken = await this.tryQuery(client, 'DISCARD ALL');
        this.preludePrepared.delete(client); // DISCARD ALL also drops prepared statements
        if (!broken) await prepareSession(client);
      }
      if (!broken && this.hasUnknownTypes(result)) broken = await this.learnTypes(client, result);

      const results = this.collectResults(statements, plan, result, statementOfStep);
      if (result.error === undefined) {
        const last = result.steps[result.steps.length - 1];
        const committed = options.mode === 'write' && !plan.endsWithRollback && last?.command === 'COMMIT';
        return { status: 'ok', results, committed };
      }
      const failedStatement = statementOfStep.get(result.failedStep ?? -1);
      const report: RunError = {
        ...this.explain(result.error),
        ...(failedStatement !== undefined ? { statementIndex: failedStatement } : {}),
      };
      if (run.cancelRequested && ['cancelled', 'terminated', 'statement-timeout'].includes(report.kind)) {
        return { status: 'cancelled', results, error: asCancelled(report), committed: false };
      }
      return { status: 'error', results, error: report, committed: false };
    } finally {
      run.markQuiet();
      // A cancel request still on its way must not hit the next run that gets this connection.
      if (run.cancelSent) await run.cancelSent;
      // Releasing with an error makes the pool discard the connection instead of reusing it.
      client.release(broken);
    }
  }

  /**
   * While checked out, the pool does not listen for a client's errors, and an unhandled 'error'
   * event (the server ending the session) would take the extension host down. One listener per
   * connection, for its whole life, instead of adding and removing one on every run.
   */
  private guardErrors(client: PoolClient): void {
    if (this.guarded.has(client)) return;
    client.on('error', ignoreError);
    this.guarded.add(client);
  }

  /** Whether the prelude on this connection is the one this runner parsed, so Bind alone will do. */
  private preludeTrusted(client: PoolClient): boolean {
    return !this.preludeUnreliable && this.preludePrepared.has(client);
  }

  private trackPrelude(client: PoolClient, batch: Batch, result: PipelineResult): void {
    if (batch.namedPrelude && result.steps.length > 0) this.preludePrepared.add(client);
    // A block that failed, or ran commands that can drop, replace or create prepared statements,
    // may have left something else under the prelude's name: close and parse it anew next time.
    if (result.error !== undefined || result.steps.some((step) => PREPARED_STATEMENT_COMMANDS.test(step.command)))
      this.preludePrepared.delete(client);
  }

  private collectResults(
    statements: readonly SqlStatement[],
    plan: TransactionPlan,
    result: PipelineResult,
    statementOfStep: ReadonlyMap<number, number>,
  ): StatementResult[] {
    const results: StatementResult[] = [];
    const firstStatementStep = Math.min(...statementOfStep.keys());
    let previousEnd = result.steps[firstStatementStep - 1]?.completedAt ?? 0;
    let reached = -1;
    result.steps.forEach((step, stepIndex) => {
      const statementIndex = statementOfStep.get(stepIndex);
      if (statementIndex === undefined) return;
      reached = statementIndex;
      results.push(
        this.toStatementResult(statementIndex, statements[statementIndex].text, step, step.completedAt - previousEnd),
      );
      previousEnd = step.completedAt;
    });
    const ranToEnd = result.error === undefined;
    for (const [statementIndex, control] of plan.handled) {
      if (statementIndex > reached && !ranToEnd && control !== 'begin') continue;
      results.push({
        statementIndex,
        command: control.toUpperCase(),
        columns: [],
        rows: [],
        rowCount: null,
        capped: false,
        durationMs: 0,
        note:
          control === 'begin'
            ? 'The runner runs the whole block in one transaction.'
            : control === 'commit'
              ? 'The runner commits a confirmed write when every statement succeeded.'
              : 'The block ends with ROLLBACK: nothing is kept.',
      });
    }
    return plan.handled.size === 0 ? results : results.sort((a, b) => a.statementIndex - b.statementIndex);
  }

  private toStatementResult(
    statementIndex: number,
    text: string,
    step: StepResult,
    durationMs: number,
  ): StatementResult {
    return {
      statementIndex,
      // A capped result never reaches its command tag; the statement's verb stands in for it.
      command: step.command || (step.capped ? verbOf(text) : ''),
      columns: step.fields.map((field: FieldDef) => ({
        name: field.name,
        typeName: this.typeNames.name(field.dataTypeID),
        typeOid: field.dataTypeID,
      })),
      rows: step.rows,
      rowCount: step.rowCount,
      capped: step.capped,
      durationMs: round(Math.max(0, durationMs)),
    };
  }

  /** Names types the built-in table does not know (enums, domains, extension types), once per runner. */
  private hasUnknownTypes(result: PipelineResult): boolean {
    return result.steps.some((step) =>
      step.fields.some((field) => this.typeNames.known(field.dataTypeID) === undefined),
    );
  }

  private async learnTypes(client: PoolClient, result: PipelineResult): Promise<Error | undefined> {
    const oids = result.steps.flatMap((step) => step.fields.map((field) => field.dataTypeID));
    try {
      await this.typeNames.learn(
        oids,
        async (text, values) => (await client.query({ text, values, rowMode: 'array' })).rows,
      );
      return undefined;
    } catch (error) {
      return connectionBroken(error, client);
    }
  }

  private async tryQuery(client: PoolClient, text: string): Promise<Error | undefined> {
    try {
      await client.query(text);
      return undefined;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  private cancelRun(run: ActiveRun): void {
    if (run.cancelRequested || run.finished) return;
    run.cancelRequested = true;
    run.stopWaiting?.();
    const client = run.client as (PoolClient & { processID?: number | null; secretKey?: number | null }) | undefined;
    if (!client || client.processID == null || client.secretKey == null) return;
    const target = {
      host: this.settings.host,
      port: this.settings.port,
      processId: client.processID,
      secretKey: client.secretKey,
      tls: this.plainFallback ? false : this.tls,
    };
    run.cancelSent = (async () => {
      do {
        await sendCancelRequest(target);
        await Promise.race([run.becameQuiet, delay(CANCEL_REPEAT_MS)]);
      } while (!run.quiet && !run.finished);
    })();
    // If the server does not act on the cancel (a proxy dropped it, the network is gone), cut the
    // connection so the run still ends; the pool then discards it.
    run.forceTimer = setTimeout(() => {
      if (!run.finished)
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    }, CANCEL_GRACE_MS);
    run.forceTimer.unref?.();
  }

  /** A pooled client, or undefined when the run was cancelled while waiting for one. */
  private acquire(run: ActiveRun): Promise<PoolClient | undefined> {
    // The common case, a pool that is up and needs no TLS fallback, costs a single promise.
    if (this.pool && (this.settings.sslmode !== 'prefer' || this.plainFallback)) return checkOut(this.pool, run);
    return this.acquireFirst(run);
  }

  private async acquireFirst(run: ActiveRun): Promise<PoolClient | undefined> {
    const pool = this.pool ?? (await this.getPool());
    try {
      return await checkOut(pool, run);
    } catch (error) {
      // pg cannot do libpq's sslmode=prefer fallback itself: retry once without TLS.
      if (
        this.settings.sslmode === 'prefer' &&
        !this.plainFallback &&
        /does not support SSL/i.test(String((error as Error)?.message))
      ) {
        this.plainFallback = true;
        return await checkOut(pool, run);
      }
      throw error;
    }
  }

  private getPool(): Promise<pg.Pool> {
    if (!this.poolReady) {
      this.poolReady = this.createPool();
      // A CA file that could not be read is not cached: the user may fix the path and run again.
      this.poolReady.catch(() => (this.poolReady = undefined));
    }
    return this.poolReady;
  }

  private async createPool(): Promise<pg.Pool> {
    const { host, port, database, user, password, sslmode, caFile } = this.settings;
    this.tls = await tlsOptionsFor(sslmode, caFile, this.readFile);
    const connectTimeoutMs = this.connectTimeoutMs;
    const usePlainText = () => this.plainFallback;
    // The connect timeout belongs to each connection attempt, not to waiting for a free slot:
    // pg-pool's connectionTimeoutMillis would also fail runs queued behind a long query.
    class RunnerClient extends pg.Client {
      constructor(config: ClientConfig = {}) {
        // pg-pool hides the password as a non-enumerable property, so a spread would drop it.
        super({
          ...config,
          password: config.password,
          ssl: usePlainText() ? false : config.ssl,
          connectionTimeoutMillis: connectTimeoutMs,
        });
      }
    }
    const pool = new pg.Pool({
      Client: RunnerClient,
      host,
      port,
      database,
      user,
      password,
      ssl: this.tls,
      application_name: this.applicationName,
      max: this.poolSize,
      idleTimeoutMillis: this.idleTimeoutMs,
      keepAlive: true,
      allowExitOnIdle: true,
    });
    // An idle connection that dies (server restart, network) is dropped by the pool; without a
    // listener the 'error' event would crash the extension host.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => void prepareSession(client));
    this.pool = pool;
    return pool;
  }

  private explain(error: unknown): DatabaseErrorReport {
    return explainDatabaseError(error, this.target);
  }
}

/**
 * pool.connect with a way out: a cancelled run stops waiting for a free connection, and the
 * connection, when it comes, goes straight back to the pool. One promise, no race.
 */
function checkOut(pool: pg.Pool, run: ActiveRun): Promise<PoolClient | undefined> {
  return new Promise((resolve, reject) => {
    let settled = false;
    run.stopWaiting = () => {
      if (settled) return;
      settled = true;
      resolve(undefined);
    };
    pool.connect((error, client) => {
      run.stopWaiting = undefined;
      if (settled) {
        client?.release();
        return;
      }
      settled = true;
      if (error || !client) reject(error ?? new Error('The pool gave no connection'));
      else resolve(client);
    });
  });
}

function outcomeOf(
  startedAt: number,
  status: RunOutcome['status'],
  results: StatementResult[],
  error: RunError | undefined,
  committed: boolean,
): RunOutcome {
  const outcome: RunOutcome = { status, results, totalMs: round(performance.now() - startedAt), committed };
  if (error) outcome.error = error;
  return outcome;
}

function failedOutcome(startedAt: number, error: RunError, status: RunOutcome['status'] = 'error'): RunOutcome {
  return outcomeOf(startedAt, status, [], error, false);
}

interface Batch {
  steps: PipelineStep[];
  /** Pipeline step index → index of the caller's statement. */
  statementOfStep: Map<number, number>;
  /** BEGIN ... ROLLBACK/COMMIT; false for the single-statement read fast path. */
  explicit: boolean;
  /** The fast path's prelude runs as a named prepared statement. */
  namedPrelude: boolean;
}

/**
 * The runner's pipeline for one block. With `preludePrepared`, the fast path only binds the named
 * prelude; otherwise it closes whatever has that name and parses its own (Close then Parse, so it
 * never binds a statement it did not parse itself, and never gets 42P05).
 */
function buildBatch(
  statements: readonly SqlStatement[],
  plan: TransactionPlan,
  options: RunOptions,
  preludePrepared: boolean,
): Batch {
  const keepRows = Math.min(MAX_ROW_LIMIT, Math.max(0, Math.floor(options.maxRows)));
  const timeout = `${Math.max(0, Math.floor(options.statementTimeoutMs))}ms`;
  const toRun = statements
    .map((statement, index) => ({ statement, index }))
    .filter(({ index }) => !plan.handled.has(index));
  // Savepoints need a real transaction block, so they keep the explicit form.
  const explicit =
    options.mode === 'write' ||
    options.explicitTransaction === true ||
    toRun.length !== 1 ||
    /^\s*(savepoint|release|rollback)\b/i.test(toRun[0].statement.text);
  const steps: PipelineStep[] = explicit
    ? [
        { text: options.mode === 'write' ? 'BEGIN READ WRITE' : 'BEGIN READ ONLY', values: [] },
        { text: "SELECT pg_catalog.set_config('statement_timeout', $1, true)", values: [timeout] },
      ]
    : [
        {
          text: READ_PRELUDE,
          name: READ_PRELUDE_NAME,
          parsed: preludePrepared,
          replace: !preludePrepared,
          values: [timeout],
        },
      ];
  const statementOfStep = new Map<number, number>();
  for (const { statement, index } of toRun) {
    statementOfStep.set(steps.length, index);
    steps.push({ text: statement.text, values: statement.values, keepRows });
  }
  if (explicit)
    steps.push({ text: options.mode === 'write' && !plan.endsWithRollback ? 'COMMIT' : 'ROLLBACK', values: [] });
  return { steps, statementOfStep, explicit, namedPrelude: !explicit };
}

function runBatch(client: PoolClient, batch: Batch): Promise<PipelineResult> {
  const pipeline = new StatementPipeline(batch.steps);
  client.query(pipeline);
  return pipeline.done;
}

function preludeStateWrong(result: PipelineResult): boolean {
  const code = (result.error as { code?: string } | undefined)?.code;
  return result.failedStep === 0 && (code === '26000' || code === '42P05');
}

/**
 * The connection cannot be reused after a socket error or a FATAL from the server (which closes
 * the session right after). An ordinary ERROR leaves it usable once rolled back.
 */
function connectionBroken(error: unknown, client: PoolClient): Error | undefined {
  const state = client as unknown as { _queryable?: boolean; _ending?: boolean };
  const severity = (error as { severity?: string } | undefined)?.severity;
  const dead =
    state._queryable === false ||
    state._ending === true ||
    severity === undefined ||
    severity === 'FATAL' ||
    severity === 'PANIC';
  if (!dead) return undefined;
  return error instanceof Error ? error : new Error(String(error));
}

/** Command tags of statements that change session state a committed read-only transaction keeps. */
const SESSION_STATE_COMMANDS = new Set(['SET', 'RESET', 'LISTEN', 'DECLARE CURSOR', 'PREPARE', 'LOAD']);

/**
 * Whether the pooled connection may carry state from this run into the next one. ROLLBACK undoes
 * SET and the like, but not PREPARE or session advisory locks; a committed run (a write, or the
 * read fast path) keeps SET, SET ROLE, temp tables, held cursors.
 */
function needsSessionReset(
  statements: readonly SqlStatement[],
  options: RunOptions,
  batch: Batch,
  result: PipelineResult,
): boolean {
  if (statements.some((s) => ADVISORY_LOCK.test(s.text))) return true;
  if (result.steps.some((step) => step.command === 'PREPARE')) return true;
  const committed = result.error === undefined && (options.mode === 'write' || !batch.explicit);
  if (!committed) return false;
  if (options.mode === 'write') return true;
  return (
    result.steps.some((step) => SESSION_STATE_COMMANDS.has(step.command)) ||
    statements.some((s) => SET_CONFIG_CALL.test(s.text))
  );
}

/**
 * When the runner gives up on a query whose cancel request was lost and cuts the connection, the
 * server would otherwise run the query to its end: it notices a closed socket only when it next
 * reads or writes. With this setting (PostgreSQL 14+) it checks every second while a query runs.
 * Best effort: older servers refuse the name, and the run goes on without it.
 */
const SESSION_SETUP = 'SET client_connection_check_interval = 1000';

function prepareSession(client: pg.PoolClient | pg.Client): Promise<unknown> {
  return client.query(SESSION_SETUP).catch(() => undefined);
}

/** Command tags of statements that can drop, replace or create prepared statements. */
const PREPARED_STATEMENT_COMMANDS = /^(DEALLOCATE|DISCARD|PREPARE|DO|CALL|EXECUTE)/;
const ADVISORY_LOCK = /pg_(try_)?advisory_lock(_shared)?\s*\(/i;
const SET_CONFIG_CALL = /set_config\s*\(/i;

function refusedControl(refused: { index: number; text: string }): RunError {
  return {
    kind: 'other',
    title: 'Transaction control inside the block',
    message: `Statement ${refused.index + 1} (${refused.text}) would end or change the transaction the runner wraps around the block.`,
    advice:
      'Remove it: the runner already runs the whole block in one transaction (read-only, or committed only when every statement succeeds). A leading BEGIN and a final COMMIT or ROLLBACK are fine.',
    statementIndex: refused.index,
  };
}

function cancelledBeforeStart(): RunError {
  return {
    kind: 'cancelled',
    title: 'The run was cancelled',
    message: 'The run was cancelled before any statement was sent.',
    advice: 'Nothing ran. Run again when ready.',
  };
}

function asCancelled(report: RunError): RunError {
  if (report.kind === 'cancelled') return report;
  return {
    ...report,
    kind: 'cancelled',
    title: 'The query was cancelled',
    message:
      report.kind === 'terminated'
        ? 'The server did not stop the query in time, so the connection was closed.'
        : report.message,
    advice: 'Nothing was kept. Run again when ready.',
  };
}

function verbOf(text: string): string {
  const verb = /^\s*(?:(?:--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)\s*)*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? '';
  return verb === 'WITH' || verb === 'TABLE' || verb === 'VALUES' ? 'SELECT' : verb;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref?.());
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
