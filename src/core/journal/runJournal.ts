// What the incident timeline keeps about each run and each step ticked off by hand: when, against which project
// (the one the command really reached, not only the active one), what (secrets masked), how it ended and how long
// it took. Capped in memory; a `JournalStore` passed in keeps it across reloads.
import { maskSecrets } from '../secrets/maskSecrets';
import type { JournalStore } from './journalStore';
import type { RunTarget } from '../targets/runTarget';

export interface RunRecord {
  id: string;
  /** ISO 8601 time the run started. */
  startedAt: string;
  /** The project the run reached (its name, or its ref when it is not configured). */
  project: string;
  /** `step`: a prose step of a runbook ticked off by hand; `command` holds its text. `health`: a health check changed state. */
  kind: 'shell' | 'sql' | 'step' | 'health';
  /** The command, SQL or step text, secrets masked. */
  command: string;
  /** null while running, or when the terminal could not report it. */
  exitCode: number | null;
  /** null while running or when unknown. */
  durationMs: number | null;
  snippetId?: string;
  runbookPath?: string;
  /** 0-based line of the command or step in the runbook. */
  line?: number;
  /** Where the command really went, when it was worked out. */
  target?: RunTarget;
  /** The project selected in the extension when the run reached another one. */
  activeProject?: string;
}

export type RunRecordInput = Omit<RunRecord, 'id' | 'startedAt' | 'exitCode' | 'durationMs'> &
  Partial<Pick<RunRecord, 'id' | 'startedAt' | 'exitCode' | 'durationMs'>>;

export interface RunJournalOptions {
  /** How many records are kept; the oldest go first. Default 500. */
  capacity?: number;
  /** Secret values to mask in every command, asked for on each record so that new secrets are covered. */
  knownSecrets?: () => readonly string[];
  /** Where records are kept across reloads; none keeps them in memory only. */
  store?: JournalStore;
  now?: () => Date;
  newId?: () => string;
}

export type RunListener = (record: RunRecord) => void;

export const DEFAULT_JOURNAL_CAPACITY = 500;

export class RunJournal {
  private records: RunRecord[] = [];
  private readonly listeners = new Set<RunListener>();
  private readonly capacity: number;
  private readonly knownSecrets: () => readonly string[];
  private readonly store: JournalStore | undefined;
  private readonly now: () => Date;
  private readonly newId: () => string;
  private counter = 0;

  constructor(options: RunJournalOptions = {}) {
    this.capacity = Math.max(1, Math.floor(options.capacity ?? DEFAULT_JOURNAL_CAPACITY));
    this.knownSecrets = options.knownSecrets ?? (() => []);
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    // Unique within a session and across sessions (two sessions can start within one millisecond, and restoring
    // drops a record whose id the journal already holds); does not consume the injected clock.
    const session = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    this.newId = options.newId ?? (() => `run-${session}-${(++this.counter).toString(36)}`);
  }

  /** Adds a run (usually as it starts: exitCode and durationMs null) and tells the listeners. */
  record(input: RunRecordInput): RunRecord {
    const record: RunRecord = Object.freeze({
      ...input,
      id: input.id ?? this.newId(),
      startedAt: input.startedAt ?? this.now().toISOString(),
      command: maskSecrets(input.command, this.knownSecrets()),
      exitCode: checkExitCode(input.exitCode ?? null),
      durationMs: checkDuration(input.durationMs ?? null),
    });
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
    this.persist(record);
    this.emit(record);
    return record;
  }

  /** Sets how a run ended; undefined when the run is unknown or was dropped by the cap. */
  finish(id: string, result: { exitCode: number | null; durationMs: number | null }): RunRecord | undefined {
    const index = this.records.findIndex((r) => r.id === id);
    if (index === -1) return undefined;
    const record: RunRecord = Object.freeze({
      ...this.records[index],
      exitCode: checkExitCode(result.exitCode),
      durationMs: checkDuration(result.durationMs),
    });
    this.records[index] = record;
    this.persist(record);
    this.emit(record);
    return record;
  }

  /**
   * Puts back records kept by an earlier session, before the ones of this session. Each command is masked again
   * with today's secrets. Records already present (same id) are kept as they are.
   */
  restore(earlier: readonly RunRecord[]): void {
    const known = new Set(this.records.map((r) => r.id));
    const secrets = this.knownSecrets();
    const restored = earlier
      .filter((r) => !known.has(r.id))
      .map((r) => Object.freeze({ ...r, command: maskSecrets(r.command, secrets) }));
    this.records = [...restored, ...this.records];
    if (this.records.length > this.capacity) this.records.splice(0, this.records.length - this.capacity);
  }

  /**
   * Masks every kept command again with the secrets known now: for records restored before the extension had read
   * its secrets (they load in the background). Masking twice changes nothing, so records already masked stay as they are.
   */
  remask(): void {
    const secrets = this.knownSecrets();
    this.records = this.records.map((r) => {
      const command = maskSecrets(r.command, secrets);
      return command === r.command ? r : Object.freeze({ ...r, command });
    });
  }

  /** Oldest first. */
  entries(): readonly RunRecord[] {
    return [...this.records];
  }

  get size(): number {
    return this.records.length;
  }

  /** Forgets every record, in memory and in the store. */
  clear(): void {
    this.records.length = 0;
    this.store?.replaceAll([]);
  }

  /** Called with each new or finished record. Returns a disposable, like VS Code events. */
  onRecord(listener: RunListener): { dispose(): void } {
    this.listeners.add(listener);
    return {
      dispose: () => {
        this.listeners.delete(listener);
      },
    };
  }

  private persist(record: RunRecord): void {
    if (!this.store) return;
    // A full disk or a removed folder must not stop the run being recorded in memory.
    try {
      this.store.append(record, () => this.entries());
    } catch {
      /* the store reports its own failures */
    }
  }

  private emit(record: RunRecord): void {
    // A failing listener must not lose the record or keep the others from hearing about it.
    for (const listener of [...this.listeners]) {
      try {
        listener(record);
      } catch {
        /* the listener's own problem */
      }
    }
  }
}

function checkExitCode(code: number | null): number | null {
  if (code === null) return null;
  if (!Number.isInteger(code)) throw new RangeError(`An exit code is an integer, not ${code}.`);
  return code;
}

function checkDuration(ms: number | null): number | null {
  if (ms === null) return null;
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`A duration is a non-negative number of milliseconds, not ${ms}.`);
  return ms;
}
