// supabase/config.toml through a real TOML parser: the local ports, the remote environments and the functions' deploy
// settings, with the CLI's defaults; a malformed file or a bad value is a problem naming its line, and everything
// else the file says is still read. The fixtures (test/fixtures/supabase-config) are written for these tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../helpers/seed';
import {
  describeConfigProblem,
  emptySupabaseConfig,
  readSupabaseConfig,
} from '../../../src/core/projects/supabaseConfig';
import { discoverProjects } from '../../../src/core/projects/discoverProjects';

const fixture = (name: string) =>
  readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'supabase-config', `${name}.toml`), 'utf8');

test('reads the ports, the remotes and the functions, with the CLI defaults for what a function leaves out', () => {
  const { config, problems } = readSupabaseConfig(fixture('full'));
  assert.deepEqual(problems, []);
  assert.equal(config.projectId, 'orders-service');
  assert.deepEqual(config.api, { enabled: true, port: 64321, tls: false });
  assert.deepEqual(config.db, { port: 64322, majorVersion: 17 });
  assert.deepEqual(config.remotes, [
    { name: 'staging', projectId: 'stagingorderszzzzzzz' },
    { name: 'production', projectId: 'productionordersyyyy' },
  ]);
  assert.deepEqual(config.functions, [
    {
      slug: 'send-receipt',
      enabled: true,
      verifyJwt: false,
      importMap: './functions/send-receipt/deno.json',
      entrypoint: './functions/send-receipt/main.ts',
      staticFiles: ['./functions/send-receipt/templates/*.html'],
    },
    { slug: 'health', enabled: true, verifyJwt: true },
    { slug: 'legacy_export', enabled: false, verifyJwt: true },
  ]);
});

test('TOML the line scanner it replaces got wrong: quoted keys, inline tables, comments and # inside strings', () => {
  const toml = [
    'project_id = "shop # not a comment"',
    'api = { port = 64321 }',
    '"db" = { port = 0x_FB02 } # hexadecimal is TOML too',
    'functions.hello.verify_jwt = false',
  ].join('\n');
  // 0x_FB02 is not valid TOML (an underscore after the prefix): the parser says so, with the place.
  const bad = readSupabaseConfig(toml);
  assert.equal(bad.problems.length, 1);
  assert.equal(bad.problems[0].line, 3);
  const { config, problems } = readSupabaseConfig(toml.replace('0x_FB02', '0xFB02'));
  assert.deepEqual(problems, []);
  assert.equal(config.projectId, 'shop # not a comment');
  assert.equal(config.api.port, 64321);
  assert.equal(config.db.port, 0xfb02);
  assert.deepEqual(config.functions, [{ slug: 'hello', enabled: true, verifyJwt: false }]);
});

test('a malformed file is one problem with its line and column, and reads as an empty config', () => {
  const { config, problems } = readSupabaseConfig(fixture('malformed'));
  assert.deepEqual(config, emptySupabaseConfig());
  assert.equal(problems.length, 1);
  assert.equal(problems[0].line, 6);
  assert.equal(typeof problems[0].column, 'number');
  assert.match(describeConfigProblem(problems[0]), /^line 6, column \d+: not valid TOML: .+/);
  assert.doesNotMatch(problems[0].message, /\n/, 'one line, without the code frame');
});

test('each wrong value is a problem on its line; the values around it are still read', () => {
  const { config, problems } = readSupabaseConfig(fixture('wrong-values'));
  assert.deepEqual(
    problems.map((p) => `${p.line}: ${p.message}`),
    [
      '4: [api] port should be a port number from 1 to 65535, not "64321"',
      '7: [db] port should be a port number from 1 to 65535, not 70000',
      '20: [remotes.qa] has the project_id of [remotes.staging]; only [remotes.staging] is listed',
      '23: [remotes.preview] project_id "Preview-42" is not a project ref (20 lowercase letters, such as abcdefghijklmnopqrst); it is not listed',
      '25: [remotes.empty] has no project_id; it is not listed',
      '10: [functions.1st-try]: a function name starts with a letter and has only letters, digits, _ and -; it is skipped',
      '14: [functions.checkout] verify_jwt should be true or false, not "no"',
    ],
  );
  assert.equal(config.db.majorVersion, 17, 'the next key of [db] is read');
  assert.deepEqual(config.remotes, [{ name: 'staging', projectId: 'stagingorderszzzzzzz' }]);
  assert.deepEqual(config.functions, [{ slug: 'checkout', enabled: true, verifyJwt: true }]);
});

test('each remote is a project named by its remote; production unless its name says otherwise', () => {
  const { config } = readSupabaseConfig(fixture('full'));
  const projects = discoverProjects({ config }, []);
  assert.deepEqual(
    projects.map((p) => [p.name, p.ref, p.production, p.source, p.db?.host]),
    [
      ['staging', 'stagingorderszzzzzzz', false, 'config.toml', 'db.stagingorderszzzzzzz.supabase.co'],
      ['production', 'productionordersyyyy', true, 'config.toml', 'db.productionordersyyyy.supabase.co'],
      ['local', undefined, false, 'local stack', '127.0.0.1'],
    ],
  );
  assert.equal(projects[2].apiUrl, 'http://127.0.0.1:64321');
  assert.equal(projects[2].db?.port, 64322);
});

test('the linked project takes the name of its remote; settings with the same ref win over both', () => {
  const { config } = readSupabaseConfig(fixture('full'));
  const pooler = 'postgresql://postgres.stagingorderszzzzzzz@aws-0-eu-west-1.pooler.supabase.com:6543/postgres';
  const linked = discoverProjects({ config, projectRef: 'stagingorderszzzzzzz', poolerUrl: pooler }, []);
  assert.deepEqual(
    linked.map((p) => [p.name, p.source, p.production]),
    [
      ['staging', 'supabase link', false],
      ['production', 'config.toml', true],
      ['local', 'local stack', false],
    ],
  );
  assert.equal(linked[0].db?.host, 'aws-0-eu-west-1.pooler.supabase.com', 'the link knows the pooler');

  const configured = discoverProjects({ config }, [{ name: 'prod', ref: 'productionordersyyyy', production: true }]);
  assert.deepEqual(
    configured.map((p) => [p.name, p.source]),
    [
      ['prod', 'settings'],
      ['staging', 'config.toml'],
      ['local', 'local stack'],
    ],
  );
});

test('a malformed config.toml loses nothing else: settings, the link and the local stack stay', () => {
  const { config } = readSupabaseConfig(fixture('malformed'));
  const projects = discoverProjects({ config, projectRef: 'abcdefghijklmnopqrst' }, [{ name: 'staging' }]);
  assert.deepEqual(
    projects.map((p) => p.name),
    ['staging', 'linked', 'local'],
  );
  const local = projects.find((p) => p.isLocal)!;
  assert.equal(local.apiUrl, 'http://127.0.0.1:54321', 'the default ports');
  assert.equal(local.db?.port, 54322);
});
