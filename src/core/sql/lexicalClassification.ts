// The risk of SQL judged by our own lexer, without the PostgreSQL parser: only for SQL handed to psql inside a
// shell snippet (core/safety/psqlScript.ts), which is judged where no parser is loaded. Runbook SQL blocks and
// `check --db` are judged from the real parse tree and the server's catalog (classifyStatement.ts,
// catalogVerdict.ts). What a lexer cannot read for sure is judged the worst way: a function whose name is
// written with Unicode escapes (U&"…") asks first, since its name cannot be read here.
import { dollarQuotedBody, isCodeToken, splitStatementsLexically, tokenizeSql, type SqlToken } from './sqlLexer';
import {
  admin,
  GUARDED_SETTINGS,
  read,
  riskiest,
  schema,
  write,
  type SqlBlockClassification,
  type SqlClassification,
} from './sqlRisk';
import { functionEffect, queryTextArguments, runsCursorQuery } from './sideEffectFunctions';

/** The highest risk of SQL text (one or more statements) handed to psql, and which statement decided it. */
export function classifySqlTextWithoutParser(text: string): SqlBlockClassification {
  return classifyBlock(splitStatementsLexically(text));
}

function classifyStatement(statement: string): SqlClassification {
  return classifyAtDepth(statement, 0);
}

/** Query text inside query text (`query_to_xml('select query_to_xml(''…'')')`) is judged this deep, then assumed the worst. */
const MAX_INNER_QUERY_DEPTH = 4;

function classifyAtDepth(statement: string, depth: number): SqlClassification {
  const tokens = tokenizeSql(statement).filter(isCodeToken);
  return riskiest([classifyCommand(tokens, 0), ...classifyFunctionCalls(tokens, depth)])!;
}

/** The highest risk among a block's statements. */
function classifyBlock(statements: readonly (string | { readonly text: string })[]): SqlBlockClassification {
  const verdicts = statements.map((statement, index) => ({
    ...classifyStatement(typeof statement === 'string' ? statement : statement.text),
    statementIndex: index,
  }));
  return riskiest(verdicts) ?? { risk: 'read', reason: 'the block holds no statement' };
}

// CREATE/ALTER/DROP of these objects changes who may do what, or the server itself.
const ADMIN_OBJECTS = new Set([
  'role',
  'user',
  'group',
  'database',
  'tablespace',
  'system',
  'subscription',
  'publication',
  'server',
  'owned',
  'privileges',
]);
const DDL_OBJECT_MODIFIERS = new Set([
  'or',
  'replace',
  'temporary',
  'temp',
  'unlogged',
  'global',
  'local',
  'trusted',
  'procedural',
  'default',
  'unique',
  'recursive',
  'if',
  'not',
  'exists',
]);

const TRANSACTION_CONTROL = new Set(['begin', 'start', 'commit', 'end', 'rollback', 'abort', 'savepoint', 'release']);
const MAINTENANCE = new Set(['vacuum', 'analyze', 'analyse', 'cluster', 'reindex', 'refresh']);

