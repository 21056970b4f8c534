// Supabase CLI awareness: which binary runs the snippet, which project it reaches, what the CLI no longer has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveSupabaseInvocation } from '../../../src/core/supabase/supabaseInvocation';
import { targetProject, type ActiveProject } from '../../../src/core/supabase/targetProject';
import { parseSupabaseCommand } from '../../../src/core/supabase/supabaseCli';

const PROD: ActiveProject = { ref: 'trxmsoyjjoopnvzohmvi', name: 'production', isLocal: false };
const LOCAL: ActiveProject = { name: 'local', isLocal: true };

test('the workspace binary wins, then PATH, then npx', () => {
  const command = 'supabase functions deploy x && FOO=1 supabase db push | tee log';
  assert.deepEqual(resolveSupabaseInvocation(command, { workspaceBin: 'node_modules/.bin/supabase', onPath: true }), {
    text: 'node_modules/.bin/supabase functions deploy x && FOO=1 node_modules/.bin/supabase db push | tee log',
    chosen: 'workspace',
    rewritten: 2,
  });
  assert.deepEqual(resolveSupabaseInvocation(command, { onPath: true }), {
    text: command,
    chosen: 'path',
    rewritten: 0,
  });
  assert.deepEqual(resolveSupabaseInvocation('supabase db push', { onPath: false }), {
    text: 'npx supabase db push',
    chosen: 'npx',
    rewritten: 1,
  });
});

test('a workspace path with spaces is quoted; npx, paths and non-supabase commands are left alone', () => {
  assert.equal(
    resolveSupabaseInvocation('supabase start', {
      workspaceBin: '/home/me/my app/node_modules/.bin/supabase',
      onPath: false,
    }).text,
    "'/home/me/my app/node_modules/.bin/supabase' start",
  );
  assert.deepEqual(resolveSupabaseInvocation('npx supabase start', { onPath: false }), {
    text: 'npx supabase start',
    rewritten: 0,
  });
  assert.deepEqual(resolveSupabaseInvocation('./node_modules/.bin/supabase start', { onPath: false }), {
    text: './node_modules/.bin/supabase start',
    rewritten: 0,
  });
  assert.deepEqual(resolveSupabaseInvocation('echo supabase; git status', { onPath: false }), {
    text: 'echo supabase; git status',
    rewritten: 0,
  });
  assert.equal(resolveSupabaseInvocation('sudo supabase stop', { onPath: false }).text, 'sudo npx supabase stop');
});

test('management commands get --remote=<ref> for a hosted project (CLI 3)', () => {
  for (const command of [
    'supabase functions deploy',
    'supabase functions deploy generate-content',
    'supabase functions list',
    'supabase functions delete x',
    'supabase secrets list',
    'supabase secrets set A=b',
    'supabase secrets unset A',
  ]) {
    const r = targetProject(command, PROD);
    assert.equal(r.text, `${command} --remote=trxmsoyjjoopnvzohmvi`, command);
    assert.equal(r.changes.length, 1);
    assert.match(r.changes[0], /targets "production" \(trxmsoyjjoopnvzohmvi\)/);
  }
  // CLI 2 spelled it --project-ref.
  assert.equal(
    targetProject('supabase functions deploy x', PROD, { cliMajorVersion: 2 }).text,
    'supabase functions deploy x --project-ref trxmsoyjjoopnvzohmvi',
  );
});

test('database commands: --remote=<ref> for hosted (CLI 3 defaults to local), nothing for local', () => {
  const push = targetProject('supabase db push', PROD);
  assert.equal(push.text, 'supabase db push --remote=trxmsoyjjoopnvzohmvi');
  assert.match(push.changes[0], /without it Supabase CLI 3 uses the local database/);
  assert.equal(
    targetProject('supabase migration list', PROD).text,
    'supabase migration list --remote=trxmsoyjjoopnvzohmvi',
  );
  assert.equal(
    targetProject('supabase inspect db locks', PROD).text,
    'supabase inspect db locks --remote=trxmsoyjjoopnvzohmvi',
  );
  assert.equal(
    targetProject('supabase gen types typescript > types.ts', PROD).text,
    'supabase gen types typescript --remote=trxmsoyjjoopnvzohmvi > types.ts',
  );
  const local = targetProject('supabase db push', LOCAL);
  assert.equal(local.text, 'supabase db push');
  assert.deepEqual(local.changes, []);
  assert.match(local.notes[0], /local stack/);
  // A hosted project whose ref is unknown: the linked one.
  assert.equal(
    targetProject('supabase db push', { name: 'staging', isLocal: false }).text,
    'supabase db push --remote',
  );
});

test('CLI 2: --local for the local project, --linked (with a check) or --project-id for hosted', () => {
  assert.equal(targetProject('supabase db push', LOCAL, { cliMajorVersion: 2 }).text, 'supabase db push --local');
  const linked = targetProject('supabase migration list', PROD, { cliMajorVersion: 2 });
  assert.equal(linked.text, 'supabase migration list --linked');
  assert.match(linked.changes[0], /check that it is "production"/);
  assert.equal(
    targetProject('supabase gen types typescript', PROD, { cliMajorVersion: 2 }).text,
    'supabase gen types typescript --project-id trxmsoyjjoopnvzohmvi',
  );
});

