// The Management API stand-in against the official OpenAPI document: it serves whatever operation a test answers,
// refuses requests and canned answers that do not fit the document (parameters, token, content type, JSON and
// multipart bodies, response schemas), and keeps the hosted API's rate-limit headers. Then the real Supabase CLI
// talks to it: `functions deploy --use-api` (a multipart upload) and `secrets list`.
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ManagementApiStandIn, reply } from '../../../scripts/lib/managementApiStandIn.mjs';

const REF = 'abcdefghijklmnopqrst';
const TOKEN = `sbp_${'0123456789abcdef'.repeat(2)}01234567`;
const AUTH = { authorization: `Bearer ${TOKEN}` };
const FUNCTION = {
  id: '6f0c8a52-0000-4000-8000-000000000001',
  slug: 'hello',
  name: 'hello',
  status: 'ACTIVE',
  version: 3,
  created_at: 1767225600000,
  updated_at: 1767225600000,
  verify_jwt: true,
  import_map: false,
  entrypoint_path: 'file:///src/index.ts',
  ezbr_sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
};

const api = new ManagementApiStandIn({
  'v1-get-project': (r) => ({
    id: r.pathParams.ref,
    ref: r.pathParams.ref,
    organization_id: 'org',
    organization_slug: 'org-slug',
    name: 'orders',
    region: 'eu-central-1',
    created_at: '2026-01-01T00:00:00Z',
    status: 'ACTIVE_HEALTHY',
    database: { host: 'db.example', version: '17', postgres_engine: '17', release_channel: 'ga' },
  }),
  'v1-list-all-functions': () => [FUNCTION],
  'v1-get-services-health': (r) =>
    (r.parameters.query.services as string[]).map((name) => ({ name, healthy: true, status: 'ACTIVE_HEALTHY' })),
  'v1-list-all-secrets': () => [{ name: 'STRIPE_KEY', value: 'a3f1c2', updated_at: '2026-01-01T00:00:00Z' }],
  'v1-bulk-create-secrets': () => undefined,
  'v1-deploy-a-function': (r) => reply(201, { ...FUNCTION, slug: r.query.get('slug') ?? '' }),
});
let base = '';

before(async () => {
  base = await api.start();
});
after(() => api.stop());

function clear(): void {
  api.requests.length = 0;
  api.rejected.length = 0;
}

async function call(
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(`${base}${path}`, { ...init, headers: { ...AUTH, ...(init.headers ?? {}) } });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
}

test('serves an answered operation with its parameters read as their types, and the rate-limit headers', async () => {
  clear();
  const health = await call(`/v1/projects/${REF}/health?services=auth&services=db&timeout_ms=2000`);
  assert.equal(health.status, 200, JSON.stringify(api.rejected));
  assert.deepEqual(
    (health.body as Array<{ name: string }>).map((s) => s.name),
    ['auth', 'db'],
  );
  assert.deepEqual(api.requests[0].parameters.query, { services: ['auth', 'db'], timeout_ms: 2000 });
  assert.equal(health.headers.get('x-ratelimit-limit'), '120');
  assert.equal(health.headers.get('x-ratelimit-remaining'), '119');
  assert.match(health.headers.get('x-ratelimit-reset') ?? '', /^\d+$/);
  assert.deepEqual(api.rejected, []);
});

test('refuses what the document does not allow, saying why', async () => {
  clear();
  const cases: Array<[string, RequestInit, RegExp]> = [
    [`/v1/projects/${REF}/health`, {}, /missing query parameter services/],
    [
      `/v1/projects/${REF}/health?services=functions`,
      {},
      /query services\/0 must be equal to one of the allowed values/,
    ],
    [`/v1/projects/${REF}/health?services=db&timeout_ms=20000`, {}, /timeout_ms must be <= 10000/],
    [`/v1/projects/${REF}/health?services=db&verbose=1`, {}, /query parameter verbose is not in the document/],
    ['/v1/projects/NOT-A-REF/functions', {}, /path ref must (match pattern|NOT have fewer)/],
    [`/v1/projects/${REF}/nothing-here`, {}, /is not an operation of the document/],
    [
      `/v1/projects/${REF}/secrets`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([{ name: 'X' }]) },
      /body\/0 must have required property 'value'/,
    ],
    [
      `/v1/projects/${REF}/secrets`,
      { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'X=1' },
      /content type text\/plain, expected application\/json/,
    ],
  ];
  for (const [path, init, why] of cases) {
    const before = api.rejected.length;
    const answer = await call(path, init);
    assert.ok(answer.status >= 400, `${path} was answered ${answer.status}`);
    assert.equal(api.rejected.length, before + 1, path);
    assert.match(api.rejected.at(-1)!, why);
  }
  const anonymous = await fetch(`${base}/v1/projects/${REF}/functions`);
  assert.equal(anonymous.status, 400);
  assert.match(api.rejected.at(-1)!, /no bearer token/);
  assert.equal(api.requests.length, 0, 'nothing refused reached an answer');
});

test('refuses a canned answer that does not fit the response schema, or a status the document lacks', async () => {
  clear();
  const problems = api.check('v1-list-all-functions', 200, [{ ...FUNCTION, version: 'three' }]);
  assert.deepEqual(problems, ['answer/0/version must be integer']);
  assert.deepEqual(api.check('v1-list-all-functions', 200, [FUNCTION]), []);
  assert.match(api.check('v1-list-all-functions', 418, [])[0], /declares no 418 answer/);
  assert.match(api.check('v1-deploy-a-function', 402, { message: 'limit' })[0], /402 answer has no body/);

  api.answer('v1-list-all-functions', () => [{ slug: 'hello' }]);
  try {
    const answer = await call(`/v1/projects/${REF}/functions`);
    assert.equal(answer.status, 500);
    assert.match(
      api.rejected[0],
      /canned 200 answer does not fit the document: answer\/0 must have required property 'id'/,
    );
  } finally {
    api.answer('v1-list-all-functions', () => [FUNCTION]);
  }
  // An operation nobody answered is refused, not faked.
  const unanswered = await call(`/v1/projects/${REF}/api-keys`);
  assert.equal(unanswered.status, 501);
  assert.match(api.rejected.at(-1)!, /v1-get-project-api-keys: the test gave no answer/);
});

