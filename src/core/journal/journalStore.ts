// The journal on disk as JSON Lines: one record snapshot per line, appended as runs start and finish, so a crash
// loses at most the line being written. The latest snapshot of an id wins. When the file holds far more lines than
// the journal keeps, it is rotated: the old file is kept once as `.1`, and a fresh one starts from the records
// kept. The I/O is the caller's (see src/vscode/journal); this file only encodes, decodes and decides.
import type { RunRecord } from './runJournal';
import type { RunTarget } from '../targets/runTarget';

export interface JournalStore {
  /**
   * Keeps a new or finished record. `current` gives every record the journal keeps, for a store that decides to
   * rotate its file.
   */
  append(record: RunRecord, current: () => readonly RunRecord[]): void;
  /** Replaces everything kept by these records. */
  replaceAll(records: readonly RunRecord[]): void;
}

/** Rotate when the file holds this many times more lines than the journal keeps records. */
export const ROTATE_FACTOR = 2;

export function encodeRecord(record: RunRecord): string {
  return JSON.stringify(record);
}

export function shouldRotate(linesInFile: number, capacity: number): boolean {
  return linesInFile > capacity * ROTATE_FACTOR;
}

/**
 * The records of a JSON Lines journal, oldest first, each in its latest snapshot. Lines that are not a valid
 * record (a half-written last line, a hand edit) are skipped and counted.
 */
export function decodeJournal(text: string): { records: RunRecord[]; skipped: number } {
  const byId = new Map<string, RunRecord>();
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skipped++;
      continue;
    }
    const record = asRunRecord(value);
    if (!record) {
      skipped++;
      continue;
    }
    // Map order is first insertion: a finished snapshot keeps its run's place in time.
    byId.set(record.id, record);
  }
  return { records: [...byId.values()], skipped };
}

const KINDS = new Set(['shell', 'sql', 'step', 'health']);
const TARGET_KINDS = new Set(['active', 'linked', 'configured', 'unknown-remote', 'local', 'none']);

function asRunRecord(value: unknown): RunRecord | undefined {
  if (!isObject(value)) return undefined;
  const { id, startedAt, project, kind, command, exitCode, durationMs } = value;
  if (typeof id !== 'string' || typeof startedAt !== 'string' || Number.isNaN(Date.parse(startedAt))) return undefined;
  if (typeof project !== 'string' || typeof kind !== 'string' || !KINDS.has(kind) || typeof command !== 'string')
    return undefined;
  if (!(exitCode === null || Number.isInteger(exitCode))) return undefined;
  if (!(durationMs === null || (typeof durationMs === 'number' && Number.isFinite(durationMs) && durationMs >= 0)))
    return undefined;
  const record: RunRecord = {
    id,
    startedAt,
    project,
    kind: kind as RunRecord['kind'],
    command,
    exitCode: exitCode as number | null,
    durationMs: durationMs as number | null,
  };
  if (typeof value.snippetId === 'string') record.snippetId = value.snippetId;
  if (typeof value.runbookPath === 'string') record.runbookPath = value.runbookPath;
  if (Number.isInteger(value.line)) record.line = value.line as number;
  if (typeof value.activeProject === 'string') record.activeProject = value.activeProject;
  const target = asTarget(value.target);
  if (target) record.target = target;
  return record;
}

function asTarget(value: unknown): RunTarget | undefined {
  if (!isObject(value)) return undefined;
  const { name, ref, production, kind } = value;
  if (
    typeof name !== 'string' ||
    typeof production !== 'boolean' ||
    typeof kind !== 'string' ||
    !TARGET_KINDS.has(kind)
  )
    return undefined;
  return { name, production, kind: kind as RunTarget['kind'], ...(typeof ref === 'string' ? { ref } : {}) };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
