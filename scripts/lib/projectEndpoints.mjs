// A local stand-in for a Supabase project's endpoints, shaped like the gateway of the local stack (`supabase start`,
// port 54321) and of a hosted project: every route wants the `apikey` header; `/rest/v1/` (the API description)
// answers only a privileged key; Storage has no root route but answers `/storage/v1/version` and `/storage/v1/status`;
// `/auth/v1/health` is GoTrue's; `/functions/v1/health` is the team's own health function answering the runbook's
// health JSON. Tests script any route's behaviour (503, slow, invalid JSON, a body failing the schema, 50 MB, a reset
// connection, a redirect to another origin), over HTTP or HTTPS with a self-signed certificate. `npm start` runs it
// live: the health function's answer, latency and breakers vary over time so the panel has something to show.
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The local stack's default anon key (`supabase status` prints it): public, the same on every machine, and what the
 * extension uses for the local project when no key is stored (LOCAL_STACK_ANON_KEY in src/core/health/projectKey.ts,
 * which this script cannot import; test/unit/cli/healthCli.test.ts holds the two equal).
 */
export const LOCAL_ANON_KEY =
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJzdXBhYmFzZS1kZW1vIiwicm9sZSI6ImFub24iLCJleHAiOjE5ODM4MTI5OTZ9.CRXP1A7WOeoJeXxjNni43kdQwgnWNReilDMblYTn_I0';
/** The stand-in's own privileged key, for tests of the routes that answer only such a key. */
export const STAND_IN_PRIVILEGED_KEY = 'stand-in-privileged-key-never-used-by-the-extension';

/** The runbook's health JSON, all well. */
export function healthyBody(now = new Date()) {
  return {
    status: 'healthy',
    version: '1.4.2',
    timestamp: now.toISOString(),
    checks: { database: 'ok', storage: 'ok', external_apis: 'ok' },
    circuit_breakers: { openai: 'closed', google_ai: 'closed' },
  };
}

/**
 * @param {import('./projectEndpoints.d.mts').StartEndpointsOptions} [options]
 * @returns {Promise<import('./projectEndpoints.d.mts').ProjectEndpoints>}
 */