function classifyCommand(tokens: readonly SqlToken[], start: number): SqlClassification {
  let i = start;
  while (isPunctuation(tokens[i], '(')) i++;
  if (i >= tokens.length)
    return start === 0 ? read('the statement is empty') : write('the statement is incomplete; treated as a write');
  const first = wordAt(tokens, i);
  if (first === undefined)
    return write(`"${tokens[i].text}" does not start a statement known to be read-only; treated as a write`);
  const command = first.toUpperCase();
  switch (first) {
    case 'select':
    case 'values':
    case 'table':
    case 'with':
      return classifyQuery(tokens, i);
    case 'show':
      return read('SHOW only reads a setting');
    case 'fetch':
    case 'move':
    case 'close':
      return read(`${command} only reads from an open cursor`);
    case 'explain':
      return classifyExplain(tokens, i);
    case 'insert':
    case 'update':
    case 'delete':
    case 'merge':
      return write(`${command} changes rows`);
    case 'truncate':
      return write('TRUNCATE removes every row of the table');
    case 'copy':
      return write('COPY moves data between a table and a file, a program or the client');
    case 'call':
      return write('CALL runs a procedure, which may change data');
    case 'do':
      return write('DO runs an anonymous code block, which may change data');
    case 'lock':
      return write('LOCK takes table locks that block other sessions');
    case 'notify':
    case 'listen':
    case 'unlisten':
      return write(`${command} acts on the session's notification channels`);
    case 'set':
    case 'reset':
      return classifySetting(tokens, i);
    case 'discard':
    case 'deallocate':
      return write(`${command} changes the session's state`);
    case 'execute':
      return write('EXECUTE runs a prepared statement whose text is not shown here');
    case 'prepare':
      if (wordAt(tokens, i + 1) === 'transaction')
        return admin('PREPARE TRANSACTION is transaction control: the runner manages the transaction');
      return classifyInner(tokens, indexOfWord(tokens, 'as', i + 1), 'PREPARE');
    case 'declare':
      return classifyInner(tokens, indexOfWord(tokens, 'for', i + 1), 'DECLARE CURSOR');
    case 'grant':
    case 'revoke':
      return admin(`${command} changes privileges`);
    case 'create':
    case 'alter':
    case 'drop':
    case 'comment':
    case 'security':
    case 'import':
    case 'reassign':
      return classifyDefinition(tokens, i);
    case 'checkpoint':
      return admin('CHECKPOINT forces a checkpoint on the server');
    case 'load':
      return admin('LOAD loads a shared library into the server');
    default:
      if (TRANSACTION_CONTROL.has(first))
        return admin(`${command} is transaction control: the runner manages the transaction`);
      if (MAINTENANCE.has(first)) {
        const what =
          first === 'analyze' || first === 'analyse' ? 'rewrites planner statistics' : 'rewrites or locks tables';
        return write(`${command} is maintenance that ${what}`);
      }
      return write(`${command} is not a statement known to be read-only; treated as a write`);
  }
}

/** SELECT, VALUES, TABLE and WITH: reads, unless they modify, lock or create. */
function classifyQuery(tokens: readonly SqlToken[], start: number): SqlClassification {
  const isWith = wordAt(tokens, start) === 'with';
  for (let i = start; i < tokens.length; i++) {
    const word = wordAt(tokens, i);
    if (word === undefined) continue;
    const previous = wordAt(tokens, i - 1);
    if (word === 'for') {
      const lock = lockingClause(tokens, i + 1);
      if (lock) return write(`FOR ${lock} takes row locks that block other sessions`);
    } else if (
      (word === 'insert' || word === 'update' || word === 'delete' || word === 'merge') &&
      previous !== 'for' &&
      previous !== 'key'
    ) {
      return write(
        isWith
          ? `data-modifying WITH: ${word.toUpperCase()} changes rows`
          : `contains ${word.toUpperCase()}, which changes rows`,
      );
    } else if (word === 'into' && previous !== 'insert' && previous !== 'merge') {
      return write('SELECT INTO creates a table');
    }
  }
  return read(isWith ? 'WITH query only reads' : `${(wordAt(tokens, start) ?? 'select').toUpperCase()} only reads`);
}

/** `FOR UPDATE`, `FOR NO KEY UPDATE`, `FOR SHARE`, `FOR KEY SHARE`, or undefined. */
function lockingClause(tokens: readonly SqlToken[], i: number): string | undefined {
  const a = wordAt(tokens, i);
  const b = wordAt(tokens, i + 1);
  const c = wordAt(tokens, i + 2);
  if (a === 'update' || a === 'share') return a.toUpperCase();
  if (a === 'no' && b === 'key' && c === 'update') return 'NO KEY UPDATE';
  if (a === 'key' && b === 'share') return 'KEY SHARE';
  return undefined;
}

/** EXPLAIN only plans; EXPLAIN ANALYZE runs the statement, so it is as risky as the statement. */
function classifyExplain(tokens: readonly SqlToken[], start: number): SqlClassification {
  let i = start + 1;
  let analyze = false;
  if (isPunctuation(tokens[i], '(')) {
    let depth = 0;
    let optionStart = true;
    for (; i < tokens.length; i++) {
      if (isPunctuation(tokens[i], '(')) depth++;
      else if (isPunctuation(tokens[i], ')') && --depth === 0) {
        i++;
        break;
      } else if (isPunctuation(tokens[i], ',')) optionStart = true;
      else if (optionStart) {
        optionStart = false;
        const option = wordAt(tokens, i);
        if (option === 'analyze' || option === 'analyse') {
          const value = tokens[i + 1]?.text.toLowerCase();
          analyze = !['false', 'off', '0', 'no', "'false'", "'off'", "'no'", "'0'"].includes(value ?? '');
        }
      }
    }
  } else {
    for (
      let word = wordAt(tokens, i);
      word === 'analyze' || word === 'analyse' || word === 'verbose';
      word = wordAt(tokens, ++i)
    ) {
      if (word !== 'verbose') analyze = true;
    }
  }
  const inner = classifyCommand(tokens, i);
  if (!analyze) return read('EXPLAIN without ANALYZE only plans the statement');
  if (inner.risk === 'read') return read('EXPLAIN ANALYZE of a query that only reads');
  return { risk: inner.risk, reason: `EXPLAIN ANALYZE runs the statement: ${inner.reason}` };
}

