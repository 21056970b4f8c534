// Probes a project's endpoints with undici: one keep-alive pool per origin, a timeout per request, a cap on the body
// (a 50 MB answer is cut, never read), TLS verified and its errors named, redirects followed only within the origin
// (the apikey is never sent to another), and known secrets blanked out of whatever body comes back.
import { STATUS_CODES } from 'node:http';
import type { Agent } from 'undici';
import type { ProbeAttempt } from '../../core/health/probeOutcome';
import { DEFAULT_BODY_CAP_BYTES } from '../../core/health/probeOutcome';
import { MASK } from '../../core/secrets/maskSecrets';
import type { Readable } from 'node:stream';

export interface ProbeRequest {
  /** Full URL: the project's API URL and the route (a URL object is never changed here). */
  url: string | URL;
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
  /**
   * One agent (and so one keep-alive pool per origin) per connect timeout: undici sets that timeout per agent, and a
   * project's checks have few distinct timeouts (the runbook's 5 s, 10 s, 30 s).
   */
  private readonly agents = new Map<number, Agent>();
  private readonly now: () => number;

  constructor(private readonly options: HttpProberOptions = {}) {
    this.now = options.now ?? (() => performance.now());
  }

  /**
   * The timeout bounds each phase with undici's own timers (connect, headers, each gap in the body) and the whole
   * body by a deadline checked as it arrives: no timer or AbortController of our own per request, which would cost
   * more than the request itself on a busy extension host.
   */
  async probe(request: ProbeRequest): Promise<ProbeAttempt> {
    const startedAt = Date.now();
    const started = this.now();
    const timeoutMs = Math.max(1, Math.round(request.timeoutMs));
    const cap = request.bodyCapBytes ?? DEFAULT_BODY_CAP_BYTES;
    const agent = this.agents.get(timeoutMs) ?? (await this.newAgent(timeoutMs));
    try {
      let url = typeof request.url === 'string' ? new URL(request.url) : request.url;
      for (let redirects = 0; ; redirects++) {
        const response = await agent.request({
          origin: url.origin,
          path: `${url.pathname}${url.search}`,
          method: 'GET',
          headers: request.headers ?? {},
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        const status = response.statusCode;
        const location = header(response.headers, 'location');
        if (status >= 300 && status < 400 && location) {
          // Read off (up to undici's small limit) so the connection stays usable for the next request.
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
        const body = await readCapped(
          response.body,
          cap,
          Number.isFinite(declared) ? declared : undefined,
          started + timeoutMs,
          this.now,
        );
        if (body.timedOut)
          return {
            startedAt,
            latencyMs: this.now() - started,
            error: { code: 'TIMEOUT', message: `the answer did not arrive within ${timeoutMs} ms` },
          };
        const attempt: ProbeAttempt = {
          startedAt,
          latencyMs: this.now() - started,
          status,
          statusText: STATUS_CODES[status] ?? '',
          body: withoutSecrets(body.text, request.secrets),
          bodyBytes: body.bytes,
        };
        const contentType = header(response.headers, 'content-type');
        if (contentType) attempt.contentType = contentType;
        if (body.truncated) attempt.truncated = true;
        return attempt;
      }
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      const code = err.code ?? err.cause?.code ?? err.name ?? 'ERROR';
      const timeout = /^UND_ERR_(HEADERS|BODY|CONNECT)_TIMEOUT$/.test(code);
      const message = timeout ? `no answer within ${timeoutMs} ms` : (err.cause?.message ?? err.message);
      return {
        startedAt,
        latencyMs: this.now() - started,
        error: { code: timeout ? 'TIMEOUT' : code, message: withoutSecrets(message, request.secrets) },
      };
    }
  }

  /** Open connections are closed; probes in flight end with an error. */
  async close(): Promise<void> {
    const agents = [...this.agents.values()];
    this.agents.clear();
    await Promise.all(agents.map((agent) => agent.destroy().catch(() => undefined)));
  }

  private async newAgent(timeoutMs: number): Promise<Agent> {
    const { createAgent } = await import('./undiciAgent');
    // Another probe may have made it while undici loaded.
    let agent = this.agents.get(timeoutMs);
    if (!agent) {
      agent = createAgent({
        connections: this.options.connectionsPerOrigin ?? 8,
        keepAliveTimeout: this.options.keepAliveTimeoutMs ?? 30_000,
        pipelining: 1,
        connect: {
          timeout: timeoutMs,
          rejectUnauthorized: true,
          ...(this.options.ca ? { ca: this.options.ca as string | string[] } : {}),
        },
      });
      this.agents.set(timeoutMs, agent);
    }
    return agent;
  }
}

/** The known secrets blanked out; a plain search first, since almost every body holds none. */
function withoutSecrets(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets) return text;
  let out = text;
  for (const secret of secrets) if (secret && out.includes(secret)) out = out.split(secret).join(MASK);
  return out;
}

function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Reads at most `cap` bytes by the deadline. A body that declares itself larger is not read at all, and one that
 * grows past the cap is cut there: the socket is destroyed, so the rest is never transferred.
 */
function readCapped(
  body: Readable,
  cap: number,
  declared: number | undefined,
  deadline: number,
  now: () => number,
): Promise<{ text: string; bytes: number; truncated: boolean; timedOut?: boolean }> {
  if (declared !== undefined && declared > cap) {
    body.destroy();
    return Promise.resolve({ text: '', bytes: declared, truncated: true });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let done = false;
    const finish = (result: { text: string; bytes: number; truncated: boolean; timedOut?: boolean }) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    body.on('data', (chunk: Buffer) => {
      if (done) return;
      bytes += chunk.length;
      if (bytes > cap) {
        body.destroy();
        finish({ text: Buffer.concat(chunks).toString('utf8'), bytes, truncated: true });
      } else if (now() > deadline) {
        body.destroy();
        finish({ text: '', bytes, truncated: false, timedOut: true });
      } else chunks.push(chunk);
    });
    body.on('end', () =>
      finish({
        text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'),
        bytes,
        truncated: false,
      }),
    );
    body.on('error', (error) => {
      if (!done) {
        done = true;
        reject(error);
      }
    });
  });
}
