// Splitting shell fences of pathological shapes against markdown-it's parse of the same text (the fence inside a
// markdown document), in the same run: time per MB for each shape and the worst ratio. Issue 11 saw a 672 KB
// continued command take 12 s to split; the aim is time in proportion to size, within a small factor of markdown-it.
import MarkdownIt from 'markdown-it';
import { commentAbove, splitShellSnippet } from '../../src/core/bash/splitShellSnippet';
import { substitutePlaceholders } from '../../src/core/bash/substitutePlaceholders';
import { PATHOLOGICAL_SHELL_SHAPES, shapeOfSize } from './shellShapes';

const TARGET_BYTES = 1024 * 1024;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timeOnce(fn: () => void): number {
  const started = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Medians of interleaved runs, so that load from other processes on this shared machine hits both alike. */
function compare(contenders: Record<string, () => void>, rounds: number): Record<string, number> {
  for (const fn of Object.values(contenders)) fn(); // warm-up
  const samples: Record<string, number[]> = {};
  for (let r = 0; r < rounds; r++)
    for (const [name, fn] of Object.entries(contenders)) (samples[name] ??= []).push(timeOnce(fn));
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}

export function runShellBenchmarks(rounds = 7): Record<string, number | string> {
  const markdown = new MarkdownIt();
  const out: Record<string, number | string> = {};
  let worst = { ratio: 0, name: '', msPerMb: 0 };
  const shapes: Array<[string, string, (body: string) => void]> = PATHOLOGICAL_SHELL_SHAPES.map((shape) => [
    shape.name,
    shapeOfSize(shape, TARGET_BYTES),
    (body: string) => {
      const split = splitShellSnippet(body, 0);
      for (const command of split.commands) commentAbove(split, command.line);
    },
  ]);
  // The planner quotes every placeholder of a command: one continued command with two on every line.
  shapes.push([
    'placeholders substituted in one continued command',
    'echo <x> "<x>" \\\n'.repeat(Math.round(TARGET_BYTES / 17)) + 'end\n',
    (body: string) => substitutePlaceholders(body, { x: "it's" }),
  ]);
  for (const [name, body, run] of shapes) {
    const document = '# Runbook\n\n```bash\n' + body + '```\n';
    const megabytes = Buffer.byteLength(document) / (1024 * 1024);
    const ms = compare({ markdownIt: () => markdown.parse(document, {}), shell: () => run(body) }, rounds);
    const ratio = ms.shell / ms.markdownIt;
    out[`${name}: size`] = `${(megabytes * 1024).toFixed(0)} KiB`;
    out[`${name}: markdown-it (ms per MB)`] = Number((ms.markdownIt / megabytes).toFixed(1));
    out[`${name}: shell (ms per MB)`] = Number((ms.shell / megabytes).toFixed(1));
    out[`${name}: ratio`] = Number(ratio.toFixed(2));
    if (ratio > worst.ratio) worst = { ratio, name, msPerMb: ms.shell / megabytes };
  }
  out['worst shape'] = worst.name;
  out['worst shape: shell (ms per MB)'] = Number(worst.msPerMb.toFixed(1));
  out['worst shape: ratio to markdown-it'] = Number(worst.ratio.toFixed(2));
  out.samples = `median of ${rounds} interleaved runs per contender`;
  return out;
}
