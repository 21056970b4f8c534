// Model building against markdown-it's bare parse of the same text, in the same run. The target is a
// ratio of at most 1.5 on the team's runbook (the seed), where the model is rebuilt on every keystroke.
import { readSample, readSeed } from '../helpers/seed';
import { parseRunbook } from '../../src/core/model/parseRunbook';
import { createMarkdownParser, createBlockParser } from '../../src/core/model/markdownParser';

export const MODEL_RATIO_TARGET = 1.5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Milliseconds per call, measured over a batch so that timer resolution does not matter. */
function timeBatch(fn: () => void, calls: number): number {
  const started = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) fn();
  return Number(process.hrtime.bigint() - started) / 1e6 / calls;
}

/**
 * Medians of interleaved batches: each round times every contender once, so a burst of load from another
 * process on this shared machine hits them alike instead of skewing one of them.
 */
function compare(
  contenders: Record<string, () => void>,
  rounds: number,
  callsPerBatch: number,
): Record<string, number> {
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const [name, fn] of Object.entries(contenders)) (samples[name] ??= []).push(timeBatch(fn, callsPerBatch));
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

/** A runbook of at least `bytes`, made by repeating `base` with unique headings. */
export function generateRunbook(base: string, bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let n = 0; size < bytes; n++) {
    const copy = base.replace(/^(#{2,4} .*)$/gm, `$1 (${n})`);
    parts.push(copy);
    size += copy.length;
  }
  return parts.join('\n');
}

export function runModelBenchmarks(): Record<string, number | string | boolean> {
  const full = createMarkdownParser();
  const block = createBlockParser();
  const seed = readSeed();
  const base = seed ?? readSample();
  const baseName = seed ? 'seed runbook' : 'sample runbook';
  // [name, text, rounds, calls per batch, whether the target applies]
  const inputs: Array<[string, string, number, number, boolean]> = [
    [baseName, base, 60, 25, true],
    ['generated 5 MB runbook', generateRunbook(base, 5 * 1024 * 1024), 7, 1, false],
  ];
  const out: Record<string, number | string | boolean> = {};
  for (const [name, text, rounds, calls, targeted] of inputs) {
    const contenders = {
      bare: () => full.parse(text, {}),
      model: () => parseRunbook(text),
      block: () => block.parse(text, {}),
    };
    // Warm every path so the JIT treats them alike.
    const warmups = Math.max(3, Math.min(300, Math.round(2_000_000 / text.length)));
    for (let i = 0; i < warmups; i++) for (const fn of Object.values(contenders)) fn();
    const ms = compare(contenders, rounds, calls);
    const ratio = Number((ms.model / ms.bare).toFixed(2));
    out[`${name}: size`] = `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;
    out[`${name}: markdown-it parse (ms)`] = Number(ms.bare.toFixed(3));
    out[`${name}: model build (ms)`] = Number(ms.model.toFixed(3));
    // The model reads block tokens only; this is the share of its time that is markdown-it's.
    out[`${name}: of which markdown-it block parse (ms)`] = Number(ms.block.toFixed(3));
    out[`${name}: ratio`] = ratio;
    if (targeted) {
      out[`${name}: target`] = MODEL_RATIO_TARGET;
      out[`${name}: met`] = ratio <= MODEL_RATIO_TARGET;
    }
    out[`${name}: samples`] = `median of ${rounds} interleaved batches of ${calls}`;
  }
  return out;
}