function classifyInner(tokens: readonly SqlToken[], innerStart: number, what: string): SqlClassification {
  if (innerStart < 0) return write(`${what} without a visible statement; treated as a write`);
  const inner = classifyCommand(tokens, innerStart + 1);
  return {
    risk: inner.risk,
    reason: `${what} of a statement that ${inner.risk === 'read' ? 'only reads' : `is a ${inner.risk}: ${inner.reason}`}`,
  };
}

function classifySetting(tokens: readonly SqlToken[], start: number): SqlClassification {
  const command = wordAt(tokens, start) === 'set' ? 'SET' : 'RESET';
  let i = start + 1;
  const scope = wordAt(tokens, i);
  if (scope === 'session' || scope === 'local') {
    const after = wordAt(tokens, i + 1);
    // `SET SESSION AUTHORIZATION` and `SET SESSION CHARACTERISTICS` are commands, not a scope.
    if (after === 'authorization') return admin(`${command} SESSION AUTHORIZATION changes the user statements run as`);
    if (after === 'characteristics')
      return admin('SET SESSION CHARACTERISTICS changes whether later transactions may write');
    i++;
  }
  const target = wordAt(tokens, i) ?? unquotedIdentifier(tokens[i]);
  if (target === 'role') return admin(`${command} ROLE changes the role statements run as`);
  if (target === 'transaction') return admin('SET TRANSACTION changes the transaction the runner manages');
  if (target === 'constraints') return write('SET CONSTRAINTS changes when constraints are checked');
  if (target === 'all') return write('RESET ALL changes session settings');
  if (target !== undefined && GUARDED_SETTINGS.has(target))
    return admin(`${command} ${target} changes who the session is or whether it may write`);
  return write(`${command} changes the session setting ${target ?? ''}`.trimEnd());
}

function classifyDefinition(tokens: readonly SqlToken[], start: number): SqlClassification {
  const command = (wordAt(tokens, start) ?? '').toUpperCase();
  if (command === 'REASSIGN') return admin('REASSIGN OWNED changes who owns objects');
  if (command === 'COMMENT') return schema("COMMENT ON changes the schema's comments");
  if (command === 'SECURITY') return schema("SECURITY LABEL changes the schema's security labels");
  if (command === 'IMPORT') return schema('IMPORT FOREIGN SCHEMA creates foreign tables');
  let i = start + 1;
  while (DDL_OBJECT_MODIFIERS.has(wordAt(tokens, i) ?? '')) i++;
  const object = wordAt(tokens, i);
  if (object === undefined) return schema(`${command} changes the schema`);
  if (ADMIN_OBJECTS.has(object)) {
    const what =
      object === 'system' ? 'the server configuration' : object === 'privileges' ? 'default privileges' : `a ${object}`;
    return admin(`${command} ${object.toUpperCase()} changes ${what}`);
  }
  const twoWordObject =
    ['materialized', 'foreign', 'event', 'access', 'text'].includes(object) && wordAt(tokens, i + 1);
  const objectName = (twoWordObject ? `${object} ${wordAt(tokens, i + 1)}` : object).toUpperCase();
  return schema(`${command} ${objectName} changes the schema`);
}

