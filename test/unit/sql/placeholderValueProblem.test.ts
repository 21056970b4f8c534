// The prompt and the binder accept exactly the same placeholder values.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { placeholderValueProblem } from '../../../src/core/sql/placeholderValueProblem';
import { bindPlaceholders } from '../../../src/core/sql/bindPlaceholders';
import { sqlPlaceholders } from '../../../src/core/sql/prepareSqlRun';

const names = ['audit_log', 'public.audit_log', 'Ünïcode_tablé', '日本語', '_x$1', 'a'.repeat(63), 'é'.repeat(31)];
const notNames = [
  '',
  '1abc',
  'audit_log; drop table x',
  'a.b.c',
  'x"y',
  'a b',
  'a'.repeat(64),
  'é'.repeat(32),
  'audit-log',
];

test('a name the prompt accepts is bound; one it refuses is refused by the binder too', () => {
  for (const value of [...names, ...notNames]) {
    const prompt = placeholderValueProblem('identifier', value);
    const bound = bindPlaceholders('SELECT count(*) FROM <table_name>', { table_name: value });
    assert.equal(
      prompt === undefined,
      bound.problems.length === 0,
      `${JSON.stringify(value)}: prompt ${prompt ?? 'ok'}, binder ${bound.problems.join(' ') || 'ok'}`,
    );
  }
});

test('Unicode letters are names, as Postgres allows', () => {
  assert.equal(placeholderValueProblem('identifier', 'Ünïcode_tablé'), undefined);
  assert.equal(bindPlaceholders('SELECT * FROM <t>', { t: 'Ünïcode_tablé' }).text, 'SELECT * FROM "Ünïcode_tablé"');
});

test('the prompt says what a name must look like', () => {
  assert.match(
    placeholderValueProblem('identifier', 'x; drop table y') ?? '',
    /^The name must be a name such as audit_log or public\.audit_log/,
  );
  assert.match(placeholderValueProblem('identifier', 'a'.repeat(64)) ?? '', /63-byte limit/);
});

test('a value may be anything but NUL', () => {
  assert.equal(placeholderValueProblem('literal', "x'; drop table audit_log; --"), undefined);
  assert.match(placeholderValueProblem('literal', 'a\0b') ?? '', /NUL/);
});

test('part of a quoted name: the prompt and the binder agree, and schema.name is refused by both', () => {
  for (const value of [...names, ...notNames]) {
    const prompt = placeholderValueProblem('name-part', value);
    const bound = bindPlaceholders('SELECT "<col>" FROM t', { col: value });
    assert.equal(
      prompt === undefined,
      bound.problems.length === 0,
      `${JSON.stringify(value)}: prompt ${prompt ?? 'ok'}, binder ${bound.problems.join(' ') || 'ok'}`,
    );
  }
  assert.match(
    placeholderValueProblem('name-part', 'public.x') ?? '',
    /^The name must be letters, digits, _ and \$ only/,
  );
  assert.equal(bindPlaceholders('CREATE TABLE "tmp_<suffix>" (id int)', { suffix: 'public.x' }).text, '');
  const [suffix] = sqlPlaceholders('CREATE TABLE "tmp_<suffix>" (id int); DROP TABLE "tmp_<suffix>"');
  assert.deepEqual([suffix.kind, suffix.namePart], ['identifier', true]);
  const [table] = sqlPlaceholders('SELECT * FROM <t>; SELECT "<t>" FROM x');
  assert.equal(table.namePart, true, 'the stricter rule of the two uses');
  assert.equal(sqlPlaceholders('SELECT * FROM <t>')[0].namePart, false);
});
