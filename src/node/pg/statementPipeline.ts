// Runs a list of SQL statements as ONE pipelined exchange of the extended query protocol:
// Parse/Bind/Describe/Execute for every statement, then a single Sync, written in one go.
//
// Why not pg-cursor: a cursor needs at least two round trips per statement (it waits for each
// Execute's answer before it sends Close + Sync), plus the round trips of BEGIN, SET and ROLLBACK.
// Here each user statement gets an Execute with a row limit (maxRows + 1) on its portal, which is
// the same server-side cursor: the server stops after that many rows and never sends the rest
// (PortalSuspended). The whole block costs one round trip.
//
// Postgres skips every message after an error until the Sync, so a failing statement stops the
// block. This relies on the same pg internals as pg-cursor (the "Submittable" interface and the
// Connection's message methods).
import pg from 'pg';
import type { Connection, FieldDef } from 'pg';

export interface PipelineStep {
  text: string;
  values: readonly unknown[];
  /** A named prepared statement; with `parsed`, the server already has it and Parse is skipped. */
  name?: string;
  parsed?: boolean;
  /** Close the named statement before parsing it, whatever the server holds under that name. */
  replace?: boolean;
  /** Rows to keep for the caller; undefined for the runner's own steps (BEGIN, SET, ROLLBACK), whose row stays text. */
  keepRows?: number;
}

export interface StepResult {
  command: string;
  rowCount: number | null;
  fields: FieldDef[];
  rows: unknown[][];
  capped: boolean;
  /** performance.now() when the server's answer for this step had fully arrived. */
  completedAt: number;
}

export interface PipelineResult {
  /** One entry per step that completed, in order. */
  steps: StepResult[];
  /** The error that stopped the pipeline (a pg DatabaseError or a connection error). */
  error?: unknown;
  /** Index of the step that failed (the first one without a result). */
  failedStep?: number;
  /** The failed step had been bound and described (its RowDescription came): it failed while running. */
  failedWhileRunning?: boolean;
}

type Parser = (text: string) => unknown;

// Date/time values stay as Postgres's text: a JS Date loses microseconds, shifts a timestamp
// without time zone into local time and cannot hold 'infinity'.
const KEEP_AS_TEXT = new Set<number>([1082, 1083, 1114, 1184, 1186, 1266, 1182, 1183, 1115, 1185, 1187, 1270]);
const identity: Parser = (text) => text;

// pg's own conversion of JS values to parameters (Date, Buffer, arrays, JSON); public at runtime
// as pg.utils but not in @types/pg.
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

interface RowDescription {
  fields: FieldDef[];
}
interface DataRow {
  fields: Array<string | null>;
}
interface CommandComplete {
  text: string;
}

export class StatementPipeline {
  readonly done: Promise<PipelineResult>;
  private settle!: (result: PipelineResult) => void;
  private readonly steps: readonly PipelineStep[];
  private readonly preparedValues: unknown[][];
  private readonly results: StepResult[] = [];
  private current: StepResult;
  private parsers: Parser[] = [];
  private described = false;
  private settled = false;

  constructor(steps: readonly PipelineStep[]) {
    this.steps = steps;
    // Converted up front: a value pg cannot serialise must fail before anything is written.
    this.preparedValues = steps.map((step) => step.values.map((value) => prepareValue(value)));
    this.current = emptyStep();
    this.done = new Promise((resolve) => (this.settle = resolve));
  }

  submit(connection: Connection): void {
    const stream = connection.stream as { cork?: () => void; uncork?: () => void; write(chunk: Buffer): boolean };
    stream.cork?.();
    try {
      this.steps.forEach((step, index) => {
        const name = step.name ?? '';
        // The runner's own steps on a session that holds them are the same bytes every run.
        if (step.parsed && step.values.length === 0 && step.keepRows === undefined) {
          stream.write(boundWithoutParameters(name));
          return;
        }
        // Closing a statement that does not exist is not an error, so this needs no round trip.
        if (step.replace && name)
          (connection as unknown as { close(message: { type: 'S'; name: string }): void }).close({ type: 'S', name });
        if (!step.parsed) connection.parse({ text: step.text, name, types: [] }, true);
        connection.bind(
          { portal: '', statement: name, values: this.preparedValues[index] as Array<string | null> },
          true,
        );
        if (step.keepRows !== undefined) connection.describe({ type: 'P', name: '' }, true);
        // A row limit of 0 means "all rows", so internal steps (which return at most one row) use 0.
        const limit = step.keepRows === undefined ? 0 : step.keepRows + 1;
        connection.execute({ portal: '', rows: limit as unknown as string }, true);
      });
      connection.sync();
    } finally {
      stream.uncork?.();
    }
  }

