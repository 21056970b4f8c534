// The undici prober against real HTTP and HTTPS servers on 127.0.0.1 (the gateway-shaped stand-in): what comes back
// for healthy, 503, a hung route, a reset connection, a 50 MB body, a self-signed certificate and a redirect to
// another origin, which must never receive the key.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  LOCAL_ANON_KEY,
  selfSignedCertificate,
  startProjectEndpoints,
  type ProjectEndpoints,
} from '../../../scripts/lib/projectEndpoints.mjs';
import { HttpProber } from '../../../src/node/http/httpProber';
import { explainProbeError } from '../../../src/core/health/probeErrors';

let api: ProjectEndpoints;
let other: ProjectEndpoints;
const prober = new HttpProber();
const headers = { apikey: LOCAL_ANON_KEY };

before(async () => {
  api = await startProjectEndpoints();
  other = await startProjectEndpoints();
});

after(async () => {
  await prober.close();
  await api.close();
  await other.close();
});

test('a healthy route answers with its status, body and latency', async () => {
  const attempt = await prober.probe({ url: `${api.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
  assert.equal(attempt.status, 200);
  assert.equal(attempt.statusText, 'OK');
  assert.match(attempt.body ?? '', /GoTrue/);
  assert.ok(attempt.latencyMs >= 0 && attempt.latencyMs < 2000);
  assert.equal(attempt.error, undefined);
});

test('the gateway wants the apikey header: without it 401', async () => {
  const attempt = await prober.probe({ url: `${api.origin}/auth/v1/health`, timeoutMs: 2000 });
  assert.equal(attempt.status, 401);
});

test('a 503 is reported as such', async () => {
  api.script('/functions/v1/health', { kind: 'status', status: 503, body: { message: 'down' } });
  const attempt = await prober.probe({ url: `${api.origin}/functions/v1/health`, headers, timeoutMs: 2000 });
  assert.equal(attempt.status, 503);
  assert.equal(attempt.statusText, 'Service Unavailable');
  api.reset();
});

test('a route slower than the timeout ends as TIMEOUT near the timeout, and other routes still answer meanwhile', async () => {
  api.script('/functions/v1/health', { kind: 'slow', ms: 10_000 });
  const started = Date.now();
  const [hung, ...others] = await Promise.all([
    prober.probe({ url: `${api.origin}/functions/v1/health`, headers, timeoutMs: 300 }),
    ...Array.from({ length: 12 }, () =>
      prober.probe({ url: `${api.origin}/auth/v1/health`, headers, timeoutMs: 2000 }),
    ),
  ]);
  const elapsed = Date.now() - started;
  assert.equal(hung.error?.code, 'TIMEOUT');
  assert.match(explainProbeError(hung.error!, 300), /no answer within 300 ms/);
  assert.ok(elapsed < 2000, `the hung route held the others back for ${elapsed} ms`);
  for (const attempt of others) assert.equal(attempt.status, 200);
  api.reset();
});

test('a reset connection is a transport error, explained', async () => {
  api.script('/auth/v1/health', { kind: 'reset' });
  const attempt = await prober.probe({ url: `${api.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
  assert.ok(attempt.error, 'an error');
  assert.match(explainProbeError(attempt.error), /reset/);
  api.reset();
});

test('a 50 MB body is cut at the cap, and the server stops sending long before 50 MB', async () => {
  let sentAtClose = -1;
  api.script('/functions/v1/health', {
    kind: 'huge',
    bytes: 50 * 1024 * 1024,
    onClose: (sent) => (sentAtClose = sent),
  });
  const attempt = await prober.probe({
    url: `${api.origin}/functions/v1/health`,
    headers,
    timeoutMs: 5000,
    bodyCapBytes: 256 * 1024,
  });
  assert.equal(attempt.truncated, true);
  assert.ok((attempt.body ?? '').length <= 256 * 1024);
  await new Promise<void>((resolve) => {
    const poll = () => (sentAtClose >= 0 ? resolve() : setTimeout(poll, 10));
    poll();
  });
  assert.ok(sentAtClose < 10 * 1024 * 1024, `the server sent ${sentAtClose} bytes before the client hung up`);
  api.reset();
});

test('a body that declares 50 MB is not read at all', async () => {
  api.script('/functions/v1/health', { kind: 'huge', bytes: 50 * 1024 * 1024, declareLength: true });
  const attempt = await prober.probe({ url: `${api.origin}/functions/v1/health`, headers, timeoutMs: 5000 });
  assert.equal(attempt.truncated, true);
  assert.equal(attempt.bodyBytes, 50 * 1024 * 1024);
  assert.equal(attempt.body, '');
  api.reset();
});

test('a redirect to another origin is not followed: the other origin never sees the key', async () => {
  api.script('/auth/v1/health', { kind: 'redirect', location: `${other.origin}/collect?token=abc` });
  const before = other.requests.length;
  const attempt = await prober.probe({ url: `${api.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
  assert.equal(attempt.status, 302);
  assert.deepEqual(attempt.redirect, { location: `${other.origin}/collect?token=abc`, crossOrigin: true });
  assert.equal(other.requests.length, before, 'nothing reached the other origin');
  api.reset();
});

test('a redirect within the origin is followed, with the key', async () => {
  api.script('/auth/v1/health', { kind: 'redirect', location: '/auth/v1/health-moved' });
  api.script('/auth/v1/health-moved', { kind: 'json', body: { ok: true } });
  const attempt = await prober.probe({ url: `${api.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
  assert.equal(attempt.status, 200);
  assert.equal(api.requests.at(-1)?.path, '/auth/v1/health-moved');
  assert.equal(api.requests.at(-1)?.apikey, LOCAL_ANON_KEY);
  api.reset();
});

test('a key echoed in a body is blanked out', async () => {
  api.script('/auth/v1/health', { kind: 'json', body: { echoed: LOCAL_ANON_KEY } });
  const attempt = await prober.probe({
    url: `${api.origin}/auth/v1/health`,
    headers,
    timeoutMs: 2000,
    secrets: [LOCAL_ANON_KEY],
  });
  assert.ok(!attempt.body?.includes(LOCAL_ANON_KEY));
  api.reset();
});

test('keep-alive: twenty probes in a row reuse the pooled connections instead of opening one each', async () => {
  const fresh = await startProjectEndpoints();
  const local = new HttpProber();
  try {
    for (let i = 0; i < 20; i++) await local.probe({ url: `${fresh.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
    // undici may open a second connection while the first is still finishing its answer; never one per probe.
    assert.ok(fresh.openConnections <= 2, `${fresh.openConnections} connections for 20 probes`);
  } finally {
    await local.close();
    await fresh.close();
  }
});

test('a self-signed certificate is refused, and the error says so', async (t) => {
  let tls: { key: string; cert: string };
  try {
    tls = selfSignedCertificate();
  } catch (error) {
    t.skip(`openssl is not available: ${(error as Error).message}`);
    return;
  }
  const secure = await startProjectEndpoints({ tls });
  try {
    const attempt = await prober.probe({ url: `${secure.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
    assert.equal(attempt.error?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
    assert.match(explainProbeError(attempt.error!), /self-signed TLS certificate/);
    assert.equal(secure.requests.length, 0, 'no request (and no key) went over the untrusted connection');
    const trusting = new HttpProber({ ca: tls.cert });
    try {
      const trusted = await trusting.probe({ url: `${secure.origin}/auth/v1/health`, headers, timeoutMs: 2000 });
      assert.equal(trusted.status, 200, 'with its certificate trusted as a CA it answers');
    } finally {
      await trusting.close();
    }
  } finally {
    await secure.close();
  }
});
