// Runs the SQL blocks of a runbook on one project's Postgres.
//
// Safety comes from Postgres, not from parsing alone. A read block runs as psql would run it, one statement at a
// time, but each in its own READ ONLY transaction that ends with ROLLBACK: every statement gets its own snapshot
// and its own now(), nothing it did to the catalog is kept and no notification it sent is delivered. A block the
// user confirmed as a write runs in one transaction that commits only if every statement succeeded. Every
// transaction starts with SET LOCAL statement_timeout. Rows are capped on the server (an Execute row limit on the
// statement's portal), so a million-row query transfers no more than the cap.
//
// The whole block goes out as one pipelined message batch (see statementPipeline.ts):
//   read:  for each statement: BEGIN READ ONLY | prelude | <statement> | ROLLBACK | …   (the last one runs the
//          session check before its ROLLBACK) | Sync
//   write: BEGIN READ WRITE | SELECT set_config('statement_timeout', $1, true) | <statements> | COMMIT | Sync
// The prelude, SELECT pg_catalog.set_config('statement_timeout', $1, true), also takes the transaction's first
// snapshot: afterwards Postgres refuses `SET TRANSACTION READ WRITE`, so a read can never switch itself to
// read-write. Postgres skips everything after an error until the Sync, then the runner sends ROLLBACK.
//
// No state from one run reaches the next. ROLLBACK undoes settings (set_config(…, false) included), LISTEN,
// temporary tables and cursors; what it does not undo is reset from what the server holds: the session check,
// run in the last statement's transaction, so on the same server connection (also behind a transaction pooler,
// where a later DISCARD ALL would reach another one), releases session advisory locks with
// pg_advisory_unlock_all() and reports prepared statements made by SQL, in which case the connection is closed
// rather than reused. DISCARD ALL would cost a round trip per run and cannot run in a pipeline or a transaction;
// it follows every write block instead.
//
// The prelude and the session check are named prepared statements, parsed once per connection, so the server
// only binds and runs them. The runner binds them only while nothing can have replaced them: on a new
// connection, after a failed block, or after commands that handle prepared statements (DEALLOCATE, DISCARD,
// PREPARE, DO, CALL, EXECUTE) the batch closes each name and parses it again in the same pipeline. Behind a
// transaction pooler (Supabase's port 6543) one client connection meets many server connections; on 26000/42P05
// the batch is sent once more with Close + Parse, and from then on every batch is sent that way.
//
// Which statements are transaction control (a leading BEGIN, a final COMMIT) comes from PostgreSQL's parser.
//
// Cancel uses the protocol's cancel request (cancelRequest.ts), repeated until the batch answers,
// and cuts the connection if the server has not stopped within CANCEL_GRACE_MS.
import { readFile as readFileFromDisk } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { ClientConfig, FieldDef, PoolClient } from 'pg';
import { explainDatabaseError, type ConnectionTarget, type DatabaseErrorReport } from '../../core/sql/connectionErrors';
import {
  planTransaction,
  transactionControlOf,
  type TransactionControl,
  type TransactionPlan,
} from '../../core/sql/transactionControl';
import type { SqlParser } from '../../core/sql/sqlParser';
import { loadPostgresParser } from '../sql/postgresParser';
import { FunctionCatalog } from './functionCatalog';
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
const READ_PRELUDE = "SELECT pg_catalog.set_config('statement_timeout', $1, true)";
export const READ_PRELUDE_NAME = 'runbook_companion_read_prelude_v2';
/**
 * Releases session advisory locks (ROLLBACK does not) and tells whether SQL left prepared statements, which no
 * rollback removes either; both on the server connection the statements ran on.
 */
const SESSION_CHECK =
  'SELECT pg_catalog.pg_advisory_unlock_all(), EXISTS (SELECT FROM pg_catalog.pg_prepared_statements WHERE from_sql)';
export const SESSION_CHECK_NAME = 'runbook_companion_session_check_v1';
/** How many statements' transaction control the runner remembers, so a repeated run parses nothing. */
const CONTROL_CACHE_SIZE = 256;