  handleRowDescription(message: RowDescription): void {
    this.described = true;
    this.current.fields = message.fields;
    this.parsers = message.fields.map((field) =>
      field.format === 'binary' || KEEP_AS_TEXT.has(field.dataTypeID)
        ? identity
        : (pg.types.getTypeParser(field.dataTypeID, 'text') as Parser),
    );
  }

  handleDataRow(message: DataRow): void {
    const keep = this.steps[this.results.length]?.keepRows;
    if (keep === undefined) {
      // The runner's own steps have no Describe and return one row at most: it stays the server's text.
      this.current.rows.push(message.fields);
      return;
    }
    // The one row past the cap only tells us the result was capped; it is never parsed.
    if (this.current.rows.length >= keep) {
      this.current.capped = true;
      return;
    }
    this.current.rows.push(message.fields.map((raw, i) => (raw === null ? null : this.parse(i, raw))));
  }

  handlePortalSuspended(): void {
    // The row limit was reached: more rows exist than we keep, and their count is unknown.
    this.current.capped = true;
    this.current.rowCount = null;
    this.finishStep();
  }

  handleCommandComplete(message: CommandComplete): void {
    if (this.steps[this.results.length]?.keepRows === undefined) {
      // The runner's own steps: the tag as it came (BEGIN, SELECT 1, ROLLBACK).
      this.current.command = message.text;
      this.finishStep();
      return;
    }
    const match = /^([A-Za-z]+(?: [A-Za-z]+)*?)(?: (\d+))?(?: (\d+))?$/.exec(message.text ?? '');
    this.current.command = match?.[1] ?? message.text;
    const count = match?.[3] ?? match?.[2];
    this.current.rowCount = count === undefined ? null : Number(count);
    this.finishStep();
  }

  handleEmptyQuery(): void {
    // A statement holding only comments: Postgres answers EmptyQueryResponse instead of a tag.
    this.finishStep();
  }

  handleError(error: unknown): void {
    this.finish({ steps: this.results, error, failedStep: this.results.length, failedWhileRunning: this.described });
  }

  handleReadyForQuery(): void {
    this.finish({ steps: this.results });
  }

  handleCopyInResponse(connection: Connection): void {
    (connection as unknown as { sendCopyFail(message: string): void }).sendCopyFail(
      'COPY FROM STDIN cannot read input in a runbook block',
    );
  }

  handleCopyData(): void {
    // COPY TO STDOUT output is not shown; the statement still completes with its row count.
  }

  private parse(index: number, raw: string): unknown {
    try {
      return this.parsers[index](raw);
    } catch {
      return raw; // a value pg cannot parse is still worth showing as Postgres sent it
    }
  }

  private finishStep(): void {
    this.current.completedAt = performance.now();
    this.results.push(this.current);
    this.current = emptyStep();
    this.parsers = [];
    this.described = false;
  }

  private finish(result: PipelineResult): void {
    if (this.settled) return;
    this.settled = true;
    this.settle(result);
  }
}

/** Bind and Execute of a prepared statement without parameters, returning text, all rows; one Buffer per name. */
const boundMessages = new Map<string, Buffer>();
function boundWithoutParameters(name: string): Buffer {
  let bytes = boundMessages.get(name);
  if (!bytes) {
    const statement = Buffer.from(`${name}\0`, 'utf8');
    // Bind: empty portal name, the statement's name, no parameter formats, no parameters, one result format (text).
    const bind = Buffer.alloc(1 + 4 + 1 + statement.length + 2 + 2 + 2 + 2);
    bind[0] = 0x42; // 'B'
    bind.writeInt32BE(bind.length - 1, 1);
    statement.copy(bind, 6);
    bind.writeInt16BE(1, bind.length - 4);
    // Execute: empty portal name, no row limit.
    const execute = Buffer.from([0x45, 0, 0, 0, 9, 0, 0, 0, 0, 0]);
    bytes = Buffer.concat([bind, execute]);
    if (boundMessages.size < 64) boundMessages.set(name, bytes);
  }
  return bytes;
}

function emptyStep(): StepResult {
  return { command: '', rowCount: null, fields: [], rows: [], capped: false, completedAt: 0 };
}
