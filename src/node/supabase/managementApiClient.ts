// The Supabase Management API (https://api.supabase.com), for the operations the extension uses. One instance is
// shared by every caller (health panel, function logs, deploy): it sends the bearer token, reads the rate-limit
// headers of every answer and, after a 429, sends nothing until the window resets, for every caller at once.
// Parameters are serialized as the official OpenAPI document says (arrays in the query as repeated keys: form style,
// exploded). The token never appears in an error, a log or a result.
import type { Agent } from 'undici';
import * as z from '../../core/schema/zod';
import { RateLimit, type RateLimitState } from './managementApiRateLimit';

export const MANAGEMENT_API_URL = 'https://api.supabase.com';

export type ManagementApiErrorKind = 'unauthorized' | 'rateLimited' | 'notFound' | 'server' | 'network' | 'invalid';

export class ManagementApiError extends Error {
  constructor(
    readonly kind: ManagementApiErrorKind,
    message: string,
    readonly status?: number,
    /** For rateLimited: epoch ms when requests may go again. */
    readonly retryAt?: number,
  ) {
    super(message);
    this.name = 'ManagementApiError';
  }
}

/**
 * Whether `value` is a ManagementApiError. Not `instanceof`: the client is made in the extension's bundle and its
 * errors are caught by the health checks, which load from a bundle of their own (dist/lazy) with another copy of the class.
 */
export function isManagementApiError(value: unknown): value is ManagementApiError {
  return (
    value instanceof Error &&
    value.name === 'ManagementApiError' &&
    typeof (value as ManagementApiError).kind === 'string'
  );
}

/**
 * The answers' schemas, built on the first answer rather than when the extension loads: the client is made at
 * activation, and building zod schemas is most of what loading it would cost.
 */
const answers = memoize(() => {
  const serviceHealth = z.object({
    name: z.string(),
    status: z.enum(['COMING_UP', 'ACTIVE_HEALTHY', 'UNHEALTHY']),
    error: z.optional(z.string()),
  });
  const apiKey = z.object({
    name: z.string(),
    api_key: z.optional(z.nullable(z.string())),
    type: z.optional(z.nullable(z.enum(['legacy', 'publishable', 'secret']))),
  });
  const edgeFunction = z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string() });
  return {
    serviceHealth: z.array(serviceHealth),
    project: z.object({ ref: z.string(), name: z.string(), status: z.string(), region: z.optional(z.string()) }),
    apiKeys: z.array(apiKey),
    edgeFunctions: z.array(edgeFunction),
    analytics: z.object({ result: z.optional(z.array(z.unknown())), error: z.optional(z.unknown()) }),
  };
});
type Answers = ReturnType<typeof answers>;

export type ServiceHealthAnswer = z.infer<Answers['serviceHealth']>[number];
export type ProjectAnswer = z.infer<Answers['project']>;
export type ApiKeyAnswer = z.infer<Answers['apiKeys']>[number];
export type EdgeFunctionAnswer = z.infer<Answers['edgeFunctions']>[number];
export type AnalyticsAnswer = z.infer<Answers['analytics']>;

function memoize<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export interface ManagementApiOptions {
  /** A function is read at each request, so a changed setting takes effect at once. */
  baseUrl?: string | (() => string);
  /** The personal access token, read when a request is made (it may be set or cleared at any time). */
  token: () => PromiseLike<string | undefined> | string | undefined;
  timeoutMs?: number;
  now?: () => number;
}

