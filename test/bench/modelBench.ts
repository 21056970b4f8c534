// Model building against markdown-it's bare parse of the same text, in the same run (target: at most 1.5x).
import { readFileSync, existsSync } from 'node:fs';
import { parseRunbook, createMarkdownParser } from '../../src/core/model/parseRunbook';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function time(fn: () => void, iterations: number): number {
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  return median(samples);
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

export function runModelBenchmarks(seedPath: string, samplePath: string): Record<string, number | string> {
  const md = createMarkdownParser();
  const base = existsSync(seedPath) ? readFileSync(seedPath, 'utf8') : readFileSync(samplePath, 'utf8');
  const inputs: Array<[string, string, number]> = [
    [existsSync(seedPath) ? 'seed runbook' : 'sample runbook', base, 200],
    ['generated 5 MB runbook', generateRunbook(base, 5 * 1024 * 1024), 7],
  ];
  const out: Record<string, number | string> = {};
  for (const [name, text, iterations] of inputs) {
    // Warm both paths so the JIT treats them alike.
    for (let i = 0; i < 3; i++) { md.parse(text, {}); parseRunbook(text); }
    const bare = time(() => md.parse(text, {}), iterations);
    const model = time(() => parseRunbook(text), iterations);
    out[`${name}: size`] = `${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB`;
    out[`${name}: markdown-it parse (ms)`] = Number(bare.toFixed(2));
    out[`${name}: model build (ms)`] = Number(model.toFixed(2));
    out[`${name}: ratio (target <= 1.5)`] = Number((model / bare).toFixed(2));
  }
  return out;
}
