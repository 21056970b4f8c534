// One HTTP attempt of a probe, as the prober reports it: plain data, so the judgement stays pure.

export interface ProbeError {
  /** Node or undici error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, DEPTH_ZERO_SELF_SIGNED_CERT, …) or 'TIMEOUT'. */
  code: string;
  message: string;
}

export interface ProbeAttempt {
  /** Epoch ms the attempt started. */
  startedAt: number;
  latencyMs: number;
  status?: number;
  statusText?: string;
  contentType?: string;
  /** The body as text, up to the size cap. */
  body?: string;
  /** The body was larger than the cap and was cut (or, when Content-Length said so, never read). */
  truncated?: boolean;
  /** Bytes of the body declared or seen. */
  bodyBytes?: number;
  error?: ProbeError;
  /** A redirect that was not followed. */
  redirect?: { location: string; crossOrigin: boolean };
}

/** Response body cap: a health answer is a few hundred bytes; a 50 MB body is cut at this, not read. */
export const DEFAULT_BODY_CAP_BYTES = 256 * 1024;
