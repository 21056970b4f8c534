// The model worker: large runbooks are parsed and checked on a thread of their own and come back as the same model
// and problems as in place; small ones are parsed in place; a worker that dies loses nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RunbookParser } from '../../../src/node/model/runbookParser';
import { parseAndCheck } from '../../../src/node/model/parseAndCheck';
import { PROJECT_ROOT } from '../../helpers/seed';
import { readLayoutFixture } from '../../helpers/layoutFixtures';

const WORKER = join(PROJECT_ROOT, 'dist', 'modelWorker.js');

test('the worker is built', () => {
  assert.ok(existsSync(WORKER), `${WORKER} is missing: node scripts/build.mjs builds it`);
});

test('a large runbook is parsed in the worker, to the same model and problems as in place', async () => {
  const base = readLayoutFixture('check-traps.md').replace(/```sql\nselect 1;\n$/, '');
  const text = Array.from({ length: 200 }, (_, k) => base.replace(/^(#+ .*)$/gm, `$1 ${k}`)).join('\n');
  const parser = new RunbookParser(WORKER, undefined, 64 * 1024);
  try {
    assert.ok(parser.isLarge(text.length));
    const parsed = await parser.parse(text);
    assert.equal(parsed.where, 'worker');
    const here = parseAndCheck(text);
    assert.deepEqual(parsed.runbook, here.runbook);
    assert.deepEqual(parsed.problems, here.problems);
    assert.ok(parsed.runbook.playbooks.length > 500);
  } finally {
    parser.dispose();
  }
});

test('a small runbook is parsed in place', async () => {
  const parser = new RunbookParser(WORKER, undefined, 64 * 1024);
  try {
    const parsed = await parser.parse(readLayoutFixture('queue-alerts.md'));
    assert.equal(parsed.where, 'in place');
    assert.equal(parsed.runbook.playbooks.length, 4);
  } finally {
    parser.dispose();
  }
});

test('without a worker to start, large runbooks are parsed in place and the reason is logged', async () => {
  const logged: string[] = [];
  const parser = new RunbookParser(join(PROJECT_ROOT, 'dist', 'no-such-worker.js'), (m) => logged.push(m), 1024);
  try {
    const parsed = await parser.parse(readLayoutFixture('billing-service.md'));
    assert.equal(parsed.where, 'in place');
    assert.equal(parsed.runbook.playbooks.length, 4);
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0], /model worker/);
  } finally {
    parser.dispose();
  }
});
