import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { SqlParser } from '../../../src/core/sql/sqlParser';
import { planTransaction as planFromControls, transactionControlOf } from '../../../src/core/sql/transactionControl';
import { loadPostgresParser } from '../../../src/node/sql/postgresParser';

// Transaction control is read from PostgreSQL's parse tree.
let parser: SqlParser;
before(async () => {
  parser = await loadPostgresParser();
});

function controlOf(sql: string) {
  const parsed = parser.parse(sql);
  return parsed.ok ? transactionControlOf(parsed.statements[0]?.tree) : undefined;
}

function planTransaction(texts: string[]) {
  return planFromControls(texts.map((text) => ({ text, control: controlOf(text) })));
}

test('transaction-control statements are recognised through comments and case', () => {
  assert.equal(controlOf('BEGIN'), 'begin');
  assert.equal(controlOf('  -- start\n begin work;'), 'begin');
  assert.equal(controlOf('/* a /* nested */ comment */ START TRANSACTION'), 'begin');
  assert.equal(controlOf('begin isolation level serializable'), 'other');
  assert.equal(controlOf('COMMIT'), 'commit');
  assert.equal(controlOf('end transaction -- done'), 'commit');
  assert.equal(controlOf('commit and chain'), 'other');
  assert.equal(controlOf("commit prepared 'x'"), 'other');
  assert.equal(controlOf('ROLLBACK;'), 'rollback');
  assert.equal(controlOf('abort'), 'rollback');
  assert.equal(controlOf('rollback to savepoint a'), undefined);
  assert.equal(controlOf("prepare transaction 'x'"), 'other');
  assert.equal(controlOf('prepare q as select 1'), undefined);
  assert.equal(controlOf('select 1 -- commit'), undefined);
  assert.equal(controlOf('update t set ended = true'), undefined);
  // What our lexer once missed: a comment ended by a carriage return, as Postgres ends it.
  assert.equal(controlOf('--\rCOMMIT'), 'commit');
  assert.equal(controlOf('commit and no chain'), 'commit');
  assert.equal(controlOf('start transaction read write'), 'other');
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
