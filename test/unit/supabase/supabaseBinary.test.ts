// Which Supabase CLI runs a snippet, and which version it is: the workspace's binary by absolute path, else the
// terminal's PATH, else npx; `--version` read from the real binary and from stand-ins for other versions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  composeTerminalPath,
  readCliVersion,
  resolveSupabaseBinary,
} from '../../../src/node/supabase/supabaseBinaryLookup';
import { parseCliVersion } from '../../../src/core/supabase/supabaseVersion';
import { resolveSupabaseInvocation } from '../../../src/core/supabase/supabaseInvocation';

let root = '';
before(() => {
  root = mkdtempSync(join(tmpdir(), 'runbook-binary-'));
});
after(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

function script(path: string, body: string, mode = 0o755): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, mode);
  return path;
}

test('the workspace binary wins, by absolute path; then the first executable supabase on PATH; then npx', () => {
  const workspace = join(root, 'app');
  const local = script(join(workspace, 'node_modules', '.bin', 'supabase'), 'echo 3.1.0');
  const onPath = script(join(root, 'bin', 'supabase'), 'echo 2.20.0');
  script(join(root, 'not-executable', 'supabase'), 'echo 9.9.9', 0o644);
  const path = ['relative/bin', join(root, 'not-executable'), join(root, 'bin')].join(delimiter);
  assert.deepEqual(resolveSupabaseBinary(workspace, path), {
    environment: { workspaceBin: local, onPath: true },
    path: local,
  });
  assert.deepEqual(resolveSupabaseBinary(join(root, 'elsewhere'), path), {
    environment: { onPath: true },
    path: onPath,
  });
  assert.deepEqual(resolveSupabaseBinary(undefined, join(root, 'not-executable')), { environment: { onPath: false } });
});

test('the absolute path survives a cd in the snippet; a path with spaces is quoted', () => {
  const bin = '/srv/my app/node_modules/.bin/supabase';
  assert.equal(
    resolveSupabaseInvocation('cd supabase && supabase db push', { workspaceBin: bin, onPath: false }).text,
    `cd supabase && '${bin}' db push`,
  );
});

test('PATH as the terminal sees it: terminal.integrated.env replaces or extends the inherited one', () => {
  assert.equal(composeTerminalPath(undefined, '/usr/bin'), '/usr/bin');
  assert.equal(composeTerminalPath(null, '/usr/bin'), '/usr/bin');
  assert.equal(composeTerminalPath('/opt/cli/bin:${env:PATH}', '/usr/bin'), '/opt/cli/bin:/usr/bin');
  assert.equal(composeTerminalPath('/only/this', '/usr/bin'), '/only/this');
});

test('versions: the real binary, an older CLI with an update notice, a broken one', async (t) => {
  assert.deepEqual(parseCliVersion('2.33.7\nA new version of Supabase CLI is available: v3.1.0\n'), {
    major: 2,
    minor: 33,
    patch: 7,
    text: '2.33.7',
  });
  assert.equal(parseCliVersion('v1.226.4')?.major, 1);
  assert.equal(parseCliVersion('command not found'), undefined);
  assert.equal(
    (await readCliVersion(script(join(root, 'old', 'supabase'), 'echo 2.33.7; echo "A new version is available"')))
      ?.major,
    2,
  );
  assert.equal(await readCliVersion(script(join(root, 'broken', 'supabase'), 'echo oops >&2; exit 1')), undefined);
  assert.equal(await readCliVersion(join(root, 'missing', 'supabase')), undefined);
  const real = process.env.RUNBOOK_SUPABASE_BIN;
  if (!real) return t.skip('RUNBOOK_SUPABASE_BIN is not set');
  const version = await readCliVersion(real);
  assert.deepEqual([version?.major, version?.text], [3, '3.1.0']);
});