export async function startProjectEndpoints(options = {}) {
  const keys = new Set(options.keys ?? [LOCAL_ANON_KEY]);
  const privileged = new Set(options.privilegedKeys ?? [STAND_IN_PRIVILEGED_KEY]);
  /** @type {Map<string, import('./projectEndpoints.d.mts').Behaviour>} */
  const scripted = new Map();
  /** @type {import('./projectEndpoints.d.mts').RecordedRequest[]} */
  const requests = [];
  const sockets = new Set();
  const timers = new Set();
  const started = Date.now();
  // Answers held back (slow routes, live latency) never keep the process alive, and end with the server.
  const later = (callback, ms) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      callback();
    }, ms);
    timer.unref();
    timers.add(timer);
  };

  const handler = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const path = url.pathname;
    const apikey = header(req, 'apikey');
    requests.push({
      path: `${path}${url.search}`,
      method: req.method ?? 'GET',
      apikey: apikey ?? null,
      at: Date.now(),
    });
    if (options.maxRequests && requests.length > options.maxRequests)
      requests.splice(0, requests.length - options.maxRequests);

    const behaviour = scripted.get(path) ?? scripted.get('*');
    if (behaviour?.kind === 'reset') return void req.socket.destroy();
    // The gateway checks the key before anything else, as Kong's key-auth does.
    if (!apikey)
      return json(res, 401, {
        message: 'No API key found in request',
        hint: 'No `apikey` request header or url param was found.',
      });
    if (!keys.has(apikey) && !privileged.has(apikey)) return json(res, 401, { message: 'Invalid API key' });
    if (behaviour) return perform(behaviour, req, res);
    return serveDefault(path, apikey, res);
  };

  const serveDefault = (path, apikey, res) => {
    if (path === '/functions/v1/health') {
      if (options.live) return live(res);
      return json(res, 200, healthyBody());
    }
    if (path === '/auth/v1/health')
      return json(res, 200, {
        version: 'v2.170.0',
        name: 'GoTrue',
        description: 'GoTrue is a user registration and authentication API',
      });
    if (path === '/rest/v1/' || path === '/rest/v1') {
      if (privileged.has(apikey)) return json(res, 200, { swagger: '2.0', info: { title: 'standard public schema' } });
      return json(res, 403, { message: 'Access to the API description requires a secret or service_role key' });
    }
    if (path.startsWith('/rest/v1/')) return json(res, 200, []);
    if (path === '/storage/v1/version') return text(res, 200, 'v1.19.3');
    if (path === '/storage/v1/status') return text(res, 200, '');
    if (path === '/storage/v1/' || path === '/storage/v1')
      return json(res, 404, { statusCode: '404', error: 'Not Found', message: 'Route GET:/ not found' });
    return json(res, 404, { message: 'no Route matched with those values' });
  };

  // npm start: a health function whose latency wanders, that is sometimes degraded and whose breakers open now and
  // then, in a cycle of a few minutes, so the panel shows live, changing checks.
  const live = (res) => {
    const elapsed = (Date.now() - started) / 1000;
    const phase = Math.floor(elapsed / 40) % 6;
    const body = healthyBody();
    if (phase === 3) {
      body.status = 'degraded';
      body.checks.external_apis = 'degraded';
      body.circuit_breakers.openai = 'half-open';
    } else if (phase === 4) {
      body.circuit_breakers.openai = 'open';
      body.checks.external_apis = 'degraded';
      body.status = 'degraded';
    }
    const delay = 40 + Math.round(60 * (1 + Math.sin(elapsed / 17))) + (phase === 4 ? 700 : 0);
    later(() => json(res, 200, body), delay);
  };

  const perform = (behaviour, req, res) => {
    switch (behaviour.kind) {
      case 'healthy':
        return serveDefault(new URL(req.url ?? '/', 'http://x').pathname, header(req, 'apikey'), res);
      case 'json':
        return later(() => json(res, behaviour.status ?? 200, behaviour.body), behaviour.delayMs ?? 0);
      case 'status':
        return later(
          () => json(res, behaviour.status, behaviour.body ?? { message: `status ${behaviour.status}` }),
          behaviour.delayMs ?? 0,
        );
      case 'text':
        return text(res, behaviour.status ?? 200, behaviour.body, behaviour.contentType);
      case 'slow':
        // Never answers within the probe's timeout; the socket stays open until the client gives up or the delay ends.
        return void later(() => {
          if (!res.writableEnded && !res.destroyed) json(res, 200, healthyBody());
        }, behaviour.ms);
      case 'huge': {
        const total = behaviour.bytes;
        const headers = { 'content-type': 'application/json' };
        if (behaviour.declareLength) headers['content-length'] = String(total);
        res.writeHead(200, headers);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < total) {
            const part = sent + chunk.length > total ? chunk.subarray(0, total - sent) : chunk;
            sent += part.length;
            behaviour.onProgress?.(sent);
            if (!res.write(part)) return void res.once('drain', pump);
          }
          res.end();
        };
        res.on('close', () => behaviour.onClose?.(sent));
        return pump();
      }
      case 'redirect':
        res.writeHead(behaviour.status ?? 302, { location: behaviour.location });
        return void res.end();
      default:
        return json(res, 500, { message: `unknown behaviour ${behaviour.kind}` });
    }
  };

  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createHttpServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up (a probe's timeout) must not surface as an error here.
  server.on('clientError', (_error, socket) => socket.destroy());
  const host = options.host ?? '127.0.0.1';
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address();
  const origin = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return {
    origin,
    port,
    requests,
    script(path, behaviour) {
      scripted.set(path, behaviour);
    },
    reset() {
      scripted.clear();
    },
    get openConnections() {
      return sockets.size;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl. */
export function selfSignedCertificate() {
  const dir = mkdtempSync(join(tmpdir(), 'runbook-tls-'));
  try {
    const result = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { encoding: 'utf8' },
    );
    if (result.status !== 0) throw new Error(`openssl failed: ${result.error?.message ?? result.stderr}`);
    return { key: readFileSync(join(dir, 'key.pem'), 'utf8'), cert: readFileSync(join(dir, 'cert.pem'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function header(req, name) {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function json(res, status, body) {
  if (res.destroyed) return;
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function text(res, status, body, contentType = 'text/plain') {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
