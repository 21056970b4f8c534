// The Management API client against a local server held to the official OpenAPI document: parameters serialized as
// the document says, the bearer token sent and never shown, the rate-limit headers read, and a 429 holding back every
// caller until the window resets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ManagementApiClient, ManagementApiError } from '../../../src/node/supabase/managementApiClient';
import { ManagementApiServer } from '../../helpers/managementApiServer';

const TOKEN = 'sbp_0123456789abcdef0123456789abcdef01234567';
const REF = 'abcdefghijklmnopqrst';
let server: ManagementApiServer;
let client: ManagementApiClient;

before(async () => {
  server = new ManagementApiServer(TOKEN, {
    'v1-get-services-health': (request) =>
      request.query.getAll('services').map((name) => ({ name, healthy: true, status: 'ACTIVE_HEALTHY' })),
    'v1-get-project': () => ({
      id: REF,
      ref: REF,
      organization_id: 'org',
      organization_slug: 'org-slug',
      name: 'Staging',
      region: 'eu-west-1',
      created_at: '2026-01-01T00:00:00Z',
      status: 'UPGRADING',
      database: { host: `db.${REF}.supabase.co`, version: '17.4', postgres_engine: '17', release_channel: 'ga' },
    }),
    'v1-get-project-api-keys': () => [
      { name: 'anon', api_key: 'anon-key-value', type: 'legacy' },
      { name: 'service_role', api_key: 'service-role-value', type: 'legacy' },
    ],
    'v1-get-project-logs': () => ({ result: [{ id: '1', event_message: 'booted' }] }),
  });
  await server.start();
  client = new ManagementApiClient({ baseUrl: server.url, token: () => TOKEN });
});

after(async () => {
  await client.close();
  await server.close();
});

test('the operation ids the client relies on exist in the official document', () => {
  for (const id of ['v1-get-services-health', 'v1-get-project', 'v1-get-project-api-keys', 'v1-get-project-logs'])
    assert.ok(server.operationIds().includes(id), id);
});

test('health: every service in one call, as repeated query keys, with the bearer token', async () => {
  const services = await client.projectHealth(REF, ['auth', 'db', 'pooler', 'realtime', 'rest', 'storage'], 5000);
  assert.deepEqual(
    services.map((s) => s.name),
    ['auth', 'db', 'pooler', 'realtime', 'rest', 'storage'],
  );
  const request = server.requests.at(-1)!;
  assert.equal(request.operationId, 'v1-get-services-health');
  assert.deepEqual(request.query.getAll('services'), ['auth', 'db', 'pooler', 'realtime', 'rest', 'storage']);
  assert.equal(request.query.get('timeout_ms'), '5000');
  assert.equal(request.token, TOKEN);
  assert.deepEqual(server.rejected, []);
});

test('a service the document does not know is refused by the server (the check is real)', async () => {
  await assert.rejects(client.projectHealth(REF, ['functions']), ManagementApiError);
  assert.match(server.rejected.at(-1) ?? '', /services=functions is not one of/);
  server.rejected.length = 0;
});

test('project status and api keys, validated against the document both ways', async () => {
  const project = await client.project(REF);
  assert.equal(project.status, 'UPGRADING');
  const keys = await client.apiKeys(REF);
  assert.deepEqual(
    keys.map((k) => k.name),
    ['anon', 'service_role'],
  );
  assert.deepEqual(server.rejected, []);
});

test('logs.all gets its sql and an ISO time range', async () => {
  const end = new Date('2026-02-01T10:05:00Z');
  const answer = await client.logs(REF, { sql: 'select 1', start: new Date(end.getTime() - 300_000), end });
  assert.equal(answer.result?.length, 1);
  const request = server.requests.at(-1)!;
  assert.equal(request.query.get('sql'), 'select 1');
  assert.equal(request.query.get('iso_timestamp_start'), '2026-02-01T10:00:00.000Z');
  assert.equal(request.query.get('iso_timestamp_end'), '2026-02-01T10:05:00.000Z');
  assert.deepEqual(server.rejected, []);
});

test('the rate-limit headers are read', async () => {
  await client.project(REF);
  const state = client.rateLimitState;
  assert.equal(state.limit, 60);
  assert.ok(state.remaining !== undefined && state.remaining < 60);
  assert.ok(state.resetAt !== undefined && state.resetAt > Date.now());
});

test('after a 429 no caller sends anything until the window resets', async () => {
  server.spend();
  const error = await client.project(REF).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ManagementApiError && error.kind === 'rateLimited', String(error));
  const sent = server.requests.length;
  // Another caller (the function logs, say) is held back without a request.
  const second = await client.apiKeys(REF).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(second instanceof ManagementApiError && second.kind === 'rateLimited');
  assert.ok(second.retryAt && second.retryAt > Date.now());
  assert.equal(server.requests.length, sent, 'nothing was sent while the limit is spent');
  server.refill();
});

test('a refused token is a clear error that never shows the token', async () => {
  const wrong = new ManagementApiClient({
    baseUrl: server.url,
    token: () => 'sbp_ffffffffffffffffffffffffffffffffffffffff',
  });
  try {
    const error = await wrong.project(REF).then(
      () => undefined,
      (e: unknown) => e as ManagementApiError,
    );
    assert.equal(error?.kind, 'unauthorized');
    assert.match(error!.message, /refused the personal access token/);
    assert.ok(!error!.message.includes('sbp_'), error!.message);
  } finally {
    await wrong.close();
  }
});

test('without a token nothing is sent and the error says how to set one', async () => {
  const none = new ManagementApiClient({ baseUrl: server.url, token: () => undefined });
  const sent = server.requests.length;
  await assert.rejects(none.project(REF), /No personal access token/);
  assert.equal(server.requests.length, sent);
  await none.close();
});