/** What the runner says about a leading BEGIN or a final COMMIT/ROLLBACK it handled itself. */
const HANDLED_NOTES: Record<RunOptions['mode'], Record<'begin' | 'commit' | 'rollback', string>> = {
  read: {
    begin: 'The runner runs each statement in its own read-only transaction and rolls it back.',
    commit: 'Nothing of a read block is kept: each statement was rolled back.',
    rollback: 'The block ends with ROLLBACK: nothing is kept.',
  },
  write: {
    begin: 'The runner runs the whole block in one transaction.',
    commit: 'The runner commits a confirmed write when every statement succeeded.',
    rollback: 'The block ends with ROLLBACK: nothing is kept.',
  },
};

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
  private catalog?: FunctionCatalog;
  /** Statement text → its transaction control, from PostgreSQL's parser. */
  private readonly controls = new Map<string, TransactionControl | undefined>();
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

  /** What this database's catalog says about functions and views, kept until a write runs here. */
  get functionCatalog(): FunctionCatalog {
    return (this.catalog ??= new FunctionCatalog(this));
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
    let plan: TransactionPlan;
    try {
      plan = await this.planOf(statements);
    } catch (error) {
      return failedOutcome(startedAt, parserMissing(error));
    }
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
      } finally {
        // A write may have created or changed functions and views: ask the catalog again next time.
        if (options.mode === 'write') this.catalog?.invalidate();
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

  /** Which statements are a leading BEGIN or a final COMMIT/ROLLBACK, and which would end the runner's transaction. */
  private async planOf(statements: readonly SqlStatement[]): Promise<TransactionPlan> {
    let parser: SqlParser | undefined;
    const controls: Array<{ text: string; control: TransactionControl | undefined }> = [];
    for (const { text } of statements) {
      if (!this.controls.has(text)) {
        parser ??= await loadPostgresParser();
        const parsed = parser.parse(text);
        // A statement the parser rejects is no transaction control; the server rejects it as well.
        const control =
          parsed.ok && parsed.statements.length === 1 ? transactionControlOf(parsed.statements[0].tree) : undefined;
        if (this.controls.size >= CONTROL_CACHE_SIZE) this.controls.delete(this.controls.keys().next().value!);
        this.controls.set(text, control);
      }
      controls.push({ text, control: this.controls.get(text) });
    }
    return planTransaction(controls);
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
      if (batch.bindsPreparedNames && namedStatementWrong(result, batch)) {
        // A pooler in transaction mode (Supabase's port 6543) moved us to a server connection
        // where the prelude is missing (26000) or is someone else's (42P05). Nothing ran. Run
        // again with the prelude closed and parsed anew, and from now on always do that: with a
        // pooler, what one server connection holds says nothing about the next.
        this.preludeUnreliable = true;
        await this.tryQuery(client, 'ROLLBACK');
        batch = buildBatch(statements, plan, options, false);
        result = await runBatch(client, batch);
      }
      run.markQuiet();
      this.trackPrelude(client, batch, result);
      const { statementOfStep } = batch;
      // A cancel that arrives once the block is over must land while the session is idle
      // (Postgres ignores it then), not on the ROLLBACK or lookups below.
      if (run.cancelSent) await run.cancelSent;

      // The statements ran; only the session check after them failed: what the session holds is unknown, so the
      // connection is not reused.
      const checkFailed = result.error !== undefined && result.failedStep === batch.sessionCheckStep;
      const error = checkFailed ? undefined : result.error;
      if (checkFailed) broken = asError(result.error);
      else if (error !== undefined) {
        broken = connectionBroken(error, client);
        if (!broken)
          broken = options.mode === 'read' ? await this.endFailedRead(client) : await this.tryQuery(client, 'ROLLBACK');
      } else if (batch.sessionCheckStep !== undefined && leftPreparedStatements(result.steps[batch.sessionCheckStep]))
        broken = new Error('SQL run as a read left prepared statements in the session');
      if (!broken && options.mode === 'write') {
        // A confirmed write may have changed anything about the session; it is rare enough to reset it all.
        broken = await this.tryQuery(client, 'DISCARD ALL');
        this.preludePrepared.delete(client);
        if (!broken) await prepareSession(client);
      }
      if (!broken && this.hasUnknownTypes(result, statementOfStep)) broken = await this.learnTypes(client, result);

      const results = this.collectResults(statements, plan, result, statementOfStep, options.mode, error === undefined);
      if (error === undefined) {
        const committed =
          options.mode === 'write' &&
          !plan.endsWithRollback &&
          batch.commitStep !== undefined &&
          result.steps[batch.commitStep]?.command === 'COMMIT';
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
    if (batch.bindsPreparedNames !== undefined && result.error === undefined) this.preludePrepared.add(client);
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
    mode: RunOptions['mode'],
    ranToEnd: boolean,
  ): StatementResult[] {
    const results: StatementResult[] = [];
    let reached = -1;
    result.steps.forEach((step, stepIndex) => {
      const statementIndex = statementOfStep.get(stepIndex);
      if (statementIndex === undefined) return;
      reached = statementIndex;
      // The step before a statement is the runner's own (its prelude, or the previous statement in a write block).
      const since = result.steps[stepIndex - 1]?.completedAt ?? step.completedAt;
      results.push(
        this.toStatementResult(statementIndex, statements[statementIndex].text, step, step.completedAt - since),
      );
    });
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
        note: HANDLED_NOTES[mode][control],
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
  private hasUnknownTypes(result: PipelineResult, statementOfStep: ReadonlyMap<number, number>): boolean {
    return result.steps.some(
      (step, index) =>
        statementOfStep.has(index) && step.fields.some((field) => this.typeNames.known(field.dataTypeID) === undefined),
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

  /**
   * Ends the failed statement's transaction and runs the session check by itself. Postgres keeps the failed
   * transaction open until the ROLLBACK, so behind a transaction pooler this still reaches the server connection
   * the statements ran on.
   */
  private async endFailedRead(client: PoolClient): Promise<Error | undefined> {
    try {
      const results = (await client.query({
        text: `ROLLBACK; BEGIN READ ONLY; ${SESSION_CHECK}; ROLLBACK`,
        rowMode: 'array',
      })) as unknown as pg.QueryResult[];
      const check = results.find((result) => result.command === 'SELECT');
      return check?.rows[0]?.[1] === true
        ? new Error('SQL run as a read left prepared statements in the session')
        : undefined;
    } catch (error) {
      return asError(error);
    }
  }

  private async tryQuery(client: PoolClient, text: string): Promise<Error | undefined> {
    try {
      await client.query(text);
      return undefined;
    } catch (error) {
      return asError(error);
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
  /** Set when the batch binds the named prelude and session check without parsing them (trusted on this connection). */
  bindsPreparedNames?: boolean;
  /** The first step that binds a named statement, where a pooler's missing or foreign one shows (26000, 42P05). */
  firstNamedStep?: number;
  /** The read block's session check (after the last ROLLBACK). */
  sessionCheckStep?: number;
  /** The write block's COMMIT (or ROLLBACK, for a block that ends with one). */
  commitStep?: number;
}

/**
 * The runner's pipeline for one block. With `namesPrepared`, a read batch only binds the named prelude and session
 * check; otherwise it closes whatever has each name and parses its own the first time (Close then Parse, so it
 * never binds a statement it did not parse itself, and never gets 42P05).
 */
function buildBatch(
  statements: readonly SqlStatement[],
  plan: TransactionPlan,
  options: RunOptions,
  namesPrepared: boolean,
): Batch {
  const keepRows = Math.min(MAX_ROW_LIMIT, Math.max(0, Math.floor(options.maxRows)));
  const timeout = `${Math.max(0, Math.floor(options.statementTimeoutMs))}ms`;
  const toRun = statements
    .map((statement, index) => ({ statement, index }))
    .filter(({ index }) => !plan.handled.has(index));
  const steps: PipelineStep[] = [];
  const statementOfStep = new Map<number, number>();
  if (options.mode === 'write') {
    steps.push(
      { text: 'BEGIN READ WRITE', values: [] },
      { text: "SELECT pg_catalog.set_config('statement_timeout', $1, true)", values: [timeout] },
    );
    for (const { statement, index } of toRun) {
      statementOfStep.set(steps.length, index);
      steps.push({ text: statement.text, values: statement.values, keepRows });
    }
    const commitStep = steps.length;
    steps.push({ text: plan.endsWithRollback ? 'ROLLBACK' : 'COMMIT', values: [] });
    return { steps, statementOfStep, commitStep };
  }
  const parsedNames = new Set<string>(namesPrepared ? [READ_PRELUDE_NAME, SESSION_CHECK_NAME] : []);
  const named = (text: string, name: string, values: unknown[], keep?: number): PipelineStep => {
    const parsed = parsedNames.has(name);
    parsedNames.add(name);
    return { text, name, values, parsed, replace: !parsed, ...(keep !== undefined ? { keepRows: keep } : {}) };
  };
  let sessionCheckStep = -1;
  // With nothing to run (a block of BEGIN and COMMIT only) the session check still gets its transaction.
  const transactions = toRun.length ? toRun : [undefined];
  transactions.forEach((item, i) => {
    steps.push({ text: 'BEGIN READ ONLY', values: [] }, named(READ_PRELUDE, READ_PRELUDE_NAME, [timeout]));
    if (item) {
      statementOfStep.set(steps.length, item.index);
      steps.push({ text: item.statement.text, values: item.statement.values, keepRows });
    }
    // Inside the last transaction, so that it runs on the statements' server connection and is rolled back too.
    if (i === transactions.length - 1) {
      sessionCheckStep = steps.length;
      steps.push(named(SESSION_CHECK, SESSION_CHECK_NAME, [], 1));
    }
    steps.push({ text: 'ROLLBACK', values: [] });
  });
  return {
    steps,
    statementOfStep,
    bindsPreparedNames: namesPrepared,
    firstNamedStep: 1,
    sessionCheckStep,
  };
}

function runBatch(client: PoolClient, batch: Batch): Promise<PipelineResult> {
  const pipeline = new StatementPipeline(batch.steps);
  client.query(pipeline);
  return pipeline.done;
}

/** The first bind of a trusted named statement failed: a pooler gave us a server connection without it. */
function namedStatementWrong(result: PipelineResult, batch: Batch): boolean {
  const code = (result.error as { code?: string } | undefined)?.code;
  return result.failedStep === batch.firstNamedStep && (code === '26000' || code === '42P05');
}

/** The session check's second column: SQL left prepared statements behind, which no rollback removes. */
function leftPreparedStatements(check: StepResult | undefined): boolean {
  return check?.rows[0]?.[1] === true;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
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

function parserMissing(error: unknown): RunError {
  return {
    kind: 'other',
    title: "PostgreSQL's parser could not be loaded",
    message: asError(error).message,
    advice: 'Nothing ran. Reinstall the extension: its libpg-query.wasm file is missing or damaged.',
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
