// The working commands that replace a runbook's stale `supabase` commands, for the Quick Fix on their line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { staleCommandFixes } from '../../../src/core/supabase/staleCommands';

test('supabase functions logs: the hosted logs viewer, the function named for a command that shows its logs', () => {
  const line = 'supabase functions logs generate-content --tail';
  const [fix] = staleCommandFixes(line);
  assert.deepEqual(
    [fix.start, fix.end, fix.command, fix.functionName],
    [0, line.length, 'supabase functions logs', 'generate-content'],
  );
  assert.deepEqual(
    fix.replacements.map((r) => r.text),
    ['supabase logs --remote --service functions'],
  );
});

test('a project named with --project-ref is kept, as --remote=<ref>', () => {
  const [fix] = staleCommandFixes('  supabase functions logs <name> --project-ref abcdefghijklmnopqrst  # follow');
  assert.equal(fix.start, 2);
  assert.equal(fix.functionName, '<name>');
  assert.equal(fix.replacements[0].text, 'supabase logs --remote=abcdefghijklmnopqrst --service functions');
});

test('supabase db remote: status, changes and commit each get what replaced them', () => {
  assert.deepEqual(
    staleCommandFixes('supabase db remote status')[0].replacements.map((r) => r.text),
    ['supabase migration list --remote', 'supabase inspect db db-stats --remote'],
  );
  assert.deepEqual(
    staleCommandFixes('supabase db remote changes --schema public')[0].replacements.map((r) => r.text),
    ['supabase db diff --remote --schema public'],
  );
  assert.deepEqual(
    staleCommandFixes('supabase db remote commit --linked')[0].replacements.map((r) => r.text),
    ['supabase db pull --remote'],
  );
});

test('only the stale command is replaced: what comes after a pipe or && stays', () => {
  const line = 'npx supabase db remote status && echo done';
  const [fix] = staleCommandFixes(line);
  assert.equal(line.slice(fix.start, fix.end), 'supabase db remote status');
  assert.deepEqual(staleCommandFixes('supabase functions deploy hello'), [], 'a command that exists has no fix');
});
