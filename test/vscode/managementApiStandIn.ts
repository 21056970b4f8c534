// A local stand-in for the Supabase Management API, for the real CLI started with `--profile` pointing at it. It
// serves only the operations in test/fixtures/management-api.subset.json (copied from the official OpenAPI document)
// and checks every request against them (operation, path and query parameters, content type, bearer token) and
// every canned answer against the operation's response schema. Requests are recorded for the test to inspect.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/seed';

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  operationId: string;
  parameters: Parameter[];
  requestContentTypes: string[];
  success: { status: number; schema: Schema };
}
interface Subset {
  paths: Record<string, Record<string, Operation>>;
}

export interface RecordedRequest {
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  authorization?: string;
  bytes: number;
}

export type Answer = (request: RecordedRequest) => unknown;

const subset = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'test', 'fixtures', 'management-api.subset.json'), 'utf8'),
) as Subset;

export class ManagementApiStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Requests the document does not allow, with why: a test fails when any is here. */
  readonly rejected: string[] = [];
  private server: Server | undefined;
  private url = '';

  constructor(private readonly answers: Record<string, Answer>) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let bytes = 0;
      req.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
      });
      req.on('end', () => {
        const { status, body } = this.handle(req, bytes);
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** A CLI profile (YAML) that sends every API call here; `supabase … --profile <file>` reads it. */
  writeProfile(file: string): void {
    writeFileSync(
      file,
      [
        'name: runbook-test',
        `api_url: ${this.url}`,
        'project_host: 127.0.0.1',
        'pooler_host: 127.0.0.1',
        `dashboard_url: ${this.url}`,
        '',
      ].join('\n'),
    );
  }

  stop(): void {
    this.server?.close();
  }

  private handle(req: IncomingMessage, bytes: number): { status: number; body: unknown } {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toLowerCase();
    const match = findOperation(url.pathname, method);
    if (!match) return this.reject(`${method.toUpperCase()} ${url.pathname} is not an operation of the document`, 404);
    const { operation, pathParams } = match;
    const problems: string[] = [];
    const authorization = req.headers.authorization;
    if (!/^Bearer \S+$/.test(authorization ?? '')) problems.push('no bearer token');
    for (const p of operation.parameters) {
      const value =
        p.in === 'path'
          ? pathParams[p.name]
          : p.in === 'query'
            ? (url.searchParams.get(p.name) ?? undefined)
            : undefined;
      if (value === undefined) {
        if (p.required) problems.push(`missing ${p.in} parameter ${p.name}`);
        continue;
      }
      if (p.schema?.type === 'string') problems.push(...validate(value, p.schema, p.name));
    }
    if (operation.requestContentTypes.length) {
      const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
      if (!operation.requestContentTypes.includes(type))
        problems.push(`content type ${type || 'none'}, expected ${operation.requestContentTypes.join(' or ')}`);
    }
    if (problems.length) return this.reject(`${operation.operationId}: ${problems.join('; ')}`, 400);
    const recorded: RecordedRequest = {
      operationId: operation.operationId,
      method: method.toUpperCase(),
      path: url.pathname,
      pathParams,
      query: url.searchParams,
      ...(authorization ? { authorization } : {}),
      bytes,
    };
    this.requests.push(recorded);
    const answer = this.answers[operation.operationId];
    if (!answer) return this.reject(`${operation.operationId}: the test gave no answer`, 501);
    const body = answer(recorded);
    const invalid = validate(body, operation.success.schema, 'response');
    if (invalid.length)
      return this.reject(
        `${operation.operationId}: the canned answer does not fit the document: ${invalid.join('; ')}`,
        500,
      );
    return { status: operation.success.status, body };
  }

  private reject(why: string, status: number): { status: number; body: unknown } {
    this.rejected.push(why);
    return { status, body: { message: why } };
  }
}

function findOperation(
  pathname: string,
  method: string,
): { operation: Operation; pathParams: Record<string, string> } | undefined {
  for (const [template, operations] of Object.entries(subset.paths)) {
    const operation = operations[method];
    if (!operation) continue;
    const names: string[] = [];
    const pattern = new RegExp(
      `^${template.replace(/\{([^}]+)\}/g, (_m, name: string) => {
        names.push(name);
        return '([^/]+)';
      })}$`,
    );
    const m = pattern.exec(pathname);
    if (m) return { operation, pathParams: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return undefined;
}

/** The JSON Schema keywords the subset uses: type, required, properties, items, enum, pattern, lengths. */
function validate(value: unknown, schema: Schema, at: string): string[] {
  const problems: string[] = [];
  const type = Array.isArray(value)
    ? 'array'
    : value === null
      ? 'null'
      : typeof value === 'number' && Number.isInteger(value)
        ? 'integer'
        : typeof value;
  if (schema.type && !(schema.type === type || (schema.type === 'number' && type === 'integer')))
    return [`${at} is ${type}, not ${schema.type}`];
  if (schema.enum && !schema.enum.includes(value)) problems.push(`${at} is not one of ${schema.enum.join(', ')}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern).test(value))
      problems.push(`${at} does not match ${schema.pattern}`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      problems.push(`${at} is shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      problems.push(`${at} is longer than ${schema.maxLength}`);
  }
  if (Array.isArray(value) && schema.items)
    value.forEach((item, i) => problems.push(...validate(item, schema.items!, `${at}[${i}]`)));
  if (type === 'object' && schema.properties) {
    const object = value as Record<string, unknown>;
    for (const name of schema.required ?? []) if (!(name in object)) problems.push(`${at}.${name} is missing`);
    for (const [name, property] of Object.entries(schema.properties))
      if (name in object) problems.push(...validate(object[name], property, `${at}.${name}`));
  }
  return problems;
}
