// Fills a runbook statement's `<name>` placeholders without ever pasting a value into SQL text.
// A value the statement compares or stores ('<org_id>', '%<term>%', `= <id>`, `LIMIT <n>`) becomes a
// bind parameter ($1, $2, ...), so `x'; drop table audit_log; --` stays data. A name the statement
// uses as a table or column (`FROM <table_name>`) cannot be a parameter in Postgres, so it must be a
// plain identifier and is emitted double-quoted. A name followed by `(` would be a function the
// value chooses (`SELECT <fn>(pid)` with pg_terminate_backend), so that is refused: a placeholder
// can name a table or column, never a function. Placeholders in comments are left alone, and the
// scan is token-based, so `<>`, `<=` and `a < b` are never mistaken for placeholders.
import { dollarQuotedBody, isCodeToken, placeholderLengthAt, tokenizeSql, type SqlToken } from './sqlLexer';

export type SqlPlaceholderKind = 'literal' | 'identifier';

export interface SqlPlaceholderUse {
  name: string;
  /** literal: bound as a parameter; identifier: a validated, double-quoted name. */
  kind: SqlPlaceholderKind;
  /** Offset of the `<` in the scanned text. */
  offset: number;
  /** A name followed by `(`: the value would choose the function called. Never bound. */
  call?: true;
  /** Inside a quoted name (`"<table>"`, `"tmp_<suffix>"`): the value is one part of that name, never schema.name. */
  namePart?: true;
}

export interface BoundStatement {
  /** The statement with placeholders replaced; empty when there are problems. */
  text: string;
  /** Parameter values in $n order; empty when there are problems. */
  values: string[];
  /** Why the statement cannot run as written, one sentence each. */
  problems: string[];
}

export type PlaceholderValues = Readonly<Record<string, string | undefined>> | ReadonlyMap<string, string>;

/** Postgres truncates longer names (NAMEDATALEN - 1), which would silently name another object. */
export const MAX_IDENTIFIER_BYTES = 63;

const PLAIN_IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_$]*$/u;

// Only these statements go through Postgres's parse analysis with parameters; utility statements
// (SET, ALTER, COMMENT, ...) reject $1, so a literal placeholder there cannot be bound.
const ACCEPTS_PARAMETERS = new Set([
  'select',
  'insert',
  'update',
  'delete',
  'merge',
  'values',
  'table',
  'with',
  'explain',
  'call',
  'declare',
]);

// Words after which a name followed by `(` is a table and its column list, not a call:
// `INSERT INTO <t> (a, b)`, `CREATE TABLE [IF NOT EXISTS] <t> (…)`, `REFERENCES <t> (id)`, `COPY <t> (a)`.
const RELATION_BEFORE_COLUMN_LIST = new Set(['into', 'table', 'exists', 'references', 'copy']);

// Words after which a bare placeholder is a value, not a name: `LIMIT <n>`, `LIKE <pattern>`.
const VALUE_KEYWORDS = new Set(['limit', 'offset', 'like', 'ilike', 'between']);

// Type names that can prefix a string literal (`interval '<n> minutes'`); the literal must become a CAST.
const LITERAL_TYPE_NAMES = new Set([
  'bigint',
  'bit',
  'bool',
  'boolean',
  'bytea',
  'char',
  'character',
  'cidr',
  'date',
  'decimal',
  'float',
  'float4',
  'float8',
  'inet',
  'int',
  'int2',
  'int4',
  'int8',
  'integer',
  'interval',
  'json',
  'jsonb',
  'macaddr',
  'money',
  'numeric',
  'real',
  'regclass',
  'regnamespace',
  'regproc',
  'regprocedure',
  'regrole',
  'regtype',
  'smallint',
  'text',
  'time',
  'timestamp',
  'timestamptz',
  'timetz',
  'tsquery',
  'tsvector',
  'uuid',
  'varchar',
  'xml',
  'zone',
  'precision',
  'varying',
]);

/**
 * Every placeholder use in `text` (one statement or a whole block), in order; comments are skipped. This is the
 * one place that decides which uses would name the function called (`call`): bindPlaceholders refuses exactly those.
 */
export function findSqlPlaceholders(text: string): SqlPlaceholderUse[] {
  return placeholderUses(tokenizeSql(text));
}

