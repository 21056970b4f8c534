import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDisplayCell } from '../../../src/core/sql/displayValue';

test('SQL NULL stays null, distinct from the text NULL', () => {
  assert.equal(toDisplayCell(null), null);
  assert.equal(toDisplayCell(undefined), null);
  assert.equal(toDisplayCell('NULL'), 'NULL');
  assert.equal(toDisplayCell(''), '');
});

test('exact numbers are kept exactly', () => {
  assert.equal(toDisplayCell('9223372036854775807'), '9223372036854775807'); // bigint as pg sends it
  assert.equal(toDisplayCell('12345678901234567890.000000001'), '12345678901234567890.000000001'); // numeric
  assert.equal(toDisplayCell(9007199254740993n), '9007199254740993');
  assert.equal(toDisplayCell(42), '42');
  assert.equal(toDisplayCell(-0), '-0');
  assert.equal(toDisplayCell(Number.NaN), 'NaN');
  assert.equal(toDisplayCell(Infinity), 'Infinity');
});

test('booleans, dates and bytes', () => {
  assert.equal(toDisplayCell(true), 'true');
  assert.equal(toDisplayCell(new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 6))), '2025-01-02T03:04:05.006Z');
  assert.equal(toDisplayCell(new Date(Number.NaN)), 'Invalid Date');
  assert.equal(toDisplayCell(Buffer.from([0xde, 0xad, 0x00, 0x0f])), '\\xdead000f');
  assert.equal(toDisplayCell(new Uint8Array([1, 255])), '\\x01ff');
  assert.equal(toDisplayCell(Buffer.alloc(0)), '\\x');
});

test('objects and arrays become JSON, with bigint, bytes and dates inside handled', () => {
  assert.equal(toDisplayCell({ a: 1, b: [true, null] }), '{"a":1,"b":[true,null]}');
  assert.equal(toDisplayCell(['a', 'b']), '["a","b"]');
  assert.equal(toDisplayCell([1n, Buffer.from([1]), new Date(0)]), '["1","\\\\x01","1970-01-01T00:00:00.000Z"]');
  assert.equal(toDisplayCell([null, 'NULL']), '[null,"NULL"]');
});

test('values with a Postgres text form use it; cycles do not throw', () => {
  const interval = { hours: 1, toPostgres: () => '1 hour' };
  assert.equal(toDisplayCell(interval), '1 hour');
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.equal(typeof toDisplayCell(cyclic), 'string');
});
