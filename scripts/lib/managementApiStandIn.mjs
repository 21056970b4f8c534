// A local stand-in for the Supabase Management API, checked against the official OpenAPI document
// (test/fixtures/management-api.openapi.json, a copy of the one in ../shared/reference) with a maintained JSON Schema
// validator: Ajv for draft-04, the dialect OpenAPI 3.0's schemas are written in (boolean exclusiveMinimum, $ref
// siblings ignored), with OpenAPI's nullable and discriminator and the formats of ajv-formats.
//
// It serves every operation of the document that the test (or `npm start`) gives an answer for, and checks every
// request fully against the operation: path, query and header parameters (coerced from text as OpenAPI's form style
// says), the bearer token, the content type and the body (JSON, form or multipart, as the Supabase CLI sends them),
// and every answer against the schema of the response it claims. Whatever does not fit is answered 400/500 and kept
// in `rejected`, which a test asserts empty. Every answer carries the x-ratelimit-limit/-remaining/-reset headers the
// hosted API sends, counted per token over a window, with 429 once the budget is spent (or when a test scripts it).
//
// It lives in scripts/lib, as plain JavaScript with types beside it, so that scripts (npm start) import it as it is
// and the test bundles (test/vscode, test/unit) compile it in, like postgres.mjs.
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv-draft-04';
import { findProjectRoot } from './projectRoot.mjs';
import addFormats from 'ajv-formats';

const DOCUMENT_PATH = join('test', 'fixtures', 'management-api.openapi.json');
// Absolute ids, so that references resolve the same from every schema; nothing is ever fetched from them.
const DOCUMENT_ID = 'http://stand-in.invalid/management-api.json';
/** OpenAPI 3.0 keywords of schema objects that JSON Schema draft-04 does not know; they annotate, never constrain. */
const OPENAPI_ANNOTATIONS = ['example', 'deprecated', 'readOnly', 'writeOnly', 'xml', 'externalDocs'];
/** Top-level members of the document, which Ajv must treat as data rather than as schema keywords. */
const DOCUMENT_MEMBERS = ['openapi', 'info', 'servers', 'paths', 'components', 'security', 'tags'];
/** The hosted API's budget as its recorded answers show it: 120 requests a minute for most operations. */
const DEFAULT_RATE_LIMIT = { limit: 120, windowSeconds: 60 };
const ANSWER = Symbol('answer');

/**
 * An answer with a status (and headers) of the test's choosing: `reply(402)`, `reply(200, body)`. A plain value
 * returned by an answer is the body of the operation's first success status.
 */
export function reply(status, body, headers = {}) {
  return { [ANSWER]: true, status, body, headers };
}

export class ManagementApiStandIn {
  /**
   * @param {Record<string, (request: object) => unknown>} answers by operationId
   * @param {{ document?: object, rateLimit?: { limit: number, windowSeconds: number } }} options
   */
  constructor(answers = {}, options = {}) {
    this.answers = { ...answers };
    this.requests = [];
    this.rejected = [];
    this.document = options.document ?? loadManagementApiDocument();
    this.rateLimit = { ...DEFAULT_RATE_LIMIT, ...options.rateLimit };
    this.windows = new Map();
    this.operations = operationsOf(this.document);
    const validators = createValidators(this.document);
    this.validate = validators.validate;
    this.coerce = validators.coerce;
    this.server = undefined;
    this.url = '';
  }

  /** Sets (or with undefined removes) the answer of one operation. */
  answer(operationId, answer) {
    if (!this.operations.some((o) => o.operationId === operationId))
      throw new Error(`${operationId} is not an operation of the Management API document`);
    if (answer) this.answers[operationId] = answer;
    else delete this.answers[operationId];
  }

  /** Puts a token's rate-limit window where a test wants it: `{ remaining: 0, resetSeconds: 30 }` answers 429 next. */
  setRateLimit(token, { remaining, resetSeconds = this.rateLimit.windowSeconds }) {
    this.windows.set(token, { used: this.rateLimit.limit - remaining, endsAt: Date.now() + resetSeconds * 1000 });
  }

  async start(port = 0) {
    this.server = createServer((req, res) => {
      const chunks = [];
      req.on('data', (chunk) => chunks.push(chunk));
      req.on('end', () => {
        this.handle(req, Buffer.concat(chunks)).then(
          ({ status, body, headers }) => send(res, status, body, headers),
          (error) => send(res, 500, { message: `stand-in failure: ${error.message}` }, {}),
        );
      });
    });
    await new Promise((done) => this.server.listen(port, '127.0.0.1', done));
    this.url = `http://127.0.0.1:${this.server.address().port}`;
    return this.url;
  }