function placeholderUses(tokens: readonly SqlToken[]): SqlPlaceholderUse[] {
  const uses: SqlPlaceholderUse[] = [];
  const code = tokens.filter(isCodeToken);
  code.forEach((token, index) => {
    const previousCode = code[index - 1];
    const call = isCallPosition(previousCode, code[index + 1]) ? { call: true as const } : {};
    if (token.kind === 'placeholder') {
      uses.push(
        isValuePosition(previousCode)
          ? { name: token.text.slice(1, -1), kind: 'literal', offset: token.start }
          : { name: token.text.slice(1, -1), kind: 'identifier', offset: token.start, ...call },
      );
    } else if (token.kind === 'quoted-identifier') {
      for (const found of placeholdersInside(token))
        uses.push({ name: found.name, kind: 'identifier', offset: token.start + found.at, namePart: true, ...call });
    } else if (token.kind === 'string' || token.kind === 'dollar-string') {
      for (const found of placeholdersInside(token))
        uses.push({ name: found.name, kind: 'literal', offset: token.start + found.at });
    }
  });
  return uses;
}

/** What to say about a placeholder that would name the function called. */
export function functionPlaceholderProblem(name: string): string {
  return `<${name}> is followed by "(", so its value would choose the function called: a placeholder can name a table or column, not a function. Write the function's name in the runbook.`;
}

/** Binds one statement's placeholders to `values`; see the file comment for the rules. */
export function bindPlaceholders(statement: string, values: PlaceholderValues): BoundStatement {
  const tokens = tokenizeSql(statement);
  const calls = new Set(
    placeholderUses(tokens)
      .filter((use) => use.call)
      .map((use) => use.offset),
  );
  const codeTokens = tokens.filter(isCodeToken);
  const leadingWord = codeTokens.find((t) => !(t.kind === 'punctuation' && t.text === '('));
  const command = leadingWord?.kind === 'word' ? leadingWord.text.toLowerCase() : '';
  const out: string[] = []; // one entry per token, so a type prefix can be taken back for a CAST
  const bound: string[] = [];
  const numbers = new Map<string, number>();
  const problems: string[] = [];
  let previousCode: { token: SqlToken; index: number } | undefined;

  const parameterFor = (name: string): string | undefined => {
    if (!ACCEPTS_PARAMETERS.has(command)) {
      problems.push(
        `<${name}> is a value, but PostgreSQL accepts bind parameters only in SELECT, INSERT, UPDATE, DELETE, MERGE, VALUES, CALL, DECLARE and EXPLAIN; in a ${command.toUpperCase() || 'statement like this'} it would have to be pasted into the SQL text, which is never done.`,
      );
      return undefined;
    }
    const value = lookup(values, name);
    if (value === undefined) {
      problems.push(`No value for <${name}>.`);
      return undefined;
    }
    let number = numbers.get(name);
    if (number === undefined) {
      bound.push(value);
      number = bound.length;
      numbers.set(name, number);
    }
    return `$${number}`;
  };

  tokens.forEach((token, index) => {
    let emitted = token.text;
    const called =
      token.kind === 'placeholder' && calls.has(token.start)
        ? [token.text.slice(1, -1)]
        : token.kind === 'quoted-identifier'
          ? placeholdersInside(token)
              .filter((found) => calls.has(token.start + found.at))
              .map((found) => found.name)
          : [];
    if (called.length > 0) {
      for (const name of called) problems.push(functionPlaceholderProblem(name));
    } else if (token.kind === 'parameter') {
      problems.push(
        `The statement already uses the positional parameter ${token.text}; write a <name> placeholder instead.`,
      );
    } else if (token.kind === 'placeholder') {
      const name = token.text.slice(1, -1);
      if (isValuePosition(previousCode?.token)) {
        emitted = parameterFor(name) ?? token.text;
      } else if (isGlued(tokens[index - 1]) || isGlued(tokens[index + 1])) {
        problems.push(
          `<${name}> is written against other text; make the whole name the placeholder, e.g. FROM <table_name>.`,
        );
      } else {
        emitted = identifierFor(name, lookup(values, name), problems) ?? token.text;
      }
    } else if (token.kind === 'string') {
      const literal = bindStringLiteral(token, parameterFor, problems);
      if (literal !== undefined && previousCode) {
        // `interval '<n> minutes'` cannot take an expression: turn it into CAST(... AS interval).
        const typeStart = typePrefixStart(tokens, previousCode.index);
        if (typeStart !== undefined) {
          const typeText = statement.slice(tokens[typeStart].start, previousCode.token.end);
          out.length = typeStart;
          emitted = `CAST(${literal} AS ${typeText})`;
        } else emitted = literal;
      } else if (literal !== undefined) emitted = literal;
    } else if (token.kind === 'quoted-identifier') {
      emitted = bindQuotedIdentifier(token, values, problems) ?? token.text;
    } else if (token.kind === 'dollar-string') {
      for (const found of placeholdersInside(token)) {
        problems.push(
          `<${found.name}> is inside a dollar-quoted body ($$ ... $$), where a value cannot be bound; move it out of the body.`,
        );
      }
    }
    out.push(emitted);
    if (isCodeToken(token)) previousCode = { token, index };
  });

  if (problems.length > 0) return { text: '', values: [], problems };
  return { text: out.join(''), values: bound, problems };
}

