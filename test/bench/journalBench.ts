// Restoring the run journal of earlier sessions: a full journal (1,000 records kept, the file up to twice that) read
// and masked again with the known secrets. It happens after activation (createRunJournal), so activation does not
// grow with the journal; this reports what it costs, and the masker prepared once for many texts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunJournal } from '../../src/core/journal/runJournal';
import { JournalFileStore, JOURNAL_FILE } from '../../src/node/journal/journalFileStore';

const RECORDS = 2000;
const CAPACITY = 1000;
const ROUNDS = 7;
// Made up: a password and a value shaped like a personal access token (sbp_ and 40 hex digits), built here so that
// nothing in the repository reads as a real credential.
const SECRETS = ['bench-password-not-real', `sbp_${'0'.repeat(40)}`];

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

export async function runJournalBenchmarks(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-journal-bench-'));
  try {
    const lines: string[] = [];
    for (let i = 0; i < RECORDS; i++)
      lines.push(
        JSON.stringify({
          id: `run-bench-${i}`,
          startedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
          project: 'production',
          kind: i % 2 ? 'sql' : 'shell',
          command:
            `SELECT pid, now() - query_start AS duration, query FROM pg_stat_activity WHERE state != 'idle' ORDER BY duration DESC LIMIT ${i};\n`.repeat(
              3,
            ),
          exitCode: 0,
          durationMs: 12,
          runbookPath: 'RUNBOOK.md',
          line: 10,
        }),
      );
    const text = lines.join('\n') + '\n';
    writeFileSync(join(dir, JOURNAL_FILE), text);
    const read: number[] = [];
    const restore: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const store = new JournalFileStore(dir, CAPACITY, () => undefined);
      const journal = new RunJournal({ capacity: CAPACITY, knownSecrets: () => SECRETS, store });
      let started = performance.now();
      const earlier = await store.load();
      read.push(performance.now() - started);
      started = performance.now();
      journal.restore(earlier);
      restore.push(performance.now() - started);
    }
    return {
      'journal file (records, KiB)': `${RECORDS}, ${Math.round(text.length / 1024)}`,
      'reading and decoding it, median (ms)': Number(median(read).toFixed(1)),
      // The first round is what a session meets: this process has not run the masking code before.
      'restoring 1,000 records masked with 2 known secrets: first, median (ms)': `${restore[0].toFixed(1)}, ${median(restore).toFixed(1)}`,
      'blocks activation': 'no (restored after activate() returns)',
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