  /** A CLI profile (YAML) that sends every API call here; `supabase … --profile <file>` reads it. */
  writeProfile(file) {
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

  stop() {
    const server = this.server;
    this.server = undefined;
    if (!server) return Promise.resolve();
    server.closeAllConnections?.();
    return new Promise((done) => server.close(() => done()));
  }

  async handle(req, raw) {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = (req.method ?? 'GET').toLowerCase();
    const match = findOperation(this.operations, method, url.pathname);
    if (!match) return this.reject(`${method.toUpperCase()} ${url.pathname} is not an operation of the document`, 404);
    const { operation, pathParams } = match;
    const id = operation.operationId;

    const problems = [];
    const authorization = req.headers.authorization;
    if (operation.bearer && !/^Bearer \S+$/.test(authorization ?? '')) problems.push('no bearer token');
    const parameters = this.checkParameters(operation, pathParams, url.searchParams, req.headers, problems);
    const body = await this.checkBody(operation, req.headers['content-type'], raw, problems);
    if (problems.length) return this.reject(`${id}: ${problems.join('; ')}`, 400);

    const token = authorization ?? '';
    const limit = this.countRequest(token);
    const request = {
      operationId: id,
      method: method.toUpperCase(),
      path: url.pathname,
      pathParams,
      query: url.searchParams,
      parameters,
      headers: req.headers,
      ...(authorization ? { authorization } : {}),
      body: body.value,
      files: body.files,
      bytes: raw.length,
    };
    this.requests.push(request);
    if (limit.exceeded) return { status: 429, body: undefined, headers: limit.headers };

    const answer = this.answers[id];
    if (!answer) return this.reject(`${id}: the test gave no answer`, 501, limit.headers);
    const given = await answer(request);
    const scripted = given && typeof given === 'object' && given[ANSWER];
    const status = scripted ? given.status : successStatus(operation);
    const answerBody = scripted ? given.body : given;
    const invalid = this.checkAnswer(operation, status, answerBody);
    if (invalid.length)
      return this.reject(`${id}: the canned ${status} answer does not fit the document: ${invalid.join('; ')}`, 500);
    const headers = { ...limit.headers, ...(scripted ? given.headers : {}) };
    if (status === 429) headers['x-ratelimit-remaining'] = '0';
    return { status, body: answerBody, headers };
  }

  /** Problems of an answer for `operationId` with `status`, as the stand-in would judge it; [] when it fits. */
  check(operationId, status, body) {
    const operation = this.operations.find((o) => o.operationId === operationId);
    if (!operation) return [`${operationId} is not an operation of the document`];
    return this.checkAnswer(operation, status, body);
  }

  checkAnswer(operation, status, body) {
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response)
      return [`the document declares no ${status} answer (it has ${Object.keys(operation.responses).join(', ')})`];
    const types = Object.keys(response.content ?? {});
    if (types.length === 0) return body === undefined ? [] : [`a ${status} answer has no body in the document`];
    if (body === undefined) return [`a ${status} answer has a body in the document, and the test gave none`];
    const type = types.includes('application/json') ? 'application/json' : types[0];
    const pointer = `${operation.pointer}/responses/${String(status) in operation.responses ? status : 'default'}/content/${escapePointer(type)}/schema`;
    return this.validate(pointer, body, 'answer');
  }

  checkParameters(operation, pathParams, query, headers, problems) {
    const values = {};
    for (const where of ['path', 'query', 'header']) {
      const declared = operation.parameters.filter((p) => p.in === where);
      const given = {};
      for (const p of declared) {
        const value =
          where === 'path'
            ? pathParams[p.name]
            : where === 'query'
              ? queryValue(query, p)
              : headers[p.name.toLowerCase()];
        if (value !== undefined) given[p.name] = value;
        else if (p.required) problems.push(`missing ${where} parameter ${p.name}`);
      }
      if (where === 'query')
        for (const name of new Set(query.keys()))
          if (!declared.some((p) => p.name === name)) problems.push(`query parameter ${name} is not in the document`);
      declared.forEach((p) => {
        if (given[p.name] === undefined || !p.schema) return;
        const holder = { value: given[p.name] };
        problems.push(
          ...this.coerce(`${operation.pointer}/parameters/${p.index}/schema`, holder, `${where} ${p.name}`),
        );
        given[p.name] = holder.value;
      });
      values[where] = given;
    }
    return values;
  }

