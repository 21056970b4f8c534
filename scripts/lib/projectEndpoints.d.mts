// Types for projectEndpoints.mjs: a local stand-in for a Supabase project's gateway, for tests and `npm start`.

/** The local stack's default anon key: public, the same on every machine. */
export const LOCAL_ANON_KEY: string;
/** The stand-in's own privileged key. */
export const STAND_IN_PRIVILEGED_KEY: string;

export type Behaviour =
  /** What the route answers by default. */
  | { kind: 'healthy' }
  | { kind: 'json'; status?: number; body: unknown; delayMs?: number }
  | { kind: 'status'; status: number; body?: unknown; delayMs?: number }
  | { kind: 'text'; status?: number; body: string; contentType?: string }
  /** Answers only after `ms`: longer than a probe's timeout. */
  | { kind: 'slow'; ms: number }
  /** A body of `bytes` bytes, streamed in 64 KB chunks. */
  | {
      kind: 'huge';
      bytes: number;
      declareLength?: boolean;
      onProgress?: (sent: number) => void;
      onClose?: (sent: number) => void;
    }
  /** The connection is destroyed without an answer. */
  | { kind: 'reset' }
  | { kind: 'redirect'; location: string; status?: number };

export interface StartEndpointsOptions {
  port?: number;
  host?: string;
  /** Keys the gateway accepts; the local stack's default anon key when omitted. */
  keys?: string[];
  privilegedKeys?: string[];
  tls?: { key: string; cert: string };
  /** The health function's answer varies over time (npm start). */
  live?: boolean;
  /** Keep at most this many recorded requests. */
  maxRequests?: number;
}

export interface RecordedRequest {
  path: string;
  method: string;
  /** The apikey header as received, or null. */
  apikey: string | null;
  at: number;
}

export interface ProjectEndpoints {
  /** http://127.0.0.1:PORT or https://… */
  origin: string;
  port: number;
  requests: RecordedRequest[];
  /** Scripts a path ('*' for every path); replaces what was scripted for it before. */
  script(path: string, behaviour: Behaviour): void;
  /** Every route back to its default. */
  reset(): void;
  readonly openConnections: number;
  close(): Promise<void>;
}

export function startProjectEndpoints(options?: StartEndpointsOptions): Promise<ProjectEndpoints>;

/** The runbook's health JSON, all well. */
export function healthyBody(now?: Date): {
  status: string;
  version: string;
  timestamp: string;
  checks: Record<string, string>;
  circuit_breakers: Record<string, string>;
};

/** A throw-away self-signed certificate for 127.0.0.1, made with openssl. */
export function selfSignedCertificate(): { key: string; cert: string };
