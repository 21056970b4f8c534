// Splitting a shell fence takes time in proportion to its size, whatever its shape: the shapes below once took
// seconds (a 672 KB continued command took 12 s) because the lexer re-read its growing text on every line. No
// wall-clock bound here (speed is npm run bench's): each shape is timed at two sizes in the same run, and four times
// the text may take at most eight times as long (linear takes four, quadratic sixteen). The slack absorbs the step
// in cost per byte once a call outgrows V8's young generation and the noise of a shared machine; each sample starts
// after a full garbage collection and counts this process's CPU time, so that other load does not decide.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { commentAbove, splitShellSnippet } from '../../../src/core/bash/splitShellSnippet';
import { substitutePlaceholders } from '../../../src/core/bash/substitutePlaceholders';
import { PATHOLOGICAL_SHELL_SHAPES, shapeOfSize } from '../../bench/shellShapes';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const SMALL = 256 * 1024;
const GROWTH = 4;
const MAX_RATIO = 8;
const MAX_SMALL = 2 * 1024 * 1024;

/** CPU milliseconds per call, over enough calls that one sample lasts about 30 ms. */
function cpuPerCall(fn: () => void, calls: number): number {
  collectGarbage();
  const started = process.cpuUsage();
  for (let i = 0; i < calls; i++) fn();
  const used = process.cpuUsage(started);
  return (used.user + used.system) / 1000 / calls;
}

function growth(small: () => void, large: () => void): { ratio: number; small: number; large: number } {
  small(); // warm-up
  large();
  const calls = Math.max(1, Math.min(100, Math.ceil(30 / Math.max(cpuPerCall(small, 1), 0.01))));
  const smalls: number[] = [];
  const larges: number[] = [];
  for (let round = 0; round < 3; round++) {
    smalls.push(cpuPerCall(small, calls));
    larges.push(cpuPerCall(large, calls));
  }
  const best = { small: Math.min(...smalls), large: Math.min(...larges) };
  return { ...best, ratio: best.large / best.small };
}

function describe(
  name: string,
  { ratio, small, large }: { ratio: number; small: number; large: number },
  size = SMALL,
): string {
  return `${name}: ${small.toFixed(2)} ms at ${size / 1024} KB, ${large.toFixed(2)} ms at ${GROWTH} times that (×${ratio.toFixed(1)})`;
}

for (const shape of PATHOLOGICAL_SHELL_SHAPES) {
  test(`splitting grows linearly: ${shape.name}`, (t) => {
    const split = (body: string) => (): void => {
      const result = splitShellSnippet(body, 0);
      // The CLI checks ask for the comment above every command.
      for (const command of result.commands) commentAbove(result, command.line);
    };
    // A shape that costs little per byte outgrows the young generation only at a larger size: grown until one
    // call takes a while, so that both sizes are past that step.
    let size = SMALL;
    const warmCost = (run: () => void): number => (run(), cpuPerCall(run, 1));
    while (size < MAX_SMALL && warmCost(split(shapeOfSize(shape, size))) < 40) size *= 2;
    const measured = growth(split(shapeOfSize(shape, size)), split(shapeOfSize(shape, GROWTH * size)));
    t.diagnostic(describe(shape.name, measured, size));
    assert.ok(measured.ratio <= MAX_RATIO, describe(shape.name, measured, size));
  });
}

for (const [name, line] of [
  ['a long continued command', 'echo <x> "<x>" \\\n'],
  ['a long eval, where every word is code for a second shell', 'eval echo <x> \\\n'],
  ['a long pipeline into shells', 'echo <x> | sh | \\\n'],
  ['docker exec wrapped in itself', 'docker exec docker exec <x> \\\n'],
]) {
  test(`substituting placeholders grows linearly in ${name}`, (t) => {
    const substitute = (text: string) => (): void => void substitutePlaceholders(text, { x: 'ticket-42' });
    const measured = growth(
      substitute(line.repeat(Math.round(SMALL / line.length)) + 'end'),
      substitute(line.repeat(Math.round((GROWTH * SMALL) / line.length)) + 'end'),
    );
    t.diagnostic(describe(name, measured));
    assert.ok(measured.ratio <= MAX_RATIO, describe(name, measured));
  });
}