/** Functions called anywhere in the statement that do more than read, and queries run from query text. */
function classifyFunctionCalls(tokens: readonly SqlToken[], depth: number): SqlClassification[] {
  const verdicts: SqlClassification[] = [];
  for (let i = 0; i < tokens.length; i++) {
    // `U&"pg_terminate\005fbackend"` and `U&"…" UESCAPE '!'` name what the escapes spell: only the parser reads that.
    if (tokens[i].kind === 'quoted-identifier' && /^[uU]&/.test(tokens[i].text)) {
      verdicts.push(
        admin(
          `uses ${tokens[i].text}, a name written with Unicode escapes, which could name any function; it cannot be read without PostgreSQL's parser`,
        ),
      );
      continue;
    }
    if (!isPunctuation(tokens[i + 1], '(')) continue;
    const name = wordAt(tokens, i) ?? unquotedIdentifier(tokens[i]);
    if (name === undefined) continue;
    const schema = isPunctuation(tokens[i - 1], '.')
      ? (wordAt(tokens, i - 2) ?? unquotedIdentifier(tokens[i - 2]))
      : undefined;
    // `CREATE FUNCTION set_config(...)` defines, it does not call.
    let before = i - 1;
    while (isPunctuation(tokens[before], '.') && tokens[before - 1] !== undefined) before -= 2;
    if (['function', 'procedure', 'routine', 'aggregate'].includes(wordAt(tokens, before) ?? '')) continue;
    const called = schema ? `${schema}.${name}` : name;
    const effect = functionEffect(name, schema);
    if (effect) verdicts.push({ risk: effect.risk, reason: `calls ${called}(), which ${effect.effect}` });
    const queryArguments = queryTextArguments(name, argumentsAt(tokens, i + 1).length);
    if (queryArguments) verdicts.push(...classifyQueryArguments(tokens, i + 1, called, queryArguments, depth));
    if (runsCursorQuery(name))
      verdicts.push(
        admin(
          `calls ${called}(), which runs the query of a cursor opened elsewhere; what that query does cannot be seen here`,
        ),
      );
  }
  return verdicts;
}

/** The query text a function such as query_to_xml() runs: judged when written out, the worst assumed when not. */
function classifyQueryArguments(
  tokens: readonly SqlToken[],
  open: number,
  called: string,
  which: readonly number[],
  depth: number,
): SqlClassification[] {
  const args = argumentsAt(tokens, open);
  const verdicts: SqlClassification[] = [];
  for (const index of which) {
    const arg = args[index];
    if (arg === undefined) continue;
    const text = arg.length === 1 ? literalText(arg[0]) : undefined;
    if (text === undefined || depth >= MAX_INNER_QUERY_DEPTH) {
      verdicts.push(
        admin(
          `calls ${called}(), which runs query text that is not written out here (a value or expression), so what it does cannot be seen`,
        ),
      );
      continue;
    }
    const inner = classifyAtDepth(text, depth + 1);
    if (inner.risk !== 'read')
      verdicts.push({
        risk: inner.risk,
        reason: `calls ${called}(), which runs the query it is given: ${inner.reason}`,
      });
  }
  return verdicts;
}

/** The tokens of each top-level argument of the call whose `(` is at `open`. */
function argumentsAt(tokens: readonly SqlToken[], open: number): SqlToken[][] {
  const args: SqlToken[][] = [[]];
  let depth = 0;
  for (let i = open + 1; i < tokens.length; i++) {
    const token = tokens[i];
    if (isPunctuation(token, '(') || isPunctuation(token, '[')) depth++;
    else if (isPunctuation(token, ')') || isPunctuation(token, ']')) {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && isPunctuation(token, ',')) {
      args.push([]);
      continue;
    }
    args[args.length - 1].push(token);
  }
  return args[0].length === 0 && args.length === 1 ? [] : args;
}

/** The text of a plain '…' or $$…$$ literal; undefined for E'', U&'', B'' and X'' literals, whose text needs more care. */
function literalText(token: SqlToken): string | undefined {
  if (token.kind === 'dollar-string') {
    const body = dollarQuotedBody(token.text);
    return body.closed ? token.text.slice(body.start, body.end) : undefined;
  }
  if (token.kind !== 'string' || !token.text.startsWith("'") || token.text.length < 2 || !token.text.endsWith("'"))
    return undefined;
  return token.text.slice(1, -1).replace(/''/g, "'");
}

function wordAt(tokens: readonly SqlToken[], i: number): string | undefined {
  const token = tokens[i];
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

/** `"pg_terminate_backend"` names the same function as the bare word; `"PG_TERMINATE_BACKEND"` does not. */
function unquotedIdentifier(token: SqlToken | undefined): string | undefined {
  if (token?.kind !== 'quoted-identifier' || !token.text.startsWith('"')) return undefined;
  return token.text.slice(1, -1).replace(/""/g, '"');
}

function indexOfWord(tokens: readonly SqlToken[], word: string, from: number): number {
  for (let i = from; i < tokens.length; i++) if (wordAt(tokens, i) === word) return i;
  return -1;
}

function isPunctuation(token: SqlToken | undefined, text: string): boolean {
  return token?.kind === 'punctuation' && token.text === text;
}
