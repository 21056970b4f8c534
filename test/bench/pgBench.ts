// Benchmarks of the SQL runner against plain pg, on a real Postgres.
//   (a) overhead: 1000 small queries through the runner (read mode: a read-only transaction with a
//       statement timeout and a row cap) vs the same queries through pg.Pool#query, one connection
//       each, interleaved query by query so both see the same machine state. Target: ratio <= 1.15.
//   (b) memory: a 1,000,000-row result through the runner with a cap of 1000 vs pool.query of all
//       rows; peak RSS and heap above the idle level, sampled every 10 ms.
// Run with `node --expose-gc` for steadier memory numbers. Not part of the unit tests.
import pg from 'pg';
import { PgRunner } from '../../src/node/pg/pgRunner';

export interface BenchDatabase {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

const SMALL_QUERY = 'select $1::int + 1';
const BIG_QUERY = 'select g, md5(g::text) from generate_series(1,1000000) g';
const QUERIES = 1000;
const WARMUP = 200;

export async function runPgBenchmarks(db: BenchDatabase): Promise<Record<string, number | string>> {
  const connection = { ...db, sslmode: 'disable' as const, applicationName: 'runbook-bench' };
  const runner = new PgRunner({ connection, poolSize: 1 });
  const pool = new pg.Pool({ ...db, max: 1, application_name: 'runbook-bench-raw' });
  pool.on('error', () => undefined);
  const readOptions = { mode: 'read' as const, statementTimeoutMs: 30_000, maxRows: 1000 };
  try {
    const viaRunner = async (i: number) => {
      const outcome = await runner.run([{ text: SMALL_QUERY, values: [i] }], readOptions);
      if (outcome.status !== 'ok' || outcome.results[0].rows[0][0] !== i + 1) throw new Error(`runner gave ${JSON.stringify(outcome)}`);
    };
    const viaPool = async (i: number) => {
      const result = await pool.query({ text: SMALL_QUERY, values: [i], rowMode: 'array' });
      if (result.rows[0][0] !== i + 1) throw new Error('pool gave a wrong answer');
    };
    for (let i = 0; i < WARMUP; i++) {
      await viaRunner(i);
      await viaPool(i);
    }
    // Interleaved query by query: background load on the machine then hits both sides alike.
    const rawTimes: number[] = [];
    const runnerTimes: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const t0 = performance.now();
      await viaPool(i);
      const t1 = performance.now();
      await viaRunner(i);
      rawTimes.push(t1 - t0);
      runnerTimes.push(performance.now() - t1);
    }
    const rawMs = sum(rawTimes);
    const runnerMs = sum(runnerTimes);

    const capped = await measureMemory(async () => {
      const outcome = await runner.run([{ text: BIG_QUERY, values: [] }], readOptions);
      if (outcome.status !== 'ok' || outcome.results[0].rows.length !== 1000 || !outcome.results[0].capped) throw new Error('capped run failed');
    });
    const full = await measureMemory(async () => {
      const result = await pool.query({ text: BIG_QUERY, rowMode: 'array' });
      if (result.rows.length !== 1_000_000) throw new Error('full query failed');
    });

    return {
      smallQueries: QUERIES,
      rawPgMs: round1(rawMs),
      runnerMs: round1(runnerMs),
      rawPgPerQueryUs: round1((rawMs / QUERIES) * 1000),
      runnerPerQueryUs: round1((runnerMs / QUERIES) * 1000),
      overheadRatio: Math.round((runnerMs / rawMs) * 100) / 100,
      // Medians ignore the scheduler hiccups of a busy machine, which hit single queries.
      rawPgMedianUs: round1(median(rawTimes) * 1000),
      runnerMedianUs: round1(median(runnerTimes) * 1000),
      medianRatio: Math.round((median(runnerTimes) / median(rawTimes)) * 100) / 100,
      cappedMillionRowsMs: capped.ms,
      cappedPeakRssMb: capped.rssMb,
      cappedPeakHeapMb: capped.heapMb,
      fullMillionRowsMs: full.ms,
      fullPeakRssMb: full.rssMb,
      fullPeakHeapMb: full.heapMb,
      gcExposed: typeof globalThis.gc === 'function' ? 'yes' : 'no (run node --expose-gc for steadier memory numbers)',
    };
  } finally {
    await runner.dispose();
    await pool.end();
  }
}

async function timed(work: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** Peak RSS and heap above the level just before `work`, sampled every 10 ms. */
async function measureMemory(work: () => Promise<void>): Promise<{ ms: number; rssMb: number; heapMb: number }> {
  globalThis.gc?.();
  await new Promise((resolve) => setTimeout(resolve, 50));
  const idle = process.memoryUsage();
  let peakRss = idle.rss;
  let peakHeap = idle.heapUsed;
  const sample = () => {
    const now = process.memoryUsage();
    peakRss = Math.max(peakRss, now.rss);
    peakHeap = Math.max(peakHeap, now.heapUsed);
  };
  const timer = setInterval(sample, 10);
  const ms = await timed(work);
  sample();
  clearInterval(timer);
  globalThis.gc?.();
  const mb = (bytes: number) => round1(bytes / 1024 / 1024);
  return { ms: round1(ms), rssMb: mb(peakRss - idle.rss), heapMb: mb(peakHeap - idle.heapUsed) };
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
