// A local Management API for the client's tests and the health suites, held to the official OpenAPI document
// (test/fixtures/management-api.health.openapi.json, its operations copied unchanged): every request is matched to an
// operation and its path and query parameters checked against their schemas (arrays as repeated keys, form style),
// the bearer token is required, and every answer a test gives is validated with ajv against the operation's 200
// schema before it is sent. What the document does not allow is refused with 400 and listed in `rejected`, so a test
// fails on it. Rate-limit headers come with every answer, and a test can spend the limit to get 429s.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import { PROJECT_ROOT } from './seed';

interface SchemaObject {
  type?: string;
  enum?: unknown[];
  items?: SchemaObject;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
}
interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: SchemaObject;
  style?: string;
  explode?: boolean;
}
interface OperationObject {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, { content?: Record<string, { schema: unknown }> }>;
}
interface Document {
  paths: Record<string, Record<string, OperationObject>>;
  components: { schemas: Record<string, unknown> };
}

export interface ManagementRequest {
  operationId: string;
  path: string;
  pathParams: Record<string, string>;
  query: URLSearchParams;
  token: string | undefined;
}

/** What an operation answers: a body validated against its 200 schema, or another status. */
export type ManagementAnswer = (request: ManagementRequest) => unknown | { status: number; body: unknown };

const DOCUMENT_PATH = join(PROJECT_ROOT, 'test', 'fixtures', 'management-api.health.openapi.json');

export class ManagementApiServer {
  readonly requests: ManagementRequest[] = [];
  /** Requests or answers the document does not allow, with why. */
  readonly rejected: string[] = [];
  readonly answers = new Map<string, ManagementAnswer>();
  /** Requests per window, as x-ratelimit-limit says; `spend()` uses it up. */
  rateLimit = 60;
  remaining = 60;
  private readonly document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8')) as Document;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  private server: Server | undefined;
  url = '';

