import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { loadOnce } from '../../../src/core/lifecycle/loadOnce';

test('loads once for every caller, concurrent or later', async () => {
  let loads = 0;
  const load = loadOnce(async () => ({ loaded: ++loads }));
  const [a, b] = await Promise.all([load(), load()]);
  assert.equal(a, b);
  assert.equal(await load(), a);
  assert.equal(loads, 1);
});

test('a failed load is not kept: the next call loads again', async () => {
  let loads = 0;
  const load = loadOnce(async () => {
    loads++;
    if (loads === 1) throw new Error("Cannot find module './lazy/node.model.parseAndCheck.js'");
    return 'model code';
  });
  await assert.rejects(load(), /Cannot find module/);
  assert.equal(await load(), 'model code');
  assert.equal(loads, 2);
});
