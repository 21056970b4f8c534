// Where a runbook is best parsed: in place on the extension host's main thread, or in the model worker. For each size
// it reports the time the main thread is blocked either way (in place: the whole parse and check; with the worker:
// handing the text over and taking the model back, measured as the main thread's event-loop active time) and how long
// the worker takes to answer. RunbookParser's WORKER_THRESHOLD is chosen from these numbers.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { RunbookParser, WORKER_THRESHOLD } from '../../src/node/model/runbookParser';
import { parseAndCheck } from '../../src/node/model/parseAndCheck';
import { generateRunbook } from './modelBench';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export async function runWorkerBenchmarks(base: string, workerPath: string): Promise<Record<string, number | string>> {
  const out: Record<string, number | string> = { 'threshold (KiB)': WORKER_THRESHOLD / 1024 };
  // Threshold 0: every text goes to the worker, so every size can be measured there.
  const parser = new RunbookParser(workerPath, undefined, 0);
  try {
    for (const kib of [25, 100, 256, 1024, 5120]) {
      const text = generateRunbook(base, kib * 1024);
      const rounds = kib >= 1024 ? 5 : 15;
      const inPlace: number[] = [];
      const blocked: number[] = [];
      const latency: number[] = [];
      await parser.parse(text); // start the worker and warm both paths
      parseAndCheck(text);
      for (let r = 0; r < rounds; r++) {
        let started = performance.now();
        parseAndCheck(text);
        inPlace.push(performance.now() - started);
        const before = performance.eventLoopUtilization();
        started = performance.now();
        await parser.parse(text);
        latency.push(performance.now() - started);
        blocked.push(performance.eventLoopUtilization(before).active);
      }
      const label = `${kib} KiB`;
      out[`${label}: in place, main thread blocked (ms)`] = Number(median(inPlace).toFixed(2));
      out[`${label}: worker, main thread blocked (ms)`] = Number(median(blocked).toFixed(2));
      out[`${label}: worker, answer after (ms)`] = Number(median(latency).toFixed(2));
    }
  } finally {
    parser.dispose();
  }
  return out;
}

export const WORKER_PATH = (root: string) => join(root, 'dist', 'modelWorker.js');