/** Double-quotes a name (`audit_log`, `public.audit_log`) for use as an identifier, or reports why it cannot be one. */
export function quoteIdentifierValue(value: string): { text: string } | { problem: string } {
  const parts = value.trim().split('.');
  if (parts.length > 2 || parts.some((part) => !PLAIN_IDENTIFIER.test(part))) {
    return {
      problem:
        'must be a name such as audit_log or public.audit_log (letters, digits, _ and $, not starting with a digit)',
    };
  }
  if (parts.some((part) => utf8Length(part) > MAX_IDENTIFIER_BYTES)) {
    return { problem: `is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte limit for names` };
  }
  return { text: parts.map((part) => `"${part.replace(/"/g, '""')}"`).join('.') };
}

/**
 * Checks a value that fills part of a quoted name (`"<table>"`, `"tmp_<suffix>"`): one plain name, no schema, at
 * most 63 bytes. The prompt (placeholderValueProblem) and the binder both use this rule.
 */
export function namePartProblem(value: string): string | undefined {
  const part = value.trim();
  if (!PLAIN_IDENTIFIER.test(part))
    return 'must be letters, digits, _ and $ only, not starting with a digit (one name, no schema: it is part of a quoted name)';
  if (utf8Length(part) > MAX_IDENTIFIER_BYTES)
    return `is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte limit for names`;
  return undefined;
}

function identifierFor(name: string, value: string | undefined, problems: string[]): string | undefined {
  if (value === undefined) {
    problems.push(`No value for <${name}>.`);
    return undefined;
  }
  const quoted = quoteIdentifierValue(value);
  if ('problem' in quoted) {
    problems.push(
      `<${name}> is used as a name and ${quoted.problem}; got ${describe(value)}. If it is a value, write it in quotes: '<${name}>'.`,
    );
    return undefined;
  }
  return quoted.text;
}

/** `'<org_id>'` → `$1`; `'%<term>%'` → `('%' || $1 || '%')`; undefined when it has no placeholder or cannot be bound. */
function bindStringLiteral(
  token: SqlToken,
  parameterFor: (name: string) => string | undefined,
  problems: string[],
): string | undefined {
  const inside = placeholdersInside(token);
  if (inside.length === 0) return undefined;
  const quoteAt = token.text.indexOf("'");
  const prefix = token.text.slice(0, quoteAt);
  if (!['', 'e', 'n'].includes(prefix.toLowerCase())) {
    for (const found of inside)
      problems.push(`<${found.name}> is inside a ${prefix}'' literal, where a value cannot be bound.`);
    return undefined;
  }
  const bodyStart = quoteAt + 1;
  const bodyEnd = token.text.length > bodyStart && token.text.endsWith("'") ? token.text.length - 1 : token.text.length;
  const parts: string[] = [];
  let cursor = bodyStart;
  let failed = false;
  for (const found of inside) {
    if (found.at > cursor) parts.push(`${prefix}'${token.text.slice(cursor, found.at)}'`);
    const parameter = parameterFor(found.name);
    if (parameter === undefined) failed = true;
    else parts.push(parameter);
    cursor = found.at + found.name.length + 2;
  }
  if (bodyEnd > cursor) parts.push(`${prefix}'${token.text.slice(cursor, bodyEnd)}'`);
  if (failed) return undefined;
  return parts.length === 1 ? parts[0] : `(${parts.join(' || ')})`;
}

