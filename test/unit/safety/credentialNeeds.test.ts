// A terminal gets only the secrets its commands need, and never the active project's database password when a
// command logs in to another database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { credentialNeeds, runCredentialNeeds } from '../../../src/core/safety/credentialNeeds';
import type { KnownProject, TargetContext } from '../../../src/core/targets/commandTarget';

const LOCAL: KnownProject = {
  name: 'local',
  isLocal: true,
  isLocalStack: true,
  production: false,
  db: { host: '127.0.0.1', port: 54322 },
};
const FIXTURE: KnownProject = {
  name: 'fixture',
  isLocal: true,
  production: false,
  db: { host: '127.0.0.1', port: 6543 },
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

const context = (active: KnownProject): TargetContext => ({
  active,
  projects: [LOCAL, FIXTURE, STAGING, PROD],
  linkedRef: PROD.ref,
  cliMajorVersion: 3,
});
const needs = (command: string, active: KnownProject) => {
  const n = credentialNeeds(command, context(active));
  return [n.database, n.managementApi, n.otherDatabases.length > 0];
};

test('commands that need nothing get nothing', () => {
  for (const command of [
    'echo hello',
    'curl -s https://x/health',
    'git push',
    'supabase start',
    'supabase status',
    'supabase migration new add_x',
    'supabase functions serve',
    'supabase login',
    'ls | wc -l',
    'pg_restore -f out.sql backup.dump',
  ]) {
    assert.deepEqual(needs(command, STAGING), [false, false, false], command);
  }
});

test('database commands of the Supabase CLI need the password; by ref also the token', () => {
  // As planned for the active project: the local stack by default, a URL for another local database, the ref for a hosted one.
  assert.deepEqual(needs('supabase migration list', LOCAL), [true, false, false]);
  assert.deepEqual(needs('supabase migration list --remote=postgresql://postgres@127.0.0.1:6543/postgres', FIXTURE), [
    true,
    false,
    false,
  ]);
  for (const command of [
    'db push',
    'db pull',
    'db diff',
    'db dump',
    'db lint',
    'migration list',
    'migration up',
    'migration down',
    'migration repair --status applied 1',
    'inspect db locks',
    'test db',
  ]) {
    assert.deepEqual(needs(`supabase ${command} --remote=${STAGING.ref}`, STAGING), [true, true, false], command);
  }
  // gen types reads the database when it is local or named by URL, and asks the Management API for a ref.
  assert.deepEqual(needs('supabase gen types typescript --local', LOCAL), [true, false, false]);
  assert.deepEqual(
    needs('supabase gen types typescript --db-url postgresql://postgres@127.0.0.1:6543/postgres', FIXTURE),
    [true, false, false],
  );
  assert.deepEqual(needs(`supabase gen types typescript --remote=${STAGING.ref}`, STAGING), [false, true, false]);
  // Storage and logs go through the APIs.
  assert.deepEqual(needs(`supabase storage ls --remote=${STAGING.ref}`, STAGING), [false, true, false]);
});

test('Management API and account commands need the token only', () => {
  for (const command of [
    'supabase functions deploy x',
    `supabase functions list --remote=${PROD.ref}`,
    'supabase secrets set A=b',
    'supabase projects list',
    'supabase link --project-ref x',
    'supabase backups list',
  ]) {
    assert.deepEqual(needs(command, STAGING), [false, true, false], command);
  }
});

test('PostgreSQL clients need the password of the active project only when they log in to it', () => {
  assert.deepEqual(needs('psql -c "select 1"', STAGING), [true, false, false]);
  assert.deepEqual(needs('pg_dump -Fc postgres > backup.dump', STAGING), [true, false, false]);
  assert.deepEqual(needs('psql -h db.stagingstagingstagin.supabase.co', STAGING), [true, false, false]);
  const elsewhere = credentialNeeds('psql -h other.example.com -c "select 1"', context(STAGING));
  assert.deepEqual(
    [elsewhere.database, elsewhere.otherDatabases],
    [false, ['psql logs in to database at other.example.com (production)']],
  );
  assert.deepEqual(needs('psql "$DATABASE_URL"', STAGING), [false, false, true]);
  assert.deepEqual(needs(`psql postgresql://postgres@${PROD.db!.host}:5432/postgres`, STAGING), [false, false, true]);
  assert.deepEqual(needs(`supabase db push --db-url postgresql://postgres@other.example.com:5432/postgres`, STAGING), [
    false,
    false,
    true,
  ]);
  assert.deepEqual(
    needs('supabase db push --local', STAGING),
    [false, false, true],
    'the local stack has its own password',
  );
  // Inside substitutions and nested shells too.
  assert.deepEqual(needs('echo "$(psql -Atc "select 1")"', STAGING), [true, false, false]);
  assert.deepEqual(needs("bash -c 'psql -h other.example.com'", STAGING), [false, false, true]);
});

test('a run: the union, but no password at all when one command logs in to another database', () => {
  const of = (commands: string[]) => runCredentialNeeds(commands.map((c) => credentialNeeds(c, context(STAGING))));
  assert.deepEqual(of(['echo a', 'echo b']), { database: false, managementApi: false, otherDatabases: [] });
  assert.deepEqual(of(['echo a', 'psql -c "select 1"', 'supabase functions deploy x']), {
    database: true,
    managementApi: true,
    otherDatabases: [],
  });
  const mixed = of(['psql -c "select 1"', 'psql -h other.example.com -c "select 1"']);
  assert.deepEqual([mixed.database, mixed.otherDatabases.length], [false, 1]);
});
