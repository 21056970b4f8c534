import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretMask, type MaskableOutcome } from '../../../src/core/secrets/secretMask';
import { maskKnownValues, maskSecrets } from '../../../src/core/secrets/maskSecrets';

const SECRET = 'sk-live-value-1234';

function rowsOf(rows: unknown[][]): MaskableOutcome {
  return { results: [{ rows }] };
}

test('an error that echoes a bound secret shows the mask instead, in every field', () => {
  const mask = new SecretMask([SECRET, 'db-pass']);
  const outcome = {
    status: 'error',
    results: [],
    error: {
      kind: 'postgres',
      title: 'Invalid text',
      code: '22P02',
      position: 12,
      message: `invalid input syntax for type uuid: "${SECRET}"`,
      detail: `Key (key)=(${SECRET}) is not present`,
      hint: `password db-pass`,
      advice: 'Check the value.',
      where: `SQL function "f" statement 1: ${SECRET}`,
    },
  };
  const masked = mask.outcome(outcome).error;
  assert.equal(masked.message, 'invalid input syntax for type uuid: "••••"');
  assert.equal(masked.detail, 'Key (key)=(••••) is not present');
  assert.equal(masked.hint, 'password ••••');
  assert.equal(masked.where, 'SQL function "f" statement 1: ••••');
  assert.equal(masked.code, '22P02');
  assert.equal(masked.position, 12);
  assert.ok(!JSON.stringify(masked).includes(SECRET));
  assert.ok(outcome.error.message.includes(SECRET), 'the outcome given is left as it was');
});

test('cells: only the known values are masked, however short; other data stays as it is', () => {
  const mask = new SecretMask(['ab1', undefined, SECRET]);
  const outcome = rowsOf([
    [SECRET],
    [`prefix ${SECRET} suffix`],
    ['ab1'],
    [null],
    ['eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x'],
  ]);
  assert.deepEqual(mask.outcome(outcome).results[0].rows, [
    ['••••'],
    ['prefix •••• suffix'],
    ['••••'],
    [null],
    ['eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.x'],
  ]);
  assert.equal(new SecretMask([]).outcome(outcome), outcome, 'nothing to mask: the same object');
});

test('cells: a secret inside json, jsonb or an array is masked too, keys included; other values keep their type', () => {
  const mask = new SecretMask([SECRET]);
  const when = new Date(0);
  const bytes = new Uint8Array([1, 2]);
  const outcome = rowsOf([
    [
      { k: SECRET, nested: [{ deeper: `x ${SECRET}` }], n: 1, b: true, none: null },
      [SECRET, 'other', [SECRET]],
      { [SECRET]: 1 },
      when,
      bytes,
      42n,
    ],
  ]);
  const [row] = mask.outcome(outcome).results[0].rows;
  assert.deepEqual(row.slice(0, 3), [
    { k: '••••', nested: [{ deeper: 'x ••••' }], n: 1, b: true, none: null },
    ['••••', 'other', ['••••']],
    { '••••': 1 },
  ]);
  assert.equal(row[3], when);
  assert.equal(row[4], bytes);
  assert.equal(row[5], 42n);
  assert.ok(!JSON.stringify(row.slice(0, 3)).includes(SECRET));
});

test('a secret that contains another is masked whole; a JSON-escaped copy is masked too', () => {
  const mask = new SecretMask(['abcd', 'abcdefgh', 'quo"te']);
  assert.equal(mask.value('x abcdefgh y abcd'), 'x •••• y ••••');
  assert.equal(mask.text('{"v":"quo\\"te"}'), '{"v":"••••"}');
});

test("the database password follows maskSecrets' rules for known secrets; typed secrets count at every length, everywhere", () => {
  const mask = new SecretMask(['k1'], { password: 'hunter22' });
  assert.equal(
    mask.value('hunter22 is masked, xhunter22 and hunter22_fdw are other words'),
    '•••• is masked, xhunter22 and hunter22_fdw are other words',
  );
  assert.equal(mask.value('k1 and xk1y'), '•••• and x••••y');
  assert.equal(new SecretMask([], { password: 'abc' }).value('abc'), 'abc', "shorter than maskSecrets' minimum");
  const distinctive = new SecretMask([], { password: 'Pa55-word-long!' });
  assert.equal(distinctive.value('user:Pa55-word-long!x'), 'user:••••x');
});

test("maskKnownValues is maskSecrets' known-value step: the same result on text without credential shapes", () => {
  const text = 'pass hunter2 not xhunter2; postgres but postgresql; abc; token-123456 token-123';
  const secrets = ['hunter2', 'postgres', 'abc', 'token-123', 'token-123456'];
  assert.equal(maskKnownValues(text, secrets), maskSecrets(text, secrets));
  assert.equal(maskKnownValues(text, secrets), 'pass •••• not xhunter2; •••• but postgresql; abc; •••• ••••');
  assert.equal(maskKnownValues('abc and xabcx', [{ value: 'abc', anyLength: true }]), '•••• and x••••x');
});
