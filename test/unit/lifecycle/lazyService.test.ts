import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LazyService } from '../../../src/core/lifecycle/lazyService';

class Service {
  disposed = 0;
  dispose(): void {
    this.disposed++;
  }
}

test('the service is made once, on the first use, however many uses wait for it', async () => {
  let made = 0;
  const lazy = new LazyService(async () => {
    made++;
    return new Service();
  });
  assert.equal(made, 0, 'nothing is made before a use');
  assert.equal(lazy.ifMade, undefined);
  const [a, b] = await Promise.all([lazy.get(), lazy.get()]);
  assert.equal(made, 1);
  assert.equal(a, b);
  assert.equal(lazy.ifMade, a);
  assert.equal(await lazy.get(), a);
});

test('a failed load is not kept: the next use tries again and gets the service', async () => {
  let attempts = 0;
  const lazy = new LazyService(async () => {
    attempts++;
    if (attempts === 1) throw new Error('Cannot find module ./lazy/vscode.sql.sqlSnippetRunner.js');
    return new Service();
  });
  await assert.rejects(lazy.get(), /Cannot find module/);
  assert.equal(lazy.ifMade, undefined);
  const service = await lazy.get();
  assert.equal(attempts, 2);
  assert.equal(lazy.ifMade, service);
});

test('disposing releases a made service once, and refuses later uses', async () => {
  const lazy = new LazyService(async () => new Service());
  const service = await lazy.get();
  lazy.dispose();
  lazy.dispose();
  assert.equal(service.disposed, 1);
  assert.equal(lazy.ifMade, undefined);
  await assert.rejects(lazy.get(), /shutting down/);
});

test('a service whose code finishes loading after dispose is released at once, never handed out', async () => {
  let finishLoading!: () => void;
  const loaded = new Promise<void>((resolve) => (finishLoading = resolve));
  const service = new Service();
  const lazy = new LazyService(async () => {
    await loaded;
    return service;
  });
  const use = lazy.get();
  lazy.dispose();
  finishLoading();
  await assert.rejects(use, /shutting down/);
  assert.equal(service.disposed, 1);
  assert.equal(lazy.ifMade, undefined);
});

test('a service without dispose is released by the given function', async () => {
  const released: string[] = [];
  const lazy = new LazyService(
    async () => 'runner',
    (service) => released.push(service),
  );
  await lazy.get();
  lazy.dispose();
  assert.deepEqual(released, ['runner']);
});
