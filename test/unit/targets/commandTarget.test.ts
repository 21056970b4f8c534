// Where a command really goes, whatever project is active: the confirmation, the lens and the journal rely on it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  describeTarget,
  resolveCommandTargets,
  shortRef,
  targetName,
  type KnownProject,
  type TargetContext,
} from '../../../src/core/targets/commandTarget';

const LOCAL: KnownProject = {
  name: 'local',
  isLocal: true,
  isLocalStack: true,
  production: false,
  db: { host: '127.0.0.1', port: 54322 },
};
const STAGING: KnownProject = {
  name: 'staging',
  ref: 'stagingstagingstagin',
  isLocal: false,
  production: false,
  db: { host: 'db.stagingstagingstagin.supabase.co', port: 5432 },
};
const PROD: KnownProject = {
  name: 'production',
  ref: 'trxmsoyjjoopnvzohmvi',
  isLocal: false,
  production: true,
  db: { host: 'db.trxmsoyjjoopnvzohmvi.supabase.co', port: 5432 },
};
const LINKED: KnownProject = { name: 'linked', ref: 'linkedlinkedlinkedli', isLocal: false, production: true };

const context = (active: KnownProject, extra: Partial<TargetContext> = {}): TargetContext => ({
  active,
  projects: [LOCAL, STAGING, PROD, LINKED],
  linkedRef: LINKED.ref,
  cliMajorVersion: 3,
  ...extra,
});
const only = (command: string, ctx: TargetContext) => {
  const targets = resolveCommandTargets(command, ctx);
  assert.equal(targets.length, 1, `${command}: ${JSON.stringify(targets)}`);
  return targets[0];
};

test('a hosted-only command left alone while local is active reaches the linked project, which needs its ref typed', () => {
  for (const command of [
    'supabase functions deploy generate-content',
    'supabase secrets set A=b',
    'supabase functions list',
    'npx supabase functions delete x',
  ]) {
    const target = only(command, context(LOCAL));
    assert.deepEqual(
      [target.kind, target.name, target.ref, target.production, target.confirmText],
      ['linked', 'linked', LINKED.ref, true, LINKED.ref],
      command,
    );
    assert.match(target.via, /uses the linked project/);
  }
  // The link points at a configured project: that project, with its own production flag.
  const toStaging = only('supabase functions deploy x', context(LOCAL, { linkedRef: STAGING.ref }));
  assert.deepEqual(
    [toStaging.kind, toStaging.name, toStaging.production, toStaging.confirmText],
    ['linked', 'staging', false, undefined],
  );
});

test('no link in the workspace: "whichever project is linked", treated as production with a word to type', () => {
  const target = only('supabase functions deploy x', context(LOCAL, { linkedRef: undefined }));
  assert.deepEqual([target.kind, target.production, target.confirmText], ['linked', true, 'linked']);
  assert.match(target.via, /none is linked in this workspace/);
});

test('a snippet that names its own target: --linked, --remote, --project-ref, --project-id', () => {
  assert.equal(only('supabase db push --linked', context(LOCAL)).name, 'linked');
  assert.equal(only('supabase db push --remote', context(LOCAL)).kind, 'linked');
  const named = only(`supabase db push --remote=${PROD.ref}`, context(STAGING));
  assert.deepEqual(
    [named.kind, named.name, named.production, named.confirmText],
    ['configured', 'production', true, PROD.ref],
  );
  assert.equal(only(`supabase functions deploy x --project-ref ${STAGING.ref}`, context(PROD)).name, 'staging');
  assert.equal(only(`supabase gen types typescript --project-id ${PROD.ref}`, context(LOCAL)).name, 'production');
  assert.equal(only(`supabase db push --remote=${STAGING.ref}`, context(STAGING)).kind, 'active');
  // CLI 3 rejects --linked on a Management API command: it goes nowhere, so it is the active project's terminal only.
  assert.equal(only('supabase functions deploy x --linked', context(LOCAL)).kind, 'active');
});

