// Types for managementApiStandIn.mjs: a local Supabase Management API checked against the official OpenAPI document.
import type { IncomingHttpHeaders } from 'node:http';

export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
  bytes: Buffer;
}

export interface RecordedRequest {
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  /** Parameter values by location, coerced to their schema's types (`services` as a list, `timeout_ms` a number). */
  parameters: { path: Record<string, unknown>; query: Record<string, unknown>; header: Record<string, unknown> };
  headers: IncomingHttpHeaders;
  authorization?: string;
  /** JSON as parsed; a multipart or form body as an object of its parts (files as Buffers); other bodies as bytes. */
  body: unknown;
  /** The files of a multipart body. */
  files: RecordedFile[];
  bytes: number;
}

export interface ScriptedAnswer {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** What an answer returns: the body of the operation's first success status, or reply(status, body, headers). */
export type Answer = (request: RecordedRequest) => unknown | ScriptedAnswer | Promise<unknown | ScriptedAnswer>;

export function reply(status: number, body?: unknown, headers?: Record<string, string>): ScriptedAnswer;

export interface StandInOptions {
  /** The OpenAPI document; test/fixtures/management-api.openapi.json when left out. */
  document?: object;
  /** Requests per token per window; 120 a minute when left out (what the hosted API's answers show). */
  rateLimit?: { limit: number; windowSeconds: number };
}

export class ManagementApiStandIn {
  constructor(answers?: Record<string, Answer>, options?: StandInOptions);
  readonly answers: Record<string, Answer>;
  /** Every request that fit the document, in order (a rate-limited one too). */
  readonly requests: RecordedRequest[];
  /** Why each request or canned answer that did not fit the document was refused: a test asserts this is empty. */
  readonly rejected: string[];
  readonly url: string;
  /** Sets (or with undefined removes) the answer of one operation; throws for an operationId the document lacks. */
  answer(operationId: string, answer: Answer | undefined): void;
  /** Moves a token's window (token: the whole Authorization header): remaining 0 answers 429 until the reset. */
  setRateLimit(token: string, window: { remaining: number; resetSeconds?: number }): void;
  /** Problems of an answer for operationId with status, as the stand-in would judge it; [] when it fits. */
  check(operationId: string, status: number, body: unknown): string[];
  /** Listens on 127.0.0.1 (a free port unless given); resolves to the base URL. */
  start(port?: number): Promise<string>;
  /** A Supabase CLI profile (YAML) that sends every API call here: `supabase … --profile <file>`. */
  writeProfile(file: string): void;
  stop(): Promise<void>;
}

export function loadManagementApiDocument(path?: string): object;
