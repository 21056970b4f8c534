import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretMask } from '../../../src/core/sql/secretMask';
import type { ErrorView, ResultSetView } from '../../../src/shared/resultsMessages';

const SECRET = 'sk-live-value-1234';

test('an error that echoes a bound secret shows the mask instead, in every field', () => {
  const mask = new SecretMask([SECRET, 'db-pass']);
  const error: ErrorView = {
    kind: 'postgres', title: 'Invalid text', code: '22P02', position: '12',
    message: `invalid input syntax for type uuid: "${SECRET}"`,
    detail: `Key (key)=(${SECRET}) is not present`, hint: `password db-pass`, advice: 'Check the value.', excerpt: 'SELECT $1::uuid',
  };
  const masked = mask.errorView(error);
  assert.equal(masked.message, 'invalid input syntax for type uuid: "••••"');
  assert.equal(masked.detail, 'Key (key)=(••••) is not present');
  assert.equal(masked.hint, 'password ••••');
  assert.equal(masked.code, '22P02');
  assert.ok(!JSON.stringify(masked).includes(SECRET));
});

test('cells: only the known values are masked, however short; other data stays as it is', () => {
  const mask = new SecretMask(['ab1', undefined, SECRET]);
  const set: ResultSetView = {
    statementIndex: 0, statement: 'SELECT …', command: 'SELECT', columns: [{ name: 'v', typeName: 'text' }],
    rows: [[SECRET], [`prefix ${SECRET} suffix`], ['ab1'], [null], ['eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x']],
    rowCount: 5, capped: false, maxRows: 1000, durationMs: 1,
  };
  assert.deepEqual(mask.resultSet(set).rows, [['••••'], ['prefix •••• suffix'], ['••••'], [null], ['eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x']]);
  assert.equal(new SecretMask([]).resultSet(set), set, 'nothing to mask: the same object');
});

test('a secret that contains another is masked whole; a JSON-escaped copy is masked too', () => {
  const mask = new SecretMask(['abcd', 'abcdefgh', 'quo"te']);
  assert.equal(mask.value('x abcdefgh y abcd'), 'x •••• y ••••');
  assert.equal(mask.text('{"v":"quo\\"te"}'), '{"v":"••••"}');
});