type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export class ManagementApiClient {
  private agent?: Promise<Agent>;
  private readonly rateLimit: RateLimit;
  private readonly timeoutMs: number;
  /** Requests sent, for tests and the panel's footnote. */
  requestsSent = 0;

  constructor(private readonly options: ManagementApiOptions) {
    this.rateLimit = new RateLimit(options.now ?? Date.now);
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  get baseUrl(): string {
    const base = this.options.baseUrl;
    return (typeof base === 'function' ? base() : (base ?? MANAGEMENT_API_URL)).replace(/\/+$/, '');
  }

  get rateLimitState(): RateLimitState {
    return this.rateLimit.snapshot;
  }

  async hasToken(): Promise<boolean> {
    return Boolean(await this.options.token());
  }

  /** GET /v1/projects/{ref}/health: every service asked for, in one call. */
  async projectHealth(ref: string, services: readonly string[], timeoutMs?: number): Promise<ServiceHealthAnswer[]> {
    return answers().serviceHealth.parse(
      await this.get(`/v1/projects/${encodeURIComponent(ref)}/health`, { services, timeout_ms: timeoutMs }),
    );
  }

  /** GET /v1/projects/{ref} */
  async project(ref: string): Promise<ProjectAnswer> {
    return answers().project.parse(await this.get(`/v1/projects/${encodeURIComponent(ref)}`));
  }

  /** GET /v1/projects/{ref}/api-keys (keys unrevealed: the publishable and anon keys come back as they are). */
  async apiKeys(ref: string): Promise<ApiKeyAnswer[]> {
    return answers().apiKeys.parse(await this.get(`/v1/projects/${encodeURIComponent(ref)}/api-keys`));
  }

  /** GET /v1/projects/{ref}/functions */
  async functions(ref: string): Promise<EdgeFunctionAnswer[]> {
    return answers().edgeFunctions.parse(await this.get(`/v1/projects/${encodeURIComponent(ref)}/functions`));
  }

  /** GET …/analytics/endpoints/logs.all: the project's logs queried with `sql`, over at most 24 hours. */
  async logs(ref: string, query: { sql: string; start: Date; end: Date }): Promise<AnalyticsAnswer> {
    const answer = answers().analytics.parse(
      await this.get(`/v1/projects/${encodeURIComponent(ref)}/analytics/endpoints/logs.all`, {
        sql: query.sql,
        iso_timestamp_start: query.start.toISOString(),
        iso_timestamp_end: query.end.toISOString(),
      }),
    );
    if (answer.error)
      throw new ManagementApiError('invalid', `The logs query failed: ${describeAnalyticsError(answer.error)}`);
    return answer;
  }

  /** GET …/analytics/endpoints/functions.combined-stats */
  async functionStats(
    ref: string,
    functionId: string,
    interval: '15min' | '1hr' | '3hr' | '1day',
  ): Promise<AnalyticsAnswer> {
    return answers().analytics.parse(
      await this.get(`/v1/projects/${encodeURIComponent(ref)}/analytics/endpoints/functions.combined-stats`, {
        interval,
        function_id: functionId,
      }),
    );
  }

  async close(): Promise<void> {
    const agent = this.agent;
    this.agent = undefined;
    await agent?.then((a) => a.close()).catch(() => undefined);
  }

  private async get(path: string, query: Query = {}): Promise<unknown> {
    const token = await this.options.token();
    if (!token)
      throw new ManagementApiError(
        'unauthorized',
        'No personal access token is set for the Supabase Management API (Runbook: Set Project Secret, or SUPABASE_ACCESS_TOKEN).',
      );
    const wait = this.rateLimit.waitUntil();
    if (wait !== undefined)
      throw new ManagementApiError(
        'rateLimited',
        `The Management API's rate limit is spent; no request is sent before ${new Date(wait).toISOString().slice(11, 19)} UTC.`,
        429,
        wait,
      );
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const item of value) search.append(key, item);
      else search.append(key, String(value));
    }
    const url = new URL(`${this.baseUrl}${path}${search.size ? `?${search}` : ''}`);
    this.requestsSent++;
    let status: number;
    let text: string;
    try {
      this.agent ??= import('../http/undiciAgent').then(({ createAgent }) =>
        createAgent({ connections: 4, keepAliveTimeout: 30_000 }),
      );
      const response = await (
        await this.agent
      ).request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      this.rateLimit.observe(status, response.headers);
      text = await response.body.text();
    } catch (error) {
      const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
      const code = err.code ?? err.cause?.code ?? err.name;
      throw new ManagementApiError('network', `The Management API at ${url.origin} did not answer (${code}).`);
    }
    const message = () => serverMessage(text) ?? `HTTP ${status}`;
    if (status === 401 || status === 403)
      throw new ManagementApiError(
        'unauthorized',
        `The Management API refused the personal access token (${status}: ${message()}). Set a valid token with access to this project.`,
        status,
      );
    if (status === 429) {
      const retryAt = this.rateLimit.waitUntil();
      throw new ManagementApiError(
        'rateLimited',
        `The Management API's rate limit is spent (429); requests wait until ${retryAt ? new Date(retryAt).toISOString().slice(11, 19) : 'the next minute'} UTC.`,
        429,
        retryAt,
      );
    }
    if (status === 404) throw new ManagementApiError('notFound', `Not found (${message()}).`, status);
    if (status >= 400)
      throw new ManagementApiError('server', `The Management API answered ${status}: ${message()}.`, status);
    try {
      return JSON.parse(text);
    } catch {
      throw new ManagementApiError(
        'invalid',
        `The Management API answered ${status} with a body that is not JSON.`,
        status,
      );
    }
  }
}

function serverMessage(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { message?: unknown; error?: unknown };
    const message =
      typeof body.message === 'string' ? body.message : typeof body.error === 'string' ? body.error : undefined;
    return message?.slice(0, 200);
  } catch {
    return undefined;
  }
}

function describeAnalyticsError(error: unknown): string {
  if (typeof error === 'string') return error;
  if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
    return (error as { message: string }).message;
  return JSON.stringify(error).slice(0, 200);
}
