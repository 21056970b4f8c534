// Hard-coded production URLs in curl snippets are pointed at the active project, keeping path and query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectRefsInUrls, rewriteProjectUrls } from '../../../src/core/supabase/rewriteProjectUrls';

const SEED_HEALTH = 'curl -X POST https://trxmsoyjjoopnvzohmvi.supabase.co/functions/v1/health';

test('the seed health check is pointed at the local stack, with a notice', () => {
  assert.deepEqual(rewriteProjectUrls(SEED_HEALTH, 'http://127.0.0.1:54321'), {
    text: 'curl -X POST http://127.0.0.1:54321/functions/v1/health',
    notices: ['https://trxmsoyjjoopnvzohmvi.supabase.co → http://127.0.0.1:54321'],
  });
});

test('path, query and quoting are kept; a trailing slash on the API URL is dropped', () => {
  const command = `curl -H 'apikey: x' "https://trxmsoyjjoopnvzohmvi.supabase.co/rest/v1/assets?select=id&limit=1" 'https://trxmsoyjjoopnvzohmvi.supabase.co'`;
  const r = rewriteProjectUrls(command, 'https://abcdefghijklmnopqrst.supabase.co/');
  assert.equal(
    r.text,
    `curl -H 'apikey: x' "https://abcdefghijklmnopqrst.supabase.co/rest/v1/assets?select=id&limit=1" 'https://abcdefghijklmnopqrst.supabase.co'`,
  );
  assert.deepEqual(r.notices, ['https://trxmsoyjjoopnvzohmvi.supabase.co → https://abcdefghijklmnopqrst.supabase.co']);
});

test('the old <ref>.functions.supabase.co host maps to /functions/v1', () => {
  const r = rewriteProjectUrls(
    'curl https://trxmsoyjjoopnvzohmvi.functions.supabase.co/hello?x=1',
    'http://localhost:54321',
  );
  assert.equal(r.text, 'curl http://localhost:54321/functions/v1/hello?x=1');
  assert.deepEqual(r.notices, [
    'https://trxmsoyjjoopnvzohmvi.functions.supabase.co → http://localhost:54321/functions/v1',
  ]);
});

test('URLs already pointing at the active project, other hosts and look-alikes are untouched', () => {
  const same = rewriteProjectUrls(
    'curl https://trxmsoyjjoopnvzohmvi.supabase.co/auth/v1/health',
    'https://trxmsoyjjoopnvzohmvi.supabase.co',
  );
  assert.deepEqual(same, { text: 'curl https://trxmsoyjjoopnvzohmvi.supabase.co/auth/v1/health', notices: [] });
  for (const other of [
    'curl https://supabase.com/dashboard/project/trxmsoyjjoopnvzohmvi',
    'curl https://short.supabase.co/x',
    'curl https://trxmsoyjjoopnvzohmvi.supabase.co.evil.example/x',
    'psql postgresql://postgres:pw@db.trxmsoyjjoopnvzohmvi.supabase.co:5432/postgres',
    'curl https://example.com/?next=https%3A%2F%2Fx',
  ]) {
    assert.deepEqual(rewriteProjectUrls(other, 'http://127.0.0.1:54321'), { text: other, notices: [] }, other);
  }
});

test('two URLs of the same project give one notice; refs are listed', () => {
  const command = 'curl https://trxmsoyjjoopnvzohmvi.supabase.co/a && curl https://trxmsoyjjoopnvzohmvi.supabase.co/b';
  const r = rewriteProjectUrls(command, 'http://127.0.0.1:54321');
  assert.equal(r.text, 'curl http://127.0.0.1:54321/a && curl http://127.0.0.1:54321/b');
  assert.equal(r.notices.length, 1);
  assert.deepEqual(projectRefsInUrls(command), ['trxmsoyjjoopnvzohmvi']);
});

test('an API URL that could break the command is refused', () => {
  for (const bad of [
    'not a url',
    'ftp://x',
    "http://x/'$(touch /tmp/pwned)'",
    'http://user:pw@x',
    'http://x/?q=1',
    'http://x/a b',
  ]) {
    assert.throws(() => rewriteProjectUrls(SEED_HEALTH, bad), Error, bad);
  }
  assert.equal(
    rewriteProjectUrls(SEED_HEALTH, 'http://[::1]:54321/proxy').text,
    'curl -X POST http://[::1]:54321/proxy/functions/v1/health',
  );
});

test('an explicit port belongs to the origin: it is replaced, never doubled', () => {
  const r = rewriteProjectUrls(
    'curl https://trxmsoyjjoopnvzohmvi.supabase.co:443/functions/v1/health',
    'http://127.0.0.1:54321',
  );
  assert.deepEqual(r, {
    text: 'curl http://127.0.0.1:54321/functions/v1/health',
    notices: ['https://trxmsoyjjoopnvzohmvi.supabase.co:443 → http://127.0.0.1:54321'],
  });
  const same = rewriteProjectUrls(
    'curl https://trxmsoyjjoopnvzohmvi.supabase.co:443/x',
    'https://trxmsoyjjoopnvzohmvi.supabase.co',
  );
  assert.deepEqual(same.notices, [], 'the default port of https is the same origin');
  assert.equal(
    rewriteProjectUrls('curl https://trxmsoyjjoopnvzohmvi.functions.supabase.co:8443/hello', 'http://localhost:54321')
      .text,
    'curl http://localhost:54321/functions/v1/hello',
  );
});
