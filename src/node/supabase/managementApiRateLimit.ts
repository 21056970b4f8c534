// The Management API's rate limit, as its answers tell it (x-ratelimit-limit, -remaining, -reset): about 60 requests
// a minute per user, counted across all of that user's tokens. One instance is shared by every caller, so a 429
// seen by the health panel also holds back the function logs and deploy until the window resets.

export interface RateLimitState {
  limit?: number;
  remaining?: number;
  /** Epoch ms when the window resets, when known. */
  resetAt?: number;
  /** Epoch ms before which no request is sent (after a 429, or with nothing remaining). */
  blockedUntil?: number;
}

/** After a 429 that names no reset, wait this long: the documented window is a minute. */
const DEFAULT_BACKOFF_MS = 60_000;

export class RateLimit {
  private state: RateLimitState = {};

  constructor(private readonly now: () => number) {}

  get snapshot(): RateLimitState {
    return { ...this.state };
  }

  /** Epoch ms to wait for before the next request, or undefined when one may go now. */
  waitUntil(): number | undefined {
    const until = this.state.blockedUntil;
    return until !== undefined && until > this.now() ? until : undefined;
  }

  /** Reads the headers of an answer; a 429 blocks every caller until the reset. */
  observe(status: number, headers: Record<string, string | string[] | undefined>): void {
    const limit = numberHeader(headers, 'x-ratelimit-limit');
    const remaining = numberHeader(headers, 'x-ratelimit-remaining');
    const reset = resetTime(headers, this.now());
    if (limit !== undefined) this.state.limit = limit;
    if (remaining !== undefined) this.state.remaining = remaining;
    if (reset !== undefined) this.state.resetAt = reset;
    if (status === 429) {
      const retryAfter = numberHeader(headers, 'retry-after');
      this.state.blockedUntil =
        retryAfter !== undefined ? this.now() + retryAfter * 1000 : (reset ?? this.now() + DEFAULT_BACKOFF_MS);
    } else if (remaining === 0 && reset !== undefined) {
      // The last request of the window: the next would be a 429.
      this.state.blockedUntil = reset;
    } else if (this.state.blockedUntil !== undefined && this.state.blockedUntil <= this.now()) {
      this.state.blockedUntil = undefined;
    }
  }
}

function numberHeader(headers: Record<string, string | string[] | undefined>, name: string): number | undefined {
  const raw = headers[name];
  const value = Number(Array.isArray(raw) ? raw[0] : raw);
  return raw !== undefined && Number.isFinite(value) ? value : undefined;
}

/** x-ratelimit-reset: seconds until the window resets, or (a large number) the epoch second it resets at. */
function resetTime(headers: Record<string, string | string[] | undefined>, now: number): number | undefined {
  const value = numberHeader(headers, 'x-ratelimit-reset');
  if (value === undefined) return undefined;
  return value > 1_000_000_000 ? value * 1000 : now + value * 1000;
}
