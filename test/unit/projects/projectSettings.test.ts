// runbook.projects as VS Code hands it over (plain JSON from settings.json), through the same
// schema readSettings uses and on to discoverProjects: what the user left out stays out, so the
// safe inferences (production from the name, TLS for remote hosts) still apply.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRunbookSettings } from '../../../src/core/settings/runbookSettings';
import { describeProjectProblem } from '../../../src/core/projects/projectSettings';
import { discoverProjects } from '../../../src/core/projects/discoverProjects';
import { resolveUserPath } from '../../../src/core/projects/resolveUserPath';

/** What readSettings passes on: each key as `config.get(key)` returns it. */
function settingsFrom(json: string): ReturnType<typeof parseRunbookSettings> {
  return parseRunbookSettings(JSON.parse(json) as Record<string, unknown>);
}

test('a project named "production" without a production flag is production', () => {
  const settings = settingsFrom(
    '{"projects": [{"name": "production", "ref": "abcdefghijklmnopqrst"}, {"name": "prod-eu", "db": {"host": "db.example.com"}}]}',
  );
  assert.equal('production' in settings.projects[0], false, 'the schema adds no production: false');
  const [production, prodEu] = discoverProjects({}, settings.projects);
  assert.equal(production.production, true);
  assert.equal(prodEu.production, true);
});

test('an explicit production: false is kept', () => {
  const settings = settingsFrom(
    '{"projects": [{"name": "production-replica", "production": false, "db": {"host": "db.example.com"}}]}',
  );
  assert.equal(discoverProjects({}, settings.projects)[0].production, false);
});

test('a remote host without sslmode gets require; a loopback host gets disable', () => {
  const settings = settingsFrom(`{"projects": [
    {"name": "staging", "db": {"host": "db.stagingref.supabase.co"}},
    {"name": "dev", "db": {"host": "127.0.0.1", "port": 54322}},
    {"name": "tunnel", "db": {"host": "localhost", "sslmode": "require"}}
  ]}`);
  assert.deepEqual(
    settings.projects[0].db,
    { host: 'db.stagingref.supabase.co' },
    'no defaults filled in by the schema',
  );
  const [staging, dev, tunnel] = discoverProjects({}, settings.projects);
  assert.equal(staging.db?.sslmode, 'require');
  assert.equal(staging.db?.port, 5432);
  assert.equal(staging.db?.user, 'postgres');
  assert.equal(dev.db?.sslmode, 'disable');
  assert.equal(tunnel.db?.sslmode, 'require', 'an explicit sslmode wins');
});

test('one bad entry is reported with its position and reason; the valid entries stay', () => {
  const messages: string[] = [];
  const settings = parseRunbookSettings(
    {
      projects: [
        { name: 'staging', ref: 'stagingstagingstagin' },
        { name: 'broken', db: { host: 'db.example.com', port: 70000 } },
        { ref: 'nonameref' },
        { name: 'production', ref: 'abcdefghijklmnopqrst', sslMode: 'disable' },
        { name: 'staging', ref: 'otherotherotherother' },
      ],
    },
    (m) => messages.push(m),
  );
  assert.deepEqual(
    settings.projects.map((p) => p.name),
    ['staging', 'production'],
  );
  assert.deepEqual(
    settings.projectProblems.map((p) => [p.index, p.name, p.kept]),
    [
      [1, 'broken', false],
      [2, undefined, false],
      [3, 'production', true],
      [4, 'staging', false],
    ],
  );
  assert.match(
    describeProjectProblem(settings.projectProblems[0]),
    /^runbook\.projects\[1\] \("broken"\): db\.port: .*65535.*not available until it is fixed\.$/,
  );
  assert.match(describeProjectProblem(settings.projectProblems[1]), /^runbook\.projects\[2\]: name: /);
  assert.match(describeProjectProblem(settings.projectProblems[2]), /unknown key "sslMode" is ignored$/);
  assert.match(describeProjectProblem(settings.projectProblems[3]), /already named "staging"/);
  assert.equal(messages.length, 4, 'every problem is reported');
  const projects = discoverProjects({}, settings.projects);
  assert.deepEqual(
    projects.map((p) => p.name),
    ['staging', 'production', 'local'],
  );
});

test('a value that is not a list is reported, and the other settings keep their values', () => {
  const settings = parseRunbookSettings({
    projects: { name: 'x' },
    sql: { maxRows: 50, poolSize: 2 },
    refreshDelayMs: -5,
  });
  assert.deepEqual(settings.projects, []);
  assert.match(describeProjectProblem(settings.projectProblems[0]), /must be a list/);
  assert.equal(settings.sql.maxRows, 50);
  assert.equal(settings.sql.statementTimeoutSeconds, 30);
  assert.equal(settings.refreshDelayMs, 250, 'a bad value falls back to its default');
});

test('unset keys get their defaults', () => {
  const settings = parseRunbookSettings({});
  assert.deepEqual(settings.sql, { statementTimeoutSeconds: 30, maxRows: 1000, poolSize: 3 });
  assert.deepEqual(settings.projects, []);
  assert.deepEqual(settings.projectProblems, []);
});

test('a relative or ~ caFile is resolved against the workspace folder and the home directory', () => {
  const base = { workspaceFolder: '/work/shop', home: '/home/ana' };
  assert.equal(resolveUserPath('certs/prod-ca.crt', base), '/work/shop/certs/prod-ca.crt');
  assert.equal(resolveUserPath('./certs/prod-ca.crt', base), '/work/shop/certs/prod-ca.crt');
  assert.equal(resolveUserPath('~/certs/prod-ca.crt', base), '/home/ana/certs/prod-ca.crt');
  assert.equal(resolveUserPath('/etc/ssl/ca.crt', base), '/etc/ssl/ca.crt');
  assert.equal(
    resolveUserPath('certs\\ca.crt', { workspaceFolder: 'C:\\work\\shop' }),
    'C:\\work\\shop\\certs\\ca.crt',
  );
  assert.equal(resolveUserPath('D:\\ca.crt', { workspaceFolder: 'C:\\work\\shop' }), 'D:\\ca.crt');
  assert.equal(resolveUserPath('certs/ca.crt', {}), 'certs/ca.crt', 'without a folder the path is kept');

  const settings = settingsFrom(
    '{"projects": [{"name": "prod", "db": {"host": "db.x.supabase.co", "sslmode": "verify-full", "caFile": "certs/prod-ca.crt"}}]}',
  );
  const [prod] = discoverProjects({}, settings.projects, base);
  assert.equal(prod.db?.caFile, '/work/shop/certs/prod-ca.crt');
});
