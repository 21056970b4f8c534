// Runs the SQL blocks of a runbook on one project's Postgres.
//
// Safety comes from Postgres, not from parsing alone. A read block runs as psql would run it, one statement at a
// time, but each in its own READ ONLY transaction that ends with ROLLBACK: every statement gets its own snapshot
// and its own now(), nothing it did to the catalog is kept and no notification it sent is delivered. A block the
// user confirmed as a write runs in one transaction that commits only if every statement succeeded. Every
// transaction starts with SET LOCAL statement_timeout. Rows are capped on the server (an Execute row limit on the
// statement's portal), so a million-row query transfers no more than the cap.
//
// The whole block goes out as one pipelined message batch, one round trip (runnerBatch.ts, statementPipeline.ts).
// Postgres skips everything after an error until the Sync, then the runner ends the failed transaction itself.
//
// No state from one run reaches the next. ROLLBACK undoes settings (set_config(…, false) included), LISTEN,
// temporary tables and cursors; what it does not undo is reset from what the server holds: the session check,
// run in the last statement's transaction, so on the same server connection (also behind a transaction pooler,
// where a later DISCARD ALL would reach another one), releases session advisory locks with
// pg_advisory_unlock_all() and reports prepared statements made by SQL, in which case the connection is closed
// rather than reused. DISCARD ALL would cost a round trip per run and cannot run in a pipeline or a transaction;
// it follows every write block instead.
//
// On a direct connection the runner's own steps and the queries it runs are named prepared statements, parsed once
// per session and then only bound (sessionStatements.ts says when a name can be trusted). Behind a transaction
// pooler (Supabase's port 6543), found at login, nothing is named.
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
import { statementOf } from '../../core/sql/parseTree';
import type { SqlParser } from '../../core/sql/sqlParser';
import { loadPostgresParser } from '../sql/postgresParser';
import { FunctionCatalog } from './functionCatalog';
import { sendCancelRequest } from './cancelRequest';
import { TypeNames } from './pgTypes';
import {
  buildReadBatch,
  buildWriteBatch,
  leftPreparedStatements,
  SESSION_CHECK,
  staleNameAt,
  type Batch,
  type BatchStatement,
} from './runnerBatch';
import { SessionStatements } from './sessionStatements';
import { StatementPipeline, type PipelineResult, type StepResult } from './statementPipeline';
import { tlsOptionsFor, type SslMode } from './tlsOptions';

export type { SslMode } from './tlsOptions';
export { READ_BEGIN_NAME, READ_PRELUDE_NAME } from './runnerBatch';

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
/** How many statements' parse the runner remembers, so a repeated run parses nothing. */
const PARSED_CACHE_SIZE = 256;

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

  /** Another batch goes out for this run: cancel requests are needed again until it answers. */
  markBusy(): void {
    this.quiet = false;
    this.quietWaiter = undefined;
  }
}

/** What the parser says about one statement of a block, as far as the runner is concerned. */
interface ParsedStatement {
  control: TransactionControl | undefined;
  /** A query (SELECT, VALUES, TABLE): what may be kept as a named statement. */
  query: boolean;
}

/** A block as the runner runs it: its transaction plan and its statements as the batches need them. */
interface PlannedBlock {
  plan: TransactionPlan;
  statements: BatchStatement[];
}

/** One batch sent for a run and what came back; a run sends a second one only to go on past a stale name. */
interface Sent {
  batch: Batch;
  result: PipelineResult;
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
  /** What the runner knows about each connection's session and its named statements. */
  private readonly sessions = new WeakMap<object, SessionStatements>();
  /** Connections that carry the runner's own 'error' listener. */
  private readonly guarded = new WeakSet<object>();
  private pool?: pg.Pool;
  private poolReady?: Promise<pg.Pool>;
  private tls: ConnectionOptions | false = false;
  /** sslmode prefer against a server without TLS: connect in plain text from then on. */
  private plainFallback = false;
  private catalog?: FunctionCatalog;
  /** Statement text → what PostgreSQL's parser says about it. */
  private readonly parsed = new Map<string, ParsedStatement>();
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
    let block: PlannedBlock;
    try {
      block = this.planFromCache(statements) ?? (await this.planOf(statements));
    } catch (error) {
      return failedOutcome(startedAt, parserMissing(error));
    }
    if (block.plan.refused) return failedOutcome(startedAt, refusedControl(block.plan.refused));
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
        const done = await this.runOnClient(client, run, block, options);
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