  async checkBody(operation, contentType, raw, problems) {
    const declared = operation.requestBody;
    if (!declared) {
      if (raw.length > 0) problems.push('a body was sent, and the operation takes none');
      return { value: undefined, files: [] };
    }
    if (raw.length === 0) {
      if (declared.required) problems.push('the operation needs a body and none was sent');
      return { value: undefined, files: [] };
    }
    const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
    const types = Object.keys(declared.content ?? {});
    if (!types.includes(type)) {
      problems.push(`content type ${type || 'none'}, expected ${types.join(' or ')}`);
      return { value: undefined, files: [] };
    }
    const pointer = `${operation.pointer}/requestBody/content/${escapePointer(type)}/schema`;
    const schema = declared.content[type].schema ?? {};
    let value;
    let checked;
    let files = [];
    try {
      if (type === 'application/json') value = checked = JSON.parse(raw.toString('utf8'));
      else if (type === 'multipart/form-data')
        ({ value, checked, files } = await readMultipart(raw, contentType, schema, this.document));
      else if (type === 'application/x-www-form-urlencoded')
        value = checked = formObject(
          new URL(`http://form/?${raw.toString('utf8')}`).searchParams,
          schema,
          this.document,
        );
      else {
        value = raw;
        checked = `<${raw.length} bytes>`;
      }
    } catch (error) {
      problems.push(`the ${type} body could not be read: ${error.message}`);
      return { value: undefined, files: [] };
    }
    problems.push(...this.validate(pointer, checked, 'body', type !== 'application/json'));
    return { value, files };
  }

  countRequest(token) {
    const now = Date.now();
    let window = this.windows.get(token);
    if (!window || window.endsAt <= now) {
      window = { used: 0, endsAt: now + this.rateLimit.windowSeconds * 1000 };
      this.windows.set(token, window);
    }
    window.used++;
    const exceeded = window.used > this.rateLimit.limit;
    return {
      exceeded,
      headers: {
        'x-ratelimit-limit': String(this.rateLimit.limit),
        'x-ratelimit-remaining': String(Math.max(0, this.rateLimit.limit - window.used)),
        'x-ratelimit-reset': String(Math.max(0, Math.ceil((window.endsAt - now) / 1000))),
      },
    };
  }

  reject(why, status, headers = {}) {
    this.rejected.push(why);
    return { status, body: { message: why }, headers };
  }
}

/** The official document as the stand-in reads it (test/fixtures/management-api.openapi.json). */
export function loadManagementApiDocument(path = join(findProjectRoot(DOCUMENT_PATH), DOCUMENT_PATH)) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function createValidators(document) {
  const options = { allErrors: true, strict: true, strictTypes: false, discriminator: true, validateFormats: true };
  const ajv = new Ajv(options);
  // Query, path and header values arrive as text; OpenAPI says to read them as their schema's type.
  const ajvCoercing = new Ajv({ ...options, coerceTypes: 'array' });
  const schema = normalise(JSON.parse(JSON.stringify(document)));
  for (const instance of [ajv, ajvCoercing]) {
    addFormats(instance);
    // The formats OpenAPI adds for binary bodies: a file part or raw bytes, which the stand-in shows as text.
    instance.addFormat('binary', true);
    instance.addVocabulary([...OPENAPI_ANNOTATIONS, ...DOCUMENT_MEMBERS]);
    instance.addSchema(schema, DOCUMENT_ID);
  }
  const run = (instance, pointer, data, what) => {
    const validate = instance.getSchema(`${DOCUMENT_ID}#${pointer}`);
    if (!validate) return [`no schema at ${pointer}`];
    if (validate(data)) return [];
    return validate.errors.map((e) => `${what}${e.instancePath || ''} ${e.message}${describeParams(e)}`);
  };
  return {
    validate: (pointer, data, what, coerce = false) => run(coerce ? ajvCoercing : ajv, pointer, data, what),
    coerce: (pointer, holder, what) => {
      // Ajv coerces in place, inside a parent object: validate { value } against a schema that wraps the parameter's.
      const key = `http://stand-in.invalid/parameter${pointer}`;
      let validate = ajvCoercing.getSchema(key);
      if (!validate) {
        ajvCoercing.addSchema({ type: 'object', properties: { value: { $ref: `${DOCUMENT_ID}#${pointer}` } } }, key);
        validate = ajvCoercing.getSchema(key);
      }
      if (validate(holder)) return [];
      return validate.errors.map(
        (e) => `${what}${e.instancePath.replace(/^\/value/, '')} ${e.message}${describeParams(e)}`,
      );
    },
  };
}

/**
 * Upstream quirks, read as the document means them: `nullable` without a `type` (six properties) constrains nothing
 * under OpenAPI 3.0.3 and is dropped; security schemes it names but never defines (fga_permissions, oauth2) are not
 * checked, only `bearer` is.
 */
function normalise(node) {
  if (Array.isArray(node)) node.forEach(normalise);
  else if (node && typeof node === 'object') {
    if (node.nullable === true && !('type' in node)) delete node.nullable;
    for (const value of Object.values(node)) normalise(value);
  }
  return node;
}

