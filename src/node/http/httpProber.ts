// Probes a project's endpoints with undici: one keep-alive pool per origin, a timeout per request, a cap on the body
// (a 50 MB answer is cut, never read), TLS verified and its errors named, redirects followed only within the origin
// (the apikey is never sent to another), and known secrets blanked out of whatever body comes back.
import { STATUS_CODES } from 'node:http';
import { Agent } from 'undici';
import type { ProbeAttempt } from '../../core/health/probeOutcome';
import { DEFAULT_BODY_CAP_BYTES } from '../../core/health/probeOutcome';
import { maskSecrets } from '../../core/secrets/maskSecrets';

export interface ProbeRequest {
  /** Full URL: the project's API URL and the route. */
  url: string;
  headers?: Record<string, string>;
  timeoutMs: number;
  bodyCapBytes?: number;
  /** Values never to let through in a body (the key sent, echoed back by a misbehaving server). */
  secrets?: readonly string[];
}

export interface HttpProberOptions {
  /** Connections kept per origin; enough that one hung route leaves others free. */
  connectionsPerOrigin?: number;
  keepAliveTimeoutMs?: number;
  /** Extra CA certificates (PEM) to trust, for a gateway behind a private CA. */
  ca?: string | readonly string[];
  now?: () => number;
}

const MAX_SAME_ORIGIN_REDIRECTS = 3;

export class HttpProber {
  private readonly agent: Agent;
  private readonly now: () => number;

  constructor(options: HttpProberOptions = {}) {
    this.now = options.now ?? (() => performance.timeOrigin + performance.now());
    this.agent = new Agent({
      connections: options.connectionsPerOrigin ?? 8,
      keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
      pipelining: 1,
      connect: { rejectUnauthorized: true, ...(options.ca ? { ca: options.ca as string | string[] } : {}) },
    });
  }

  async probe(request: ProbeRequest): Promise<ProbeAttempt> {
    const startedAt = Date.now();
    const started = this.now();
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    const cap = request.bodyCapBytes ?? DEFAULT_BODY_CAP_BYTES;
    try {
      let url = new URL(request.url);
      for (let redirects = 0; ; redirects++) {
        const response = await this.agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: { accept: 'application/json, */*;q=0.5', ...(request.headers ?? {}) },
          signal: controller.signal,
          headersTimeout: request.timeoutMs,
          bodyTimeout: request.timeoutMs,
        });
        const status = response.statusCode;
        const location = header(response.headers, 'location');
        if (status >= 300 && status < 400 && location) {
          await response.body.dump().catch(() => undefined);
          const next = new URL(location, url);
          const crossOrigin = next.origin !== url.origin;
          if (crossOrigin || redirects >= MAX_SAME_ORIGIN_REDIRECTS)
            return {
              startedAt,
              latencyMs: this.now() - started,
              status,
              statusText: STATUS_CODES[status] ?? '',
              redirect: { location: next.toString(), crossOrigin },
            };
          url = next;
          continue;
        }
        const declared = Number(header(response.headers, 'content-length'));
        const body = await readCapped(response.body, cap, Number.isFinite(declared) ? declared : undefined);
        const attempt: ProbeAttempt = {
          startedAt,
          latencyMs: this.now() - started,
          status,
          statusText: STATUS_CODES[status] ?? '',
          body: request.secrets?.length ? maskSecrets(body.text, request.secrets) : body.text,
          bodyBytes: body.bytes,
        };
        const contentType = header(response.headers, 'content-type');
        if (contentType) attempt.contentType = contentType;
        if (body.truncated) attempt.truncated = true;
        return attempt;
      }
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      const code = timedOut ? 'TIMEOUT' : (err.code ?? err.cause?.code ?? err.name ?? 'ERROR');
      const message = timedOut ? `no answer within ${request.timeoutMs} ms` : (err.cause?.message ?? err.message);
      return {
        startedAt,
        latencyMs: this.now() - started,
        error: { code, message: request.secrets?.length ? maskSecrets(message, request.secrets) : message },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  /** Open connections are closed; probes in flight are aborted. */
  async close(): Promise<void> {
    await this.agent.destroy().catch(() => undefined);
  }
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads at most `cap` bytes. A body that declares itself larger is not read at all, and one that grows past the cap
 * is cut there: the socket is destroyed, so the rest is never transferred.
 */
async function readCapped(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): unknown },
  cap: number,
  declared: number | undefined,
): Promise<{ text: string; bytes: number; truncated: boolean }> {
  if (declared !== undefined && declared > cap) {
    body.destroy();
    return { text: '', bytes: declared, truncated: true };
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > cap) {
      body.destroy();
      return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: true };
    }
    chunks.push(chunk);
  }
  return { text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: false };
}
