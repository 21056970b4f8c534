// SQL handed to psql inside a shell snippet is judged without PostgreSQL's parser (none is loaded there), by our
// own lexer: what it cannot read for sure, it judges the safe way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifySqlTextWithoutParser } from '../../../src/core/sql/lexicalClassification';

test('a name written with Unicode escapes could name any function: it asks', () => {
  for (const sql of [
    'SELECT U&"pg_terminate_backend"(pid) FROM pg_stat_activity',
    'SELECT U&"pg_terminate\\005fbackend"(pid) FROM pg_stat_activity',
    `SELECT U&"pg_terminate!005fbackend" UESCAPE '!' (pid) FROM pg_stat_activity`,
  ]) {
    const verdict = classifySqlTextWithoutParser(sql);
    assert.equal(verdict.risk, 'admin', sql);
    assert.match(verdict.reason, /Unicode escapes/);
  }
});

test('a -- comment ends at a carriage return, as in Postgres, so the call after it counts', () => {
  assert.equal(classifySqlTextWithoutParser('SELECT --\r pg_terminate_backend(1)').risk, 'admin');
});

test('functions that run or build SQL, and the side effects the old list missed, ask', () => {
  for (const sql of [
    "SELECT ts_rewrite('a'::tsquery, 'SELECT ''a''::tsquery, ''b''::tsquery FROM (SELECT pg_terminate_backend(1)) x')",
    "SELECT * FROM connectby('t', 'k', 'p', '1', 0) AS t(k int, p int, level int)",
    "SELECT * FROM xpath_table('k', 'd', 't', '/x', 'true') AS t(k int, x text)",
    "SELECT brin_summarize_new_values('i')",
    "SELECT pg_clear_relation_stats('public', 't')",
    "SELECT heap_force_kill('t'::regclass, ARRAY['(0,1)']::tid[])",
    "SELECT * FROM pg_logical_slot_get_changes('s', NULL, NULL)",
  ])
    assert.notEqual(classifySqlTextWithoutParser(sql).risk, 'read', sql);
  // ts_rewrite's three-argument form rewrites a tsquery and runs nothing.
  assert.equal(
    classifySqlTextWithoutParser("SELECT ts_rewrite('a'::tsquery, 'a'::tsquery, 'b'::tsquery)").risk,
    'read',
  );
});