  constructor(
    readonly token: string,
    answers: Record<string, ManagementAnswer> = {},
  ) {
    for (const [id, answer] of Object.entries(answers)) this.answers.set(id, answer);
    // The document's component schemas, reachable by their $ref.
    this.ajv.addSchema({ $id: 'doc', components: this.document.components }, 'doc');
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Every operation of the document, by id. */
  operationIds(): string[] {
    return Object.values(this.document.paths).flatMap((operations) =>
      Object.values(operations).map((o) => o.operationId),
    );
  }

  /** Uses up the rate limit: the next requests get 429 until `refill()`. */
  spend(): void {
    this.remaining = 0;
  }

  refill(): void {
    this.remaining = this.rateLimit;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const method = (req.method ?? 'GET').toLowerCase();
    const match = this.match(method, url.pathname);
    const headers = {
      'content-type': 'application/json',
      'x-ratelimit-limit': String(this.rateLimit),
      'x-ratelimit-remaining': String(Math.max(0, this.remaining - 1)),
      'x-ratelimit-reset': '60',
    };
    const send = (status: number, body: unknown) => {
      res.writeHead(status, headers);
      res.end(JSON.stringify(body));
    };
    if (!match) {
      this.rejected.push(`${method.toUpperCase()} ${url.pathname}: no such operation in the document`);
      return send(404, { message: 'Not found' });
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    const request: ManagementRequest = {
      operationId: match.operation.operationId,
      path: url.pathname,
      pathParams: match.params,
      query: url.searchParams,
      token,
    };
    this.requests.push(request);
    if (!token) return send(401, { message: 'Unauthorized' });
    if (token !== this.token) return send(401, { message: 'Invalid token' });
    if (this.remaining <= 0) {
      headers['x-ratelimit-remaining'] = '0';
      return send(429, { message: 'Too many requests' });
    }
    this.remaining--;
    const problems = this.checkParameters(match.operation, match.params, url.searchParams);
    if (problems.length) {
      this.rejected.push(`${match.operation.operationId}: ${problems.join('; ')}`);
      return send(400, { message: problems.join('; ') });
    }
    const answer = this.answers.get(match.operation.operationId);
    if (!answer) {
      this.rejected.push(`${match.operation.operationId}: the test gave no answer`);
      return send(500, { message: 'no answer scripted' });
    }
    const given = answer(request);
    if (given && typeof given === 'object' && 'status' in given && 'body' in given && typeof given.status === 'number')
      return send(given.status, given.body);
    const invalid = this.checkAnswer(match.operation, given);
    if (invalid) {
      this.rejected.push(`${match.operation.operationId}: the answer does not match the document: ${invalid}`);
      return send(500, { message: 'invalid answer' });
    }
    send(200, given);
  }

  private match(
    method: string,
    path: string,
  ): { operation: OperationObject; params: Record<string, string> } | undefined {
    for (const [template, operations] of Object.entries(this.document.paths)) {
      const names: string[] = [];
      const pattern = new RegExp(
        `^${template.replace(/[.]/g, '\\.').replace(/\{([^}]+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`,
      );
      const m = pattern.exec(path);
      const operation = operations[method];
      if (!m || !operation) continue;
      const params: Record<string, string> = {};
      names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1])));
      return { operation, params };
    }
    return undefined;
  }

  private checkParameters(
    operation: OperationObject,
    pathParams: Record<string, string>,
    query: URLSearchParams,
  ): string[] {
    const problems: string[] = [];
    const declared = operation.parameters ?? [];
    for (const name of new Set(query.keys()))
      if (!declared.some((p) => p.in === 'query' && p.name === name)) problems.push(`unknown query parameter ${name}`);
    for (const parameter of declared) {
      if (parameter.in === 'path') {
        problems.push(...checkValue(parameter.name, pathParams[parameter.name], parameter.schema));
        continue;
      }
      if (parameter.in !== 'query') continue;
      const values = query.getAll(parameter.name);
      if (values.length === 0) {
        if (parameter.required) problems.push(`missing required query parameter ${parameter.name}`);
        continue;
      }
      if (parameter.schema.type === 'array') {
        // Form style, exploded (the OpenAPI default): services=auth&services=db, never "auth,db".
        for (const value of values) problems.push(...checkValue(parameter.name, value, parameter.schema.items ?? {}));
      } else if (values.length > 1) problems.push(`${parameter.name} given ${values.length} times`);
      else problems.push(...checkValue(parameter.name, values[0], parameter.schema));
    }
    return problems;
  }

  private checkAnswer(operation: OperationObject, body: unknown): string | undefined {
    let validate = this.validators.get(operation.operationId);
    if (!validate) {
      const schema = operation.responses['200']?.content?.['application/json']?.schema;
      if (!schema) return 'the operation has no JSON 200 answer';
      validate = this.ajv.compile(rewriteRefs(schema) as object);
      this.validators.set(operation.operationId, validate);
    }
    if (validate(body)) return undefined;
    return this.ajv.errorsText(validate.errors);
  }
}

function checkValue(name: string, value: string | undefined, schema: SchemaObject): string[] {
  if (value === undefined) return [`missing ${name}`];
  const problems: string[] = [];
  if (schema.enum && !schema.enum.includes(value))
    problems.push(`${name}=${value} is not one of ${schema.enum.join(', ')}`);
  if (schema.type === 'integer') {
    if (!/^-?\d+$/.test(value)) problems.push(`${name}=${value} is not an integer`);
    const n = Number(value);
    if (schema.minimum !== undefined && n < schema.minimum) problems.push(`${name}=${value} < ${schema.minimum}`);
    if (schema.maximum !== undefined && n > schema.maximum) problems.push(`${name}=${value} > ${schema.maximum}`);
  }
  if (schema.type === 'boolean' && !/^(true|false)$/.test(value)) problems.push(`${name}=${value} is not a boolean`);
  if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${name} is too short`);
  if (schema.maxLength !== undefined && value.length > schema.maxLength) problems.push(`${name} is too long`);
  if (schema.pattern && !new RegExp(schema.pattern).test(value))
    problems.push(`${name}=${value} does not match ${schema.pattern}`);
  if (schema.format === 'date-time' && !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value))
    problems.push(`${name}=${value} is not an RFC 3339 date-time`);
  return problems;
}

/** `#/components/schemas/X` → `doc#/components/schemas/X`, so ajv finds the document's schemas. */
function rewriteRefs(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(rewriteRefs);
  if (!schema || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema))
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/') ? `doc${value}` : rewriteRefs(value);
  return out;
}