test('checks a multipart body part by part, the metadata part as JSON', async () => {
  clear();
  const form = new FormData();
  form.append('metadata', JSON.stringify({ entrypoint_path: 'index.ts', name: 'hello', verify_jwt: false }));
  form.append('file', new Blob(['Deno.serve(() => new Response("ok"))']), 'index.ts');
  const deployed = await call(`/v1/projects/${REF}/functions/deploy?slug=hello`, { method: 'POST', body: form });
  assert.equal(deployed.status, 201, JSON.stringify(api.rejected));
  const request = api.requests[0];
  assert.deepEqual((request.body as { metadata: unknown }).metadata, {
    entrypoint_path: 'index.ts',
    name: 'hello',
    verify_jwt: false,
  });
  assert.deepEqual(
    request.files.map((f) => [f.field, f.filename, f.bytes.toString()]),
    [['file', 'index.ts', 'Deno.serve(() => new Response("ok"))']],
  );

  const withoutMetadata = new FormData();
  withoutMetadata.append('file', new Blob(['x']), 'index.ts');
  const refused = await call(`/v1/projects/${REF}/functions/deploy?slug=hello`, {
    method: 'POST',
    body: withoutMetadata,
  });
  assert.equal(refused.status, 400);
  assert.match(api.rejected[0], /body must have required property 'metadata'/);
});

test('keeps the x-ratelimit contract: a spent budget answers 429 with the headers until the reset', async () => {
  clear();
  const token = 'Bearer sbp_rate_limited_token';
  api.setRateLimit(token, { remaining: 1, resetSeconds: 42 });
  const last = await fetch(`${base}/v1/projects/${REF}/functions`, { headers: { authorization: token } });
  assert.equal(last.status, 200);
  assert.equal(last.headers.get('x-ratelimit-remaining'), '0');
  const limited = await fetch(`${base}/v1/projects/${REF}/functions`, { headers: { authorization: token } });
  assert.equal(limited.status, 429);
  assert.equal(limited.headers.get('x-ratelimit-limit'), '120');
  assert.equal(limited.headers.get('x-ratelimit-remaining'), '0');
  assert.ok(
    Number(limited.headers.get('x-ratelimit-reset')) > 0 && Number(limited.headers.get('x-ratelimit-reset')) <= 42,
  );
  // Other tokens keep their own budget.
  assert.equal((await call(`/v1/projects/${REF}/functions`)).status, 200);
  // A test can also script a 429 for one operation.
  api.answer('v1-list-all-secrets', () => reply(429));
  try {
    const scripted = await call(`/v1/projects/${REF}/secrets`);
    assert.equal(scripted.status, 429);
    assert.equal(scripted.headers.get('x-ratelimit-remaining'), '0');
  } finally {
    api.answer('v1-list-all-secrets', () => [
      { name: 'STRIPE_KEY', value: 'a3f1c2', updated_at: '2026-01-01T00:00:00Z' },
    ]);
  }
  assert.deepEqual(api.rejected, []);
});

const cli = process.env.RUNBOOK_SUPABASE_BIN;
const run = promisify(execFile);

test(
  'the real Supabase CLI deploys a function with --use-api and lists secrets through the stand-in',
  { skip: cli && existsSync(cli) ? false : 'the Supabase CLI is not installed (RUNBOOK_SUPABASE_BIN)' },
  async () => {
    clear();
    const workdir = mkdtempSync(join(tmpdir(), 'runbook-standin-'));
    try {
      mkdirSync(join(workdir, 'supabase', 'functions', 'hello'), { recursive: true });
      writeFileSync(
        join(workdir, 'supabase', 'config.toml'),
        'project_id = "standin"\n\n[functions.hello]\nverify_jwt = false\n',
      );
      writeFileSync(
        join(workdir, 'supabase', 'functions', 'hello', 'index.ts'),
        'Deno.serve(() => new Response("hi"));\n',
      );
      const profile = join(workdir, 'profile.yaml');
      api.writeProfile(profile);
      const env = { ...process.env, SUPABASE_ACCESS_TOKEN: TOKEN, SUPABASE_NO_KEYRING: '1', HOME: workdir };
      const options = { cwd: workdir, env, timeout: 60_000 };
      await run(
        cli!,
        ['functions', 'deploy', 'hello', '--use-api', `--remote=${REF}`, '--yes', '--profile', profile],
        options,
      );
      const { stdout } = await run(
        cli!,
        ['secrets', 'list', `--remote=${REF}`, '--profile', profile, '--output', 'json'],
        options,
      );
      assert.deepEqual(api.rejected, []);
      const deploy = api.requests.find((r) => r.operationId === 'v1-deploy-a-function');
      assert.ok(deploy, api.requests.map((r) => r.operationId).join(', '));
      assert.equal(deploy.query.get('slug'), 'hello');
      assert.equal(
        (deploy.body as { metadata: { verify_jwt?: boolean } }).metadata.verify_jwt,
        false,
        'config.toml says so',
      );
      assert.ok(
        deploy.files.some((f) => f.filename.endsWith('index.ts')),
        deploy.files.map((f) => f.filename).join(', '),
      );
      assert.match(stdout, /STRIPE_KEY/);
    } finally {
      rmSync(workdir, { recursive: true, force: true });
    }
  },
);