test('a snippet that names its target keeps it, with notes about conflicts and deprecations', () => {
  const linked = targetProject('supabase db push --linked', PROD);
  assert.equal(linked.text, 'supabase db push --linked');
  assert.deepEqual(linked.changes, []);
  assert.ok(linked.notes.some((n) => /--linked is deprecated in Supabase CLI 3/.test(n)));
  assert.ok(linked.notes.some((n) => /check that it is "production"/.test(n)));
  const linkedLocal = targetProject('supabase db push --linked', LOCAL);
  assert.ok(
    linkedLocal.notes.some((n) =>
      /names the linked project \(--linked\), while the active project is the local project "local"/.test(n),
    ),
  );
  const other = targetProject('supabase functions list --project-ref abcdefghijklmnopqrst', PROD);
  assert.equal(other.text, 'supabase functions list --project-ref abcdefghijklmnopqrst');
  assert.ok(
    other.notes.some((n) => /names the project abcdefghijklmnopqrst, while the active project is "production"/.test(n)),
  );
  assert.deepEqual(targetProject('supabase functions list --remote=trxmsoyjjoopnvzohmvi', PROD), {
    text: 'supabase functions list --remote=trxmsoyjjoopnvzohmvi',
    changes: [],
    notes: [],
    warnings: [],
  });
  assert.ok(targetProject('supabase db push --db-url postgresql://u:p@h/db', PROD).notes.some((n) => /by URL/.test(n)));
  assert.ok(targetProject('supabase db push --local', PROD).notes.some((n) => /names the local database/.test(n)));
  assert.ok(
    targetProject('supabase functions list --local', LOCAL).notes.some((n) => /does not accept --local/.test(n)),
  );
  assert.deepEqual(targetProject('supabase db push --project-ref <project_ref>', PROD).changes, []);
});

test('remote-only commands cannot reach the local project: left alone, with a note', () => {
  const r = targetProject('supabase functions deploy <function_name>', LOCAL);
  assert.equal(r.text, 'supabase functions deploy <function_name>');
  assert.deepEqual(r.changes, []);
  assert.match(r.notes[0], /works on hosted projects only.*supabase functions serve/);
});

test('local-only and account commands need no target; chains are handled command by command', () => {
  for (const command of [
    'supabase start',
    'supabase stop',
    'supabase status',
    'supabase migration new x',
    'supabase functions serve',
    'supabase login',
    'supabase projects list',
    'supabase link --project-ref x',
  ]) {
    assert.deepEqual(targetProject(command, PROD), { text: command, changes: [], notes: [], warnings: [] }, command);
  }
  const chain = targetProject(
    'supabase migration new add_x && supabase db push && supabase functions deploy \\\n  health',
    PROD,
  );
  assert.equal(
    chain.text,
    'supabase migration new add_x && supabase db push --remote=trxmsoyjjoopnvzohmvi && supabase functions deploy \\\n  health --remote=trxmsoyjjoopnvzohmvi',
  );
  assert.equal(chain.changes.length, 2);
  assert.equal(
    targetProject('npx supabase functions list', PROD).text,
    'npx supabase functions list --remote=trxmsoyjjoopnvzohmvi',
  );
  assert.equal(targetProject('git push && npm run build', PROD).text, 'git push && npm run build');
});

test('subcommands the CLI no longer has are reported, not rewritten (seed: functions logs, db remote status)', () => {
  const logs = targetProject('supabase functions logs generate-content --tail', PROD);
  assert.equal(logs.text, 'supabase functions logs generate-content --tail');
  assert.match(logs.notes[0], /not a command of Supabase CLI 3\.1.*supabase logs --remote/);
  const remote = targetProject('supabase db remote status', PROD);
  assert.match(remote.notes[0], /db remote` is gone from Supabase CLI 3\.1.*migration list --remote/);
  assert.deepEqual(parseSupabaseCommand(['supabase', '--workdir', 'x', 'migrations', 'list'])?.path, [
    'migration',
    'list',
  ]);
  assert.equal(parseSupabaseCommand(['git', 'push']), undefined);
  assert.match(parseSupabaseCommand(['supabase', 'nonsense'])?.unknown ?? '', /not a command/);
});

test('an added target flag goes before "--", after which the CLI reads only arguments', () => {
  assert.equal(
    targetProject('supabase functions deploy x -- --not-a-flag', PROD).text,
    'supabase functions deploy x --remote=trxmsoyjjoopnvzohmvi -- --not-a-flag',
  );
  assert.equal(
    targetProject('supabase db query -- "select 1"', PROD).text,
    'supabase db query --remote=trxmsoyjjoopnvzohmvi -- "select 1"',
  );
});

test('supabase inside $(…) is not targeted and says so; --linked on a Management API command is noted as rejected', () => {
  const nested = targetProject('export $(supabase status -o env | xargs) && echo "`supabase projects list`"', PROD);
  assert.equal(nested.text, 'export $(supabase status -o env | xargs) && echo "`supabase projects list`"');
  assert.equal(nested.warnings.length, 2);
  assert.match(
    nested.warnings[0],
    /`supabase status` runs inside \$\(…\) or backticks, so it is neither pointed at the workspace's Supabase CLI nor targeted at "production"/,
  );
  assert.ok(
    targetProject('supabase functions deploy x --linked', LOCAL).notes.some((n) =>
      /does not accept --linked in Supabase CLI 3.*Unrecognized flag/.test(n),
    ),
  );
});
