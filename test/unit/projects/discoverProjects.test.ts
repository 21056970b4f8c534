import { test } from 'node:test';
import assert from 'node:assert/strict';
import { discoverProjects, poolerDatabase } from '../../../src/core/projects/discoverProjects';
import { nameSaysProduction, projectLabel } from '../../../src/core/projects/linkedProject';
import { readSupabaseConfig } from '../../../src/core/projects/supabaseConfig';

test('the local stack of `supabase start` is the default when nothing else is configured', () => {
  const [local] = discoverProjects({}, []);
  assert.deepEqual(local, {
    name: 'local',
    apiUrl: 'http://127.0.0.1:54321',
    production: false,
    isLocal: true,
    source: 'local stack',
    db: { host: '127.0.0.1', port: 54322, database: 'postgres', user: 'postgres', sslmode: 'disable' },
  });
});

test('config.toml ports move the local stack', () => {
  const toml =
    'project_id = "shop"\n\n[api]\nenabled = true\nport = 64321 # api\n\n[db]\nport = 64322\nmajor_version = 15\n';
  const { config, problems } = readSupabaseConfig(toml);
  assert.deepEqual(problems, []);
  assert.deepEqual([config.projectId, config.api.port, config.db.port], ['shop', 64321, 64322]);
  const [local] = discoverProjects({ config }, []);
  assert.equal(local.apiUrl, 'http://127.0.0.1:64321');
  assert.equal(local.db?.port, 64322);
});

test('`supabase link` gives a linked project, treated as production, through the pooler when known', () => {
  const projects = discoverProjects(
    {
      projectRef: 'abcdefghijklmnopqrst\n',
      poolerUrl: 'postgresql://postgres.abcdefghijklmnopqrst@aws-0-eu-central-1.pooler.supabase.com:6543/postgres',
    },
    [],
  );
  const linked = projects.find((p) => p.source === 'supabase link')!;
  assert.equal(linked.ref, 'abcdefghijklmnopqrst');
  assert.equal(linked.apiUrl, 'https://abcdefghijklmnopqrst.supabase.co');
  assert.equal(linked.production, true);
  assert.deepEqual(linked.db, {
    host: 'aws-0-eu-central-1.pooler.supabase.com',
    port: 6543,
    database: 'postgres',
    user: 'postgres.abcdefghijklmnopqrst',
    sslmode: 'require',
  });
  assert.ok(
    projects.some((p) => p.isLocal),
    'the local stack stays available',
  );
});

test('without a pooler URL the direct database host is used with TLS', () => {
  const linked = discoverProjects({ projectRef: 'abcdefghijklmnopqrst' }, []).find((p) => p.ref)!;
  assert.deepEqual(linked.db, {
    host: 'db.abcdefghijklmnopqrst.supabase.co',
    port: 5432,
    database: 'postgres',
    user: 'postgres',
    sslmode: 'require',
  });
});

test('named environments in settings come first and keep their own flags', () => {
  const projects = discoverProjects({ projectRef: 'abcdefghijklmnopqrst' }, [
    { name: 'staging', ref: 'stagingstagingstagin' },
    { name: 'production', ref: 'abcdefghijklmnopqrst' },
    { name: 'dev-box', db: { host: '127.0.0.1', port: 6543 } },
  ]);
  assert.deepEqual(
    projects.map((p) => [p.name, p.production, p.isLocal, p.source]),
    [
      ['staging', false, false, 'settings'],
      ['production', true, false, 'settings'],
      ['dev-box', false, true, 'settings'],
    ],
  );
  assert.equal(projects[2].db?.sslmode, 'disable');
  assert.equal(projects[0].db?.sslmode, 'require');
});

test('a malformed ref or pooler URL is ignored, never half-used', () => {
  assert.equal(discoverProjects({ projectRef: 'not a ref' }, []).length, 1);
  assert.equal(poolerDatabase('mysql://x@y/z'), undefined);
  assert.equal(poolerDatabase('::::'), undefined);
  assert.deepEqual(poolerDatabase('postgresql://user:secret@host:5432/db')?.user, 'user');
});

test('a name with prod, production or live as a word makes a project production unless the setting says otherwise', () => {
  for (const name of ['prod', 'production', 'eu-production', 'acme-prod', 'live', 'Prod EU', 'payments_prod'])
    assert.equal(nameSaysProduction(name), true, name);
  for (const name of ['staging', 'product-demo', 'produce', 'deliver', 'local', 'preprod-ish'])
    assert.equal(nameSaysProduction(name), false, name);
  const discovered = discoverProjects({}, [
    { name: 'eu-production', ref: 'abcdefghijklmnopqrst' },
    { name: 'acme-prod', production: false },
  ]);
  assert.equal(discovered.find((p) => p.name === 'eu-production')?.production, true);
  assert.equal(discovered.find((p) => p.name === 'acme-prod')?.production, false, 'an explicit production: false wins');
});

test('a project is labelled once as production', () => {
  assert.equal(projectLabel({ name: 'production', production: true }), 'production');
  assert.equal(projectLabel({ name: 'eu', production: true }), 'eu (production)');
  assert.equal(projectLabel({ name: 'staging', production: false }), 'staging');
});
