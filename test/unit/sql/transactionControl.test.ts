import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planTransaction, transactionControlOf } from '../../../src/core/sql/transactionControl';

test('transaction-control statements are recognised through comments and case', () => {
  assert.equal(transactionControlOf('BEGIN'), 'begin');
  assert.equal(transactionControlOf('  -- start\n begin work;'), 'begin');
  assert.equal(transactionControlOf('/* a /* nested */ comment */ START TRANSACTION'), 'begin');
  assert.equal(transactionControlOf('begin isolation level serializable'), 'other');
  assert.equal(transactionControlOf('COMMIT'), 'commit');
  assert.equal(transactionControlOf('end transaction -- done'), 'commit');
  assert.equal(transactionControlOf('commit and chain'), 'other');
  assert.equal(transactionControlOf("commit prepared 'x'"), 'other');
  assert.equal(transactionControlOf('ROLLBACK;'), 'rollback');
  assert.equal(transactionControlOf('abort'), 'rollback');
  assert.equal(transactionControlOf('rollback to savepoint a'), undefined);
  assert.equal(transactionControlOf("prepare transaction 'x'"), 'other');
  assert.equal(transactionControlOf('prepare q as select 1'), undefined);
  assert.equal(transactionControlOf('select 1 -- commit'), undefined);
  assert.equal(transactionControlOf('update t set ended = true'), undefined);
});

test('a leading BEGIN and a final COMMIT or ROLLBACK are handled; anything else is refused', () => {
  const wrapped = planTransaction(['begin', 'update t set a = 1', 'commit']);
  assert.deepEqual(
    [...wrapped.handled],
    [
      [0, 'begin'],
      [2, 'commit'],
    ],
  );
  assert.equal(wrapped.endsWithRollback, false);
  assert.equal(wrapped.refused, undefined);

  const dryRun = planTransaction(['begin', 'delete from t', 'select count(*) from t', 'rollback']);
  assert.equal(dryRun.endsWithRollback, true);

  assert.deepEqual(planTransaction(['select 1', 'commit', 'delete from t']).refused, { index: 1, text: 'commit' });
  assert.deepEqual(planTransaction(['select 1', 'begin']).refused?.index, 1);
  assert.equal(planTransaction(['commit']).refused?.index, 0, 'a lone COMMIT is not a wrapper');
  assert.equal(planTransaction(['savepoint a', 'select 1', 'rollback to a']).refused, undefined);
});
