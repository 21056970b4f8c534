// Random mutations of a runbook must always give a consistent model and check, each within a bound that
// only a runaway parse (a backtracking pattern, a loop that never advances) could break. Seeded, so a
// failure reproduces. Speed is the benchmark's business (npm run bench), not this test's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';
import { readSeed, readSample } from '../../helpers/seed';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  '```',
  '~~~',
  '```sql',
  '|',
  '| a | b |',
  '|---|',
  '#',
  '## ',
  '**Diagnosis:**',
  '<org_id>',
  '<',
  '>',
  '\r\n',
  '\n',
  '- [ ] ',
  '1. ',
  '    ',
  '<div>',
  '</div>',
  '---',
  '□ ',
  '`',
  '\\',
  '\u0000',
  '\uFFFD',
  '😀',
  '$$',
  '[x](#y)',
  '> ',
];

// Parsing the seed takes about 1 ms; 2000x that is a hang, not a slow machine.
const HANG_BOUND_MS = 2000;

function mutate(text: string, random: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(random() * 8);
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(random() * Math.max(1, lines.length));
    const op = Math.floor(random() * 6);
    const frag = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
    if (op === 0) lines.splice(i, 1);
    else if (op === 1) lines.splice(i, 0, frag);
    else if (op === 2) lines[i] = (lines[i] ?? '') + frag;
    else if (op === 3) {
      const l = lines[i] ?? '';
      const at = Math.floor(random() * (l.length + 1));
      lines[i] = l.slice(0, at) + frag + l.slice(at);
    } else if (op === 4) {
      const j = Math.floor(random() * lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
    } else {
      const n = Math.floor(random() * 40);
      lines.splice(i, n);
    }
  }
  return lines.join('\n');
}

test('3000 random mutations of the runbook each give a consistent model and check', () => {
  const base = readSeed() ?? readSample();
  const random = rng(20261125);
  for (let run = 0; run < 3000; run++) {
    const text = mutate(base, random);
    const started = performance.now();
    const model = parseRunbook(text);
    const problems = checkRunbook(model, text);
    const elapsed = performance.now() - started;
    assert.ok(elapsed < HANG_BOUND_MS, `run ${run} took ${elapsed.toFixed(0)} ms`);
    const split = text.split(/\r\n|\r|\n/);
    const lineCount = text.length === 0 ? 0 : split.length - (split[split.length - 1] === '' ? 1 : 0);
    assert.equal(model.lineCount, lineCount, `line count (run ${run})`);
    for (const s of model.snippets) {
      assert.ok(
        s.startLine >= 0 && s.startLine <= s.endLine && s.endLine < Math.max(1, lineCount),
        `snippet lines in range (run ${run})`,
      );
    }
    for (const c of model.checklists)
      assert.ok(c.line >= 0 && c.line < Math.max(1, lineCount), `checklist line in range (run ${run})`);
    for (const problem of problems)
      assert.ok(
        problem.line >= 0 && problem.line < Math.max(1, lineCount),
        `problem line in range (run ${run}): ${problem.code}`,
      );
    for (const t of model.tables)
      assert.ok(t.line <= t.endLine && t.endLine < lineCount, `table lines in range (run ${run})`);
  }
});
