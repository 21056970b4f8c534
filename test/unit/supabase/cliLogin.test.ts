// Whether the Supabase CLI has a login of its own, as CLI 3 looks for one: SUPABASE_ACCESS_TOKEN, the system keyring,
// then ~/.supabase/access-token. The lookup is checked against the real CLI's own answer (`--debug` says where it
// took its token from) in the same three situations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findCliLogin } from '../../../src/node/supabase/cliLogin';

const TOKEN = `sbp_${'0123456789abcdef'.repeat(2)}01234567`;
let root = '';
let withFile = '';
let empty = '';
const noKeyring = async () => undefined;

before(() => {
  root = mkdtempSync(join(tmpdir(), 'runbook-cli-login-'));
  withFile = join(root, 'with-file');
  mkdirSync(join(withFile, '.supabase'), { recursive: true });
  writeFileSync(join(withFile, '.supabase', 'access-token'), TOKEN);
  empty = join(root, 'empty');
  mkdirSync(empty);
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the environment first, then the keyring, then the token file; nothing found says so', async () => {
  assert.deepEqual(await findCliLogin({ HOME: empty, SUPABASE_ACCESS_TOKEN: TOKEN }, { keyringHas: noKeyring }), {
    source: 'environment',
    keyringChecked: false,
  });
  assert.deepEqual(await findCliLogin({ HOME: withFile }, { keyringHas: noKeyring }), {
    source: 'token file',
    keyringChecked: false,
  });
  assert.deepEqual(await findCliLogin({ HOME: empty }, { keyringHas: noKeyring }), { keyringChecked: false });
  const asked: string[] = [];
  const keyring = async (service: string, account: string) => {
    asked.push(`${service}/${account}`);
    return account === 'access-token';
  };
  assert.deepEqual(await findCliLogin({ HOME: empty }, { keyringHas: keyring }), {
    source: 'keyring',
    keyringChecked: true,
  });
  // The profile's entry, then the legacy one, as CLI 3 reads them.
  assert.deepEqual(asked, ['Supabase CLI/supabase', 'Supabase CLI/access-token']);
  assert.deepEqual(await findCliLogin({ HOME: empty }, { keyringHas: async () => false }), { keyringChecked: true });
});

test('an empty token file is no login; on Linux without a keyring tool the keyring is not checked', async () => {
  const blank = join(root, 'blank');
  mkdirSync(join(blank, '.supabase'), { recursive: true });
  writeFileSync(join(blank, '.supabase', 'access-token'), '\n');
  assert.deepEqual(await findCliLogin({ HOME: blank }, { keyringHas: noKeyring }), { keyringChecked: false });
  assert.deepEqual(await findCliLogin({ HOME: empty, PATH: '' }, { platform: 'linux' }), { keyringChecked: false });
});

test('agrees with the real Supabase CLI on where its token comes from', async (t) => {
  const bin = process.env.RUNBOOK_SUPABASE_BIN;
  if (!bin) return t.skip('RUNBOOK_SUPABASE_BIN is not set (node scripts/test.mjs sets it)');
  // A profile whose API turns every token away at once: the CLI says where its token came from, then stops.
  const api = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"message":"Unauthorized"}');
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  t.after(() => api.close());
  const url = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  const profile = join(root, 'profile.yaml');
  writeFileSync(
    profile,
    `name: runbook-login\napi_url: ${url}\nproject_host: 127.0.0.1\npooler_host: 127.0.0.1\ndashboard_url: ${url}\n`,
  );
  const cliSays = (env: Record<string, string>) =>
    new Promise<string>((resolve) => {
      execFile(
        bin,
        ['projects', 'list', '--debug', '--profile', profile],
        { env: { PATH: process.env.PATH ?? '', SUPABASE_NO_KEYRING: '1', ...env }, timeout: 60_000, cwd: root },
        (_error, stdout, stderr) => {
          const text = `${stdout}\n${stderr}`;
          resolve(
            /Using access token from env var/.test(text)
              ? 'environment'
              : /Using access token from file/.test(text)
                ? 'token file'
                : /Access token not provided/.test(text)
                  ? 'none'
                  : `unexpected: ${text.slice(0, 300)}`,
          );
        },
      );
    });
  const situations: Record<string, string>[] = [
    { HOME: empty, SUPABASE_ACCESS_TOKEN: TOKEN },
    { HOME: withFile },
    { HOME: empty },
  ];
  for (const env of situations) {
    const ours = (await findCliLogin(env, { keyringHas: noKeyring })).source ?? 'none';
    assert.equal(ours, await cliSays(env), JSON.stringify(env));
  }
});