function operationsOf(document) {
  const operations = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
      const operation = item[method];
      if (!operation) continue;
      const security = operation.security ?? document.security ?? [];
      const segments = template.split('/');
      operations.push({
        operationId: operation.operationId,
        method,
        template,
        pointer: `/paths/${escapePointer(template)}/${method}`,
        parameters: [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p, index) => ({ ...p, index })),
        requestBody: operation.requestBody,
        responses: operation.responses ?? {},
        bearer: security.some((requirement) => 'bearer' in requirement),
        pattern: new RegExp(`^${segments.map((s) => (/^\{.+\}$/.test(s) ? '([^/]+)' : escapeRegExp(s))).join('/')}$`),
        names: segments.filter((s) => /^\{.+\}$/.test(s)).map((s) => s.slice(1, -1)),
        // Literal segments first: /functions/deploy before /functions/{function_slug}.
        literals: segments.filter((s) => !/^\{.+\}$/.test(s)).length,
      });
    }
  }
  return operations.sort((a, b) => b.literals - a.literals);
}

function findOperation(operations, method, pathname) {
  for (const operation of operations) {
    if (operation.method !== method) continue;
    const match = operation.pattern.exec(pathname);
    if (match)
      return {
        operation,
        pathParams: Object.fromEntries(operation.names.map((n, i) => [n, decodeURIComponent(match[i + 1])])),
      };
  }
  return undefined;
}

/** A query parameter as OpenAPI's default form style sends it: repeated for a list, or comma-separated. */
function queryValue(query, parameter) {
  const values = query.getAll(parameter.name);
  if (values.length === 0) return undefined;
  if (parameter.schema?.type !== 'array') return values[0];
  return parameter.explode === false ? values.flatMap((v) => v.split(',')) : values;
}

/**
 * A multipart body as an object for its schema: text parts as they are (a part whose property is an object holds
 * JSON, OpenAPI's default for objects), files as "<file name, N bytes>" for the binary format; `files` lists them.
 */
async function readMultipart(raw, contentType, schema, document) {
  const form = await new globalThis.Response(raw, { headers: { 'content-type': contentType } }).formData();
  const properties = resolveRef(schema, document).properties ?? {};
  const value = {};
  const checked = {};
  const files = [];
  for (const name of new Set(form.keys())) {
    const property = resolveRef(properties[name] ?? {}, document);
    const parts = await Promise.all(
      form.getAll(name).map(async (part) => {
        if (typeof part === 'string') return { kept: part, shown: part };
        const bytes = Buffer.from(await part.arrayBuffer());
        files.push({ field: name, filename: part.name, contentType: part.type, size: bytes.length, bytes });
        return { kept: bytes, shown: `<${part.name}, ${bytes.length} bytes>` };
      }),
    );
    const item = property.type === 'array' ? resolveRef(property.items ?? {}, document) : property;
    const read = (part) =>
      item.type === 'object' && typeof part.shown === 'string' ? JSON.parse(part.shown) : part.shown;
    value[name] =
      property.type === 'array'
        ? parts.map((p) => (Buffer.isBuffer(p.kept) ? p.kept : read(p)))
        : Buffer.isBuffer(parts[0].kept)
          ? parts[0].kept
          : read(parts[0]);
    checked[name] = property.type === 'array' ? parts.map(read) : read(parts[0]);
  }
  return { value, checked, files };
}

function formObject(params, schema, document) {
  const properties = resolveRef(schema, document).properties ?? {};
  const object = {};
  for (const name of new Set(params.keys()))
    object[name] =
      resolveRef(properties[name] ?? {}, document).type === 'array' ? params.getAll(name) : params.get(name);
  return object;
}

function resolveRef(schema, document) {
  let node = schema;
  for (let depth = 0; node && node.$ref && depth < 10; depth++)
    node = node.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((at, key) => at?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], document);
  return node ?? {};
}

function successStatus(operation) {
  const codes = Object.keys(operation.responses).filter((c) => /^2\d\d$/.test(c));
  return codes.length ? Number(codes.sort()[0]) : 200;
}

function send(res, status, body, headers) {
  if (body === undefined || body === null) {
    res.writeHead(status, headers);
    res.end();
  } else if (Buffer.isBuffer(body) || typeof body === 'string') {
    res.writeHead(status, {
      'content-type': typeof body === 'string' ? 'text/plain' : 'application/octet-stream',
      ...headers,
    });
    res.end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  }
}

function describeParams(error) {
  const p = error.params ?? {};
  if (p.allowedValues) return ` (${p.allowedValues.join(', ')})`;
  if (p.additionalProperty) return ` (${p.additionalProperty})`;
  return '';
}

function escapePointer(text) {
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

function escapeRegExp(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