test('an unknown ref, a branch or a placeholder counts as production and must be typed', () => {
  const unknown = only('supabase functions deploy x --remote=zzzzzzzzzzzzzzzzzzzz', context(LOCAL));
  assert.deepEqual(
    [unknown.kind, unknown.name, unknown.ref, unknown.production, unknown.confirmText],
    ['unknown-remote', 'zzzzzzzzzzzzzzzzzzzz', 'zzzzzzzzzzzzzzzzzzzz', true, 'zzzzzzzzzzzzzzzzzzzz'],
  );
  assert.match(unknown.via, /no configured project has/);
  const branch = only('supabase db push --remote=feature-x', context(LOCAL));
  assert.deepEqual(
    [branch.kind, branch.name, branch.production, branch.confirmText],
    ['unknown-remote', '"feature-x"', true, 'feature-x'],
  );
  assert.equal(only('supabase db push --remote=<project_ref>', context(LOCAL)).kind, 'unknown-remote');
});

test('database URLs: a configured project by host and port, a ref from the host or pooler user, loopback is local', () => {
  assert.equal(
    only(
      'supabase db push --db-url postgresql://postgres@db.trxmsoyjjoopnvzohmvi.supabase.co:5432/postgres',
      context(LOCAL),
    ).name,
    'production',
  );
  assert.equal(
    only(
      'supabase db push --remote=postgresql://postgres.stagingstagingstagin@aws-0-eu.pooler.supabase.com:6543/postgres',
      context(LOCAL),
    ).name,
    'staging',
  );
  const loopback = only(
    'supabase migration list --remote=postgresql://postgres@127.0.0.1:6000/postgres',
    context(PROD),
  );
  assert.deepEqual([loopback.kind, loopback.production], ['local', false]);
  assert.equal(
    only('supabase db push --remote=postgresql://postgres@127.0.0.1:54322/postgres', context(LOCAL)).kind,
    'active',
  );
  const elsewhere = only('supabase db push --db-url postgresql://admin@db.example.com:5432/app', context(LOCAL));
  assert.deepEqual(
    [elsewhere.kind, elsewhere.name, elsewhere.production, elsewhere.confirmText],
    ['unknown-remote', 'db.example.com', true, 'db.example.com'],
  );
});

test('database commands without a flag: the local stack in CLI 3, the linked project in CLI 2', () => {
  assert.equal(only('supabase db push', context(LOCAL)).kind, 'active');
  const fromHosted = only('supabase db push', context(STAGING));
  assert.deepEqual([fromHosted.kind, fromHosted.name], ['configured', 'local']);
  assert.equal(only('supabase db push', context(LOCAL, { cliMajorVersion: 2 })).kind, 'linked');
  assert.equal(only('supabase db push --local', context(PROD)).name, 'local');
});

test('commands without supabase reach the active project; local-only and account commands too', () => {
  for (const command of [
    'git push origin main',
    'curl -s http://127.0.0.1:54321/functions/v1/health',
    'supabase login',
    'supabase projects list',
    'supabase functions logs x --tail',
  ]) {
    const target = only(command, context(PROD));
    assert.deepEqual([target.kind, target.name, target.confirmText], ['active', 'production', PROD.ref], command);
  }
  assert.equal(only('supabase migration new add_x', context(LOCAL)).kind, 'active');
  assert.deepEqual(only('supabase functions serve', context(PROD)).name, 'this machine');
});

test('a chain reaching two projects lists both, once each', () => {
  const targets = resolveCommandTargets(
    `supabase db push --remote=${STAGING.ref} && supabase functions deploy x && supabase functions deploy y`,
    context(LOCAL),
  );
  assert.deepEqual(
    targets.map((t) => t.name),
    ['staging', 'linked'],
  );
  // The project `supabase link` recorded is called "linked", which says nothing: its short ref says which.
  assert.equal(describeTarget(targets[1]), 'linked project link…edli (production)');
  assert.equal(describeTarget(targets[0]), 'staging');
});

