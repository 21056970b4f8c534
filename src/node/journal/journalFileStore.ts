// Keeps the run journal of a workspace in its extension storage (context.storageUri) as JSON Lines, so the
// incident timeline survives a reload. Records arrive masked; a failed write is logged, never thrown at a run.
import { appendFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeJournal, encodeRecord, shouldRotate, type JournalStore } from '../../core/journal/journalStore';
import type { RunRecord } from '../../core/journal/runJournal';

export const JOURNAL_FILE = 'runs.jsonl';
export const ROTATED_JOURNAL_FILE = 'runs.1.jsonl';

export class JournalFileStore implements JournalStore {
  private readonly file: string;
  private lines = 0;

  constructor(
    private readonly directory: string,
    private readonly capacity: number,
    private readonly onError: (message: string) => void,
  ) {
    this.file = join(directory, JOURNAL_FILE);
  }

  /**
   * The records of earlier sessions, oldest first. Read without blocking: a full journal is a megabyte, and it is
   * restored after activation (RunJournal.restore keeps the runs recorded meanwhile, after the earlier ones).
   */
  async load(): Promise<RunRecord[]> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        this.onError(`Reading the run journal ${this.file} failed: ${(error as Error).message}`);
      return [];
    }
    // Lines appended while the file was read are counted by append; the count only decides when to rotate.
    this.lines = Math.max(this.lines, text.split('\n').filter((l) => l.trim() !== '').length);
    const { records, skipped } = decodeJournal(text);
    if (skipped > 0) this.onError(`The run journal ${this.file} had ${skipped} unreadable line(s); they were skipped.`);
    return records;
  }

  append(record: RunRecord, current: () => readonly RunRecord[]): void {
    try {
      mkdirSync(this.directory, { recursive: true });
      if (shouldRotate(this.lines + 1, this.capacity)) {
        // The old file stays once as runs.1.jsonl; the new one starts from what the journal keeps.
        if (existsSync(this.file)) renameSync(this.file, join(this.directory, ROTATED_JOURNAL_FILE));
        this.write(current());
        return;
      }
      appendFileSync(this.file, encodeRecord(record) + '\n', { mode: 0o600 });
      this.lines++;
    } catch (error) {
      this.onError(`Writing the run journal ${this.file} failed: ${(error as Error).message}`);
    }
  }

  replaceAll(records: readonly RunRecord[]): void {
    try {
      mkdirSync(this.directory, { recursive: true });
      this.write(records);
    } catch (error) {
      this.onError(`Writing the run journal ${this.file} failed: ${(error as Error).message}`);
    }
  }

  private write(records: readonly RunRecord[]): void {
    // Temporary file and rename: a reader never sees half a journal.
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, records.map((r) => encodeRecord(r) + '\n').join(''), { mode: 0o600 });
    renameSync(temporary, this.file);
    this.lines = records.length;
  }
}