/** `"<table>"` or `"tmp_<suffix>"`: each placeholder must be a plain name part; the result is re-quoted. */
function bindQuotedIdentifier(token: SqlToken, values: PlaceholderValues, problems: string[]): string | undefined {
  const inside = placeholdersInside(token);
  if (inside.length === 0) return undefined;
  if (!token.text.startsWith('"')) {
    for (const found of inside) problems.push(`<${found.name}> is inside a U&"" identifier, which is not supported.`);
    return undefined;
  }
  let name = '';
  let cursor = 1;
  const end = token.text.length > 1 && token.text.endsWith('"') ? token.text.length - 1 : token.text.length;
  for (const found of inside) {
    name += token.text.slice(cursor, found.at).replace(/""/g, '"');
    const value = lookup(values, found.name);
    if (value === undefined) {
      problems.push(`No value for <${found.name}>.`);
      return undefined;
    }
    const problem = namePartProblem(value);
    if (problem !== undefined) {
      problems.push(`<${found.name}> is part of a quoted name and ${problem}; got ${describe(value)}.`);
      return undefined;
    }
    name += value.trim();
    cursor = found.at + found.name.length + 2;
  }
  name += token.text.slice(cursor, end).replace(/""/g, '"');
  if (utf8Length(name) > MAX_IDENTIFIER_BYTES) {
    problems.push(`The name "${name}" is longer than PostgreSQL's ${MAX_IDENTIFIER_BYTES}-byte limit.`);
    return undefined;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** Placeholders inside a string, dollar-string or quoted identifier, with offsets relative to the token. */
function placeholdersInside(token: SqlToken): { name: string; at: number }[] {
  const text = token.text;
  if (!text.includes('<')) return [];
  const backslashEscapes = token.kind === 'string' && /^[eE]'/.test(text);
  let bodyStart: number;
  let bodyEnd = text.length;
  if (token.kind === 'dollar-string') {
    ({ start: bodyStart, end: bodyEnd } = dollarQuotedBody(text));
  } else {
    const quote = token.kind === 'quoted-identifier' ? '"' : "'";
    bodyStart = text.indexOf(quote) + 1;
  }
  const found: { name: string; at: number }[] = [];
  for (let i = bodyStart; i < bodyEnd; i++) {
    if (backslashEscapes && text[i] === '\\') {
      i++; // `E'\<x>'` is an escaped character, not a placeholder
      continue;
    }
    if (text[i] !== '<') continue;
    const length = placeholderLengthAt(text, i);
    if (length > 0 && i + length <= bodyEnd) {
      found.push({ name: text.slice(i + 1, i + length - 1), at: i });
      i += length - 1;
    }
  }
  return found;
}

/** A name followed by `(` is called, unless it is a table with its column list (`INSERT INTO <t> (a)`). */
function isCallPosition(previous: SqlToken | undefined, next: SqlToken | undefined): boolean {
  if (next?.kind !== 'punctuation' || next.text !== '(') return false;
  return !(previous?.kind === 'word' && RELATION_BEFORE_COLUMN_LIST.has(previous.text.toLowerCase()));
}

/** A bare placeholder after an operator (`= <id>`, `|| <suffix>`) or LIMIT/OFFSET/LIKE is a value. */
function isValuePosition(previous: SqlToken | undefined): boolean {
  if (!previous) return false;
  if (previous.kind === 'operator') return true;
  return previous.kind === 'word' && VALUE_KEYWORDS.has(previous.text.toLowerCase());
}

function isGlued(neighbour: SqlToken | undefined): boolean {
  return (
    neighbour !== undefined &&
    ['word', 'number', 'quoted-identifier', 'string', 'placeholder', 'parameter', 'dollar-string'].includes(
      neighbour.kind,
    )
  );
}

/** Index of the first token of a type name that prefixes a literal (`interval`, `timestamp with time zone`). */
function typePrefixStart(tokens: readonly SqlToken[], lastIndex: number): number | undefined {
  const words: { word: string; index: number }[] = [];
  for (let i = lastIndex; i >= 0 && words.length < 4; i--) {
    if (!isCodeToken(tokens[i])) continue;
    if (tokens[i].kind !== 'word') break;
    words.unshift({ word: tokens[i].text.toLowerCase(), index: i });
  }
  const last = words[words.length - 1];
  if (!last || !LITERAL_TYPE_NAMES.has(last.word)) return undefined;
  const tail = words.map((w) => w.word).join(' ');
  const multiWord: [RegExp, number][] = [
    [/(?:^| )(?:timestamp|time) with(?:out)? time zone$/, 4],
    [/(?:^| )double precision$/, 2],
    [/(?:^| )(?:character|bit) varying$/, 2],
  ];
  for (const [pattern, count] of multiWord) if (pattern.test(tail)) return words[words.length - count].index;
  if (['zone', 'precision', 'varying'].includes(last.word)) return undefined;
  return last.index;
}

function lookup(values: PlaceholderValues, name: string): string | undefined {
  if (values instanceof Map) return values.get(name);
  const record = values as Readonly<Record<string, string | undefined>>;
  return Object.prototype.hasOwnProperty.call(record, name) ? record[name] : undefined;
}

function describe(value: string): string {
  return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}
