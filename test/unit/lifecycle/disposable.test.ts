import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { Disposable, disposeAll } from '../../../src/core/lifecycle/disposable';

class Owner extends Disposable {
  released: string[] = [];
  register(name: string): void {
    this._register({ dispose: () => this.released.push(name) });
  }
  get disposed(): boolean {
    return this.isDisposed;
  }
  protected override onDispose(): void {
    this.released.push('own');
  }
}

test('dispose releases the owner first, then what it registered, newest first, and only once', () => {
  const owner = new Owner();
  owner.register('first');
  owner.register('second');
  owner.dispose();
  owner.dispose();
  assert.deepEqual(owner.released, ['own', 'second', 'first']);
  assert.equal(owner.disposed, true);
});

test('what is registered after dispose is released at once', () => {
  const owner = new Owner();
  owner.dispose();
  owner.register('late');
  assert.deepEqual(owner.released, ['own', 'late']);
});

test('a disposable that throws does not keep the others alive', () => {
  const released: string[] = [];
  assert.throws(
    () =>
      disposeAll([
        { dispose: () => released.push('a') },
        {
          dispose: () => {
            throw new Error('boom');
          },
        },
        { dispose: () => released.push('c') },
      ]),
    /boom/,
  );
  assert.deepEqual(released, ['c', 'a']);
});
