// Checks that are right when they speak (issue 10): on our corpus of runbooks written in the layouts public runbooks
// use, with the traps they hold (logs and tables in untagged fences, self-describing placeholders, placeholders the
// prose explains in other words, playbooks whose fix is prose), at least 80% of what `check` reports must be real.
// Each reported problem is judged by hand in test/fixtures/runbooks/problems.json; a new or vanished problem fails
// here until it has been judged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRunbook } from '../../../src/core/model/parseRunbook';
import { checkRunbook } from '../../../src/core/check/checkRunbook';
import { STANDARD_CHECKERS } from '../../../src/core/check/standardCheckers';
import { LAYOUT_FIXTURES, LAYOUT_FIXTURES_DIR as FIXTURES } from '../../helpers/layoutFixtures';

interface Judged {
  file: string;
  line: number;
  code: string;
  real: boolean;
  why: string;
}

const CORPUS = [...LAYOUT_FIXTURES, '../../../runbook/operations-runbook.md'];

test('at least 80% of the problems check reports on the fixture corpus are real, and each one has been judged', () => {
  const judged = (JSON.parse(readFileSync(join(FIXTURES, 'problems.json'), 'utf8')) as { problems: Judged[] }).problems;
  const key = (file: string, line: number, code: string) => `${file}:${line} ${code}`;
  const reported: string[] = [];
  for (const file of CORPUS) {
    const source = readFileSync(join(FIXTURES, file), 'utf8');
    for (const p of checkRunbook(parseRunbook(source), source, STANDARD_CHECKERS))
      reported.push(key(file, p.line + 1, p.code));
  }
  assert.deepEqual(
    [...reported].sort(),
    judged.map((j) => key(j.file, j.line, j.code)).sort(),
    'every reported problem is judged in problems.json, and every judged one is still reported',
  );
  const real = judged.filter((j) => j.real).length;
  const precision = real / judged.length;
  assert.ok(
    precision >= 0.8,
    `${real} of ${judged.length} reported problems are real (${(precision * 100).toFixed(0)}%)`,
  );
});