test('one readable label for every target: production said once, refs shortened when the name says nothing', () => {
  const unconfiguredLink = only(
    'supabase functions deploy x',
    context(LOCAL, { projects: [LOCAL], linkedRef: 'linkedprojectrefabcd' }),
  );
  assert.equal(describeTarget(unconfiguredLink), 'linked project link…abcd (production)');
  assert.equal(targetName(unconfiguredLink), 'linked project link…abcd');
  assert.equal(shortRef('linkedprojectrefabcd'), 'link…abcd');
  assert.equal(
    describeTarget(only('supabase db push --remote=zzzzzzzzzzzzzzzzzzzz', context(LOCAL))),
    'project zzzz…zzzz (production)',
  );
  assert.equal(
    describeTarget(only('supabase db push --remote=feature-x', context(LOCAL))),
    'project "feature-x" (production)',
  );
  assert.equal(
    describeTarget(only('supabase db push --db-url postgresql://admin@db.example.com:5432/app', context(LOCAL))),
    'database at db.example.com (production)',
  );
  assert.equal(
    describeTarget(only('supabase functions deploy x', context(LOCAL, { linkedRef: undefined }))),
    'whichever project is linked (production)',
  );
  // A name that says production is not told twice; one that does not is.
  assert.equal(describeTarget(only('git push', context(PROD))), 'production');
  const eu: KnownProject = { ...PROD, name: 'eu-main' };
  assert.equal(describeTarget(only('git push', context(eu))), 'eu-main (production)');
  assert.equal(describeTarget(only('git push', context(STAGING))), 'staging');
});

test('PostgreSQL clients reach the database their options, URL or connection string name; no host is the active project', () => {
  const cases: [string, KnownProject, [string, string]][] = [
    ['psql -c "select 1"', STAGING, ['active', 'staging']],
    ['psql', PROD, ['active', 'production']],
    ['psql -h db.trxmsoyjjoopnvzohmvi.supabase.co -U postgres', STAGING, ['configured', 'production']],
    ['psql --host=127.0.0.1 --port=54322 -c "select 1"', PROD, ['configured', 'local']],
    ['psql postgresql://postgres@db.stagingstagingstagin.supabase.co:5432/postgres', LOCAL, ['configured', 'staging']],
    ['psql "host=db.trxmsoyjjoopnvzohmvi.supabase.co port=5432 dbname=postgres"', LOCAL, ['configured', 'production']],
    ['pg_dump -h other.example.com app', LOCAL, ['unknown-remote', 'other.example.com']],
    ['PGHOST=other.example.com psql', LOCAL, ['unknown-remote', 'other.example.com']],
    ['dropdb -h db.zzzzzzzzzzzzzzzzzzzz.supabase.co app', LOCAL, ['unknown-remote', 'zzzzzzzzzzzzzzzzzzzz']],
    ['psql -h localhost -p 6000', PROD, ['local', 'the local database at localhost:6000']],
    ['psql "$DATABASE_URL" -c "select 1"', LOCAL, ['unknown-remote', 'the database in $DATABASE_URL']],
    ['psql <db_url>', LOCAL, ['unknown-remote', 'the database in <db_url>']],
    ['pg_restore -l backup.dump', PROD, ['active', 'production']],
  ];
  for (const [command, active, [kind, name]] of cases) {
    const target = only(command, context(active));
    assert.deepEqual([target.kind, target.name], [kind, name], command);
  }
  // Unknown databases are treated as production: what is typed to confirm is the host or the variable.
  assert.equal(only('pg_dump -h other.example.com app', context(LOCAL)).confirmText, 'other.example.com');
  assert.equal(only('psql "$DATABASE_URL"', context(LOCAL)).production, true);
});