  /**
   * Which statements are a leading BEGIN or a final COMMIT/ROLLBACK, which would end the runner's transaction, and
   * which are queries.
   */
  private async planOf(statements: readonly SqlStatement[]): Promise<PlannedBlock> {
    const parser = await loadPostgresParser();
    for (const { text } of statements) {
      if (this.parsed.has(text)) continue;
      if (this.parsed.size >= PARSED_CACHE_SIZE) this.parsed.delete(this.parsed.keys().next().value!);
      this.parsed.set(text, parseStatement(parser, text));
    }
    return this.planFromCache(statements)!;
  }

  /** The plan when every statement was parsed before (a rerun), without waiting for anything; else undefined. */
  private planFromCache(statements: readonly SqlStatement[]): PlannedBlock | undefined {
    const controls: Array<{ text: string; control: TransactionControl | undefined }> = [];
    const batchStatements: BatchStatement[] = [];
    for (const { text, values } of statements) {
      const parsed = this.parsed.get(text);
      if (!parsed) return undefined;
      controls.push({ text, control: parsed.control });
      batchStatements.push({ text, values, query: parsed.query });
    }
    return { plan: planTransaction(controls), statements: batchStatements };
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
    block: PlannedBlock,
    options: RunOptions,
  ): Promise<Omit<RunOutcome, 'totalMs'>> {
    this.guardErrors(client);
    const session = this.sessionOf(client);
    const { plan, statements } = block;
    let broken: Error | undefined;
    try {
      if (run.cancelRequested)
        return { status: 'cancelled', results: [], error: cancelledBeforeStart(), committed: false };
      const read = options.mode === 'read';
      const first = await this.send(
        client,
        session,
        read ? buildReadBatch(statements, plan, options, session) : buildWriteBatch(statements, plan, options),
      );
      const sent: Sent[] = [first];
      let { batch, result } = first;
      // The block's statements all ran; only a step after them failed (the session check, or a named final ROLLBACK
      // that SQL deallocated): what the session holds is unknown, so the connection is not reused.
      let failedAfterStatements = read && result.error !== undefined && ranEveryStatement(batch, result.failedStep!);
      const stale = read ? staleNameAt(batch, result) : undefined;
      if (stale !== undefined && !failedAfterStatements) {
        // A name trusted on this session no longer holds what the runner parsed: nothing of that statement ran. Run
        // the block on from there with every name parsed anew (the statements before it ran once, as psql would).
        const role = batch.roles![stale];
        const from = batch.transactionOf![stale] + (role === 'end' ? 1 : 0);
        if (role !== 'begin') broken = await this.tryQuery(client, 'ROLLBACK'); // that transaction is still open
        if (!broken && !run.cancelRequested) {
          run.markBusy();
          ({ batch, result } = await this.send(
            client,
            session,
            buildReadBatch(statements, plan, options, session, from),
          ));
          sent.push({ batch, result });
          failedAfterStatements = result.error !== undefined && ranEveryStatement(batch, result.failedStep!);
        }
      }
      run.markQuiet();
      // A cancel that arrives once the block is over must land while the session is idle
      // (Postgres ignores it then), not on the ROLLBACK or lookups below.
      if (run.cancelSent) await run.cancelSent;

      const error = failedAfterStatements ? undefined : result.error;
      if (failedAfterStatements) broken = asError(result.error);
      else if (broken) {
        // The stale name's transaction could not be rolled back: the connection is closed, which ends it.
      } else if (error !== undefined) {
        broken = connectionBroken(error, client);
        if (!broken) broken = read ? await this.endFailedRead(client) : await this.tryQuery(client, 'ROLLBACK');
      } else if (batch.sessionCheckStep !== undefined && leftPreparedStatements(result.steps[batch.sessionCheckStep]))
        broken = new Error('SQL run as a read left prepared statements in the session');
      if (!broken && !read) {
        // A confirmed write may have changed anything about the session; it is rare enough to reset it all.
        broken = await this.tryQuery(client, 'DISCARD ALL');
        session.reset();
        if (!broken) await this.prepareSession(client, session);
      }
      if (!broken && this.hasUnknownTypes(sent)) broken = await this.learnTypes(client, sent);

      const results = this.collectResults(statements, plan, sent, options.mode, error === undefined);
      if (error === undefined) {
        const committed =
          !read &&
          !plan.endsWithRollback &&
          batch.commitStep !== undefined &&
          result.steps[batch.commitStep]?.command === 'COMMIT';
        return { status: 'ok', results, committed };
      }
      const failedStatement = batch.statementOfStep.get(result.failedStep ?? -1);
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

  /** Sends one batch, and keeps what it parsed bindable on this session if nothing can have dropped it. */
  private async send(client: PoolClient, session: SessionStatements, batch: Batch): Promise<Sent> {
    const pipeline = new StatementPipeline(batch.steps);
    client.query(pipeline);
    const result = await pipeline.done;
    // A block that failed, or ran commands that can drop, replace or create prepared statements, may have left
    // something else under a name: close and parse each one anew next time.
    if (result.error !== undefined || result.steps.some((step) => PREPARED_STATEMENT_COMMANDS.test(step.command)))
      session.forget();
    else session.trust(batch.parsed, batch.unnamed);
    return { batch, result };
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

  private sessionOf(client: PoolClient): SessionStatements {
    let session = this.sessions.get(client);
    if (!session) this.sessions.set(client, (session = new SessionStatements()));
    return session;
  }

  /**
   * Once per session (and again after DISCARD ALL): asks Postgres to check the client while a query runs (see
   * SESSION_SETUP), and finds out whether this connection reaches the PostgreSQL session itself. Only then may
   * names be trusted and is every execution of a named statement planned for its values. One round trip, queued
   * before the session's first run. Best effort: on a server without these settings nothing is named.
   */
  private async prepareSession(
    client: pg.PoolClient | pg.Client,
    session = this.sessionOf(client as PoolClient),
  ): Promise<void> {
    const processId = (client as { processID?: number | null }).processID;
    session.forgetUnnamed();
    const pipeline = new StatementPipeline([
      { text: SESSION_SETUP, values: [] },
      { text: DIRECT_SESSION_SETUP, values: [processId ?? 0] },
    ]);
    client.query(pipeline);
    const { error, steps } = await pipeline.done;
    session.direct = error === undefined && steps[1]?.rows[0]?.[0] === 'force_custom_plan';
  }

  private collectResults(
    statements: readonly BatchStatement[],
    plan: TransactionPlan,
    sent: readonly Sent[],
    mode: RunOptions['mode'],
    ranToEnd: boolean,
  ): StatementResult[] {
    const results: StatementResult[] = [];
    let reached = -1;
    for (const { batch, result } of sent)
      result.steps.forEach((step, stepIndex) => {
        const statementIndex = batch.statementOfStep.get(stepIndex);
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
  private hasUnknownTypes(sent: readonly Sent[]): boolean {
    return sent.some(({ result }) =>
      result.steps.some((step) => step.fields.some((field) => this.typeNames.known(field.dataTypeID) === undefined)),
    );
  }

  private async learnTypes(client: PoolClient, sent: readonly Sent[]): Promise<Error | undefined> {
    this.sessionOf(client).forgetUnnamed();
    const oids = sent.flatMap(({ result }) =>
      result.steps.flatMap((step) => step.fields.map((field) => field.dataTypeID)),
    );
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
    this.sessionOf(client).forgetUnnamed();
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
    this.sessionOf(client).forgetUnnamed(); // a simple query replaces the unnamed statement
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
    pool.on('connect', (client) => void this.prepareSession(client));
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

/**
 * Whether a read batch that failed at `failedStep` had run all its statements already: the failure is in the last
 * transaction's session check or ROLLBACK.
 */
function ranEveryStatement(batch: Batch, failedStep: number): boolean {
  const role = batch.roles?.[failedStep];
  if (role === 'check') return true;
  return role === 'end' && batch.transactionOf![failedStep] === batch.transactionOf![batch.sessionCheckStep!];
}

/** What the runner needs from the parser about one statement. */
function parseStatement(parser: SqlParser, text: string): ParsedStatement {
  const parsed = parser.parse(text);
  // A statement the parser rejects is no transaction control and no query; the server rejects it as well.
  if (!parsed.ok || parsed.statements.length !== 1) return { control: undefined, query: false };
  const tree = parsed.statements[0].tree;
  const { kind, fields } = statementOf(tree);
  // SELECT … INTO creates a table: not a query to keep.
  return { control: transactionControlOf(tree), query: kind === 'SelectStmt' && fields.intoClause === undefined };
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
/**
 * On a direct connection (the session's process is the one the server announced at login, $1), every execution of a
 * named statement is planned for its own values, as an unnamed one is. Behind a pooler, whose announced process is
 * its own, nothing is set: a session setting would reach other clients of the same server session.
 */
const DIRECT_SESSION_SETUP =
  "SELECT CASE WHEN pg_catalog.pg_backend_pid() = $1 THEN pg_catalog.set_config('plan_cache_mode', 'force_custom_plan', false) END";

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
