// Judges how much a SQL statement can change before the user runs it, from PostgreSQL's own parse tree: the kind
// of statement, data-modifying WITH, locking clauses, and every function it calls, with names as the server
// resolves them (so `U&"pg_terminate\005fbackend"(pid)` is pg_terminate_backend). Strings, quoted names and
// comments never count: `'please delete me'` is not a DELETE. This is the verdict that needs no connection; before
// a run, the server's catalog is asked about every function, operator and view the statement reaches
// (catalogVerdict.ts), and the riskier of the two answers counts.
import { calledObjects, callName, emptyObjects, mergeObjects, type CalledObjects } from './calledObjects';
import { listField, nodeFields, nodeKind, statementOf, stringConstant, walkTree } from './parseTree';
import { functionEffect, queryTextArguments, runsCursorQuery } from './sideEffectFunctions';
import type { PgNode, SqlParser } from './sqlParser';
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

export type { SqlBlockClassification, SqlClassification, SqlRisk } from './sqlRisk';
export { riskiest } from './sqlRisk';

export interface StatementJudgement extends SqlClassification {
  /** What the statement calls and reads, query text it hands to functions included, for the catalog to judge. */
  objects: CalledObjects;
}

/** Query text inside query text (`query_to_xml('select query_to_xml(''…'')')`) is judged this deep, then assumed the worst. */
const MAX_INNER_QUERY_DEPTH = 4;

/** The verdict on SQL text holding one statement (or several, the riskiest counts). */
export function classifyStatement(sql: string, parser: SqlParser): SqlClassification {
  const { risk, reason } = judgeText(sql, parser, 0);
  return { risk, reason };
}

/** The highest risk among a block's statements, and which statement decided it. */
export function classifyBlock(
  statements: readonly (string | { readonly text: string })[],
  parser: SqlParser,
): SqlBlockClassification {
  const verdicts = statements.map((statement, index) => ({
    ...classifyStatement(typeof statement === 'string' ? statement : statement.text, parser),
    statementIndex: index,
  }));
  return riskiest(verdicts) ?? { risk: 'read', reason: 'the block holds no statement' };
}

/** The verdict on one parsed statement, with what it calls and reads. */
export function judgeTree(tree: PgNode, parser: SqlParser, depth = 0): StatementJudgement {
  const objects = calledObjects(tree);
  const verdicts: SqlClassification[] = [classifyCommand(tree, parser, depth)];
  for (const call of objects.functions) {
    const called = callName(call);
    const effect = functionEffect(call.name, call.schema);
    if (effect) verdicts.push({ risk: effect.risk, reason: `calls ${called}(), which ${effect.effect}` });
    if (runsCursorQuery(call.name))
      verdicts.push(
        admin(
          `calls ${called}(), which runs the query of a cursor opened elsewhere; what that query does cannot be seen here`,
        ),
      );
    const queryArguments = call.viaField ? undefined : queryTextArguments(call.name, call.args.length);
    if (!queryArguments) continue;
    for (const index of queryArguments) {
      const arg = call.args[index];
      if (arg === undefined) continue;
      const text = call.namedArguments ? undefined : stringConstant(arg);
      if (text === undefined || depth >= MAX_INNER_QUERY_DEPTH) {
        verdicts.push(
          admin(
            `calls ${called}(), which runs query text that is not written out here (a value or expression), so what it does cannot be seen`,
          ),
        );
        continue;
      }
      const inner = judgeText(text, parser, depth + 1);
      mergeObjects(objects, inner.objects);
      if (inner.risk !== 'read')
        verdicts.push({
          risk: inner.risk,
          reason: `calls ${called}(), which runs the query it is given: ${inner.reason}`,
        });
    }
  }
  const verdict = riskiest(verdicts)!;
  return { risk: verdict.risk, reason: verdict.reason, objects };
}

/** Every statement of the text; a text the parser rejects is not a read. */
function judgeText(sql: string, parser: SqlParser, depth: number): StatementJudgement {
  if (sql.trim() === '') return { ...read('the statement is empty'), objects: emptyObjects() };
  const parsed = parser.parse(sql);
  if (!parsed.ok)
    return {
      ...write(`PostgreSQL's parser rejects it (${parsed.message}); treated as a write`),
      objects: emptyObjects(),
    };
  if (parsed.statements.length === 0) return { ...read('the statement is empty'), objects: emptyObjects() };
  const judgements = parsed.statements.map((s) => judgeTree(s.tree, parser, depth));
  const objects = judgements.reduce((all, j) => mergeObjects(all, j.objects), emptyObjects());
  const verdict = riskiest(judgements)!;
  return { risk: verdict.risk, reason: verdict.reason, objects };
}

// Statements that change who may do what, or the server itself.
const ADMIN_STATEMENTS: Record<string, string> = {
  GrantStmt: 'changes privileges',
  GrantRoleStmt: 'changes role membership',
  AlterDefaultPrivilegesStmt: 'changes default privileges',
  CreateRoleStmt: 'changes a role',
  AlterRoleStmt: 'changes a role',
  AlterRoleSetStmt: "changes a role's settings",
  DropRoleStmt: 'changes a role',
  CreatedbStmt: 'changes a database',
  AlterDatabaseStmt: 'changes a database',
  AlterDatabaseSetStmt: "changes a database's settings",
  AlterDatabaseRefreshCollStmt: 'changes a database',
  DropdbStmt: 'changes a database',
  AlterSystemStmt: 'changes the server configuration',
  CreateTableSpaceStmt: 'changes a tablespace',
  DropTableSpaceStmt: 'changes a tablespace',
  AlterTableSpaceOptionsStmt: 'changes a tablespace',
  AlterTableMoveAllStmt: 'moves tables between tablespaces',
  CreateSubscriptionStmt: 'changes a subscription',
  AlterSubscriptionStmt: 'changes a subscription',
  DropSubscriptionStmt: 'changes a subscription',
  CreatePublicationStmt: 'changes a publication',
  AlterPublicationStmt: 'changes a publication',
  CreateForeignServerStmt: 'changes a foreign server',
  AlterForeignServerStmt: 'changes a foreign server',
  CreateUserMappingStmt: 'changes a user mapping',
  AlterUserMappingStmt: 'changes a user mapping',
  DropUserMappingStmt: 'changes a user mapping',
  DropOwnedStmt: 'drops what a role owns',
  ReassignOwnedStmt: 'changes who owns objects',
  CheckPointStmt: 'forces a checkpoint on the server',
  LoadStmt: 'loads a shared library into the server',
};

/** Objects a DROP, RENAME or ALTER … OWNER of which changes who may do what, or the server. */
const ADMIN_OBJECTS = new Set([
  'OBJECT_ROLE',
  'OBJECT_DATABASE',
  'OBJECT_TABLESPACE',
  'OBJECT_SUBSCRIPTION',
  'OBJECT_PUBLICATION',
  'OBJECT_FOREIGN_SERVER',
  'OBJECT_USER_MAPPING',
]);

const ROW_CHANGES: Record<string, string> = {
  InsertStmt: 'INSERT',
  UpdateStmt: 'UPDATE',
  DeleteStmt: 'DELETE',
  MergeStmt: 'MERGE',
};

const MAINTENANCE: Record<string, string> = {
  ClusterStmt: 'CLUSTER is maintenance that rewrites or locks tables',
  ReindexStmt: 'REINDEX is maintenance that rewrites or locks tables',
  RefreshMatViewStmt: 'REFRESH MATERIALIZED VIEW is maintenance that rewrites or locks tables',
};

function classifyCommand(tree: PgNode, parser: SqlParser, depth: number): SqlClassification {
  const { kind, fields } = statementOf(tree);
  if (ROW_CHANGES[kind]) return write(`${ROW_CHANGES[kind]} changes rows`);
  if (ADMIN_STATEMENTS[kind]) return admin(`${commandWords(kind, fields)} ${ADMIN_STATEMENTS[kind]}`);
  if (MAINTENANCE[kind]) return write(MAINTENANCE[kind]);
  switch (kind) {
    case 'SelectStmt':
      return classifyQuery(tree, fields);
    case 'VariableShowStmt':
      return read('SHOW only reads a setting');
    case 'FetchStmt':
      return read(`${fields.ismove ? 'MOVE' : 'FETCH'} only reads from an open cursor`);
    case 'ClosePortalStmt':
      return read('CLOSE only closes an open cursor');
    case 'ExplainStmt':
      return classifyExplain(fields, parser, depth);
    case 'TruncateStmt':
      return write('TRUNCATE removes every row of the table');
    case 'CopyStmt':
      return write('COPY moves data between a table and a file, a program or the client');
    case 'CallStmt':
      return write('CALL runs a procedure, which may change data');
    case 'DoStmt':
      return write('DO runs an anonymous code block, which may change data');
    case 'LockStmt':
      return write('LOCK takes table locks that block other sessions');
    case 'NotifyStmt':
    case 'ListenStmt':
    case 'UnlistenStmt':
      return write(`${kind.replace('Stmt', '').toUpperCase()} acts on the session's notification channels`);
    case 'VariableSetStmt':
      return classifySetting(fields);
    case 'ConstraintsSetStmt':
      return write('SET CONSTRAINTS changes when constraints are checked');
    case 'DiscardStmt':
      return write("DISCARD changes the session's state");
    case 'DeallocateStmt':
      return write("DEALLOCATE changes the session's state");
    case 'ExecuteStmt':
      return write('EXECUTE runs a prepared statement whose text is not shown here');
    case 'PrepareStmt':
      return classifyInner(fields.query as PgNode | undefined, 'PREPARE', parser, depth);
    case 'DeclareCursorStmt':
      return classifyInner(fields.query as PgNode | undefined, 'DECLARE CURSOR', parser, depth);
    case 'TransactionStmt':
      return admin(`${transactionWords(fields)} is transaction control: the runner manages the transaction`);
    case 'VacuumStmt':
      return write(
        fields.is_vacuumcmd
          ? 'VACUUM is maintenance that rewrites or locks tables'
          : 'ANALYZE is maintenance that rewrites planner statistics',
      );
    case 'CommentStmt':
      return schema("COMMENT ON changes the schema's comments");
    case 'SecLabelStmt':
      return schema("SECURITY LABEL changes the schema's security labels");
    case 'ImportForeignSchemaStmt':
      return schema('IMPORT FOREIGN SCHEMA creates foreign tables');
    case 'DropStmt':
    case 'RenameStmt':
    case 'AlterOwnerStmt': {
      const object = String(fields.removeType ?? fields.renameType ?? fields.objectType ?? '');
      const words = commandWords(kind, fields);
      if (ADMIN_OBJECTS.has(object)) return admin(`${words} changes ${objectWords(object).toLowerCase()} settings`);
      return schema(`${words} changes the schema`);
    }
    default:
      if (/^(Create|Alter|Drop|Define|Composite|Rule|View|Index|Comment)/.test(kind) || kind.endsWith('TableAsStmt'))
        return schema(`${commandWords(kind, fields)} changes the schema`);
      return write(`${commandWords(kind, fields)} is not a statement known to be read-only; treated as a write`);
  }
}

/** SELECT, VALUES, TABLE and WITH: reads, unless they modify, lock or create. */
function classifyQuery(tree: PgNode, fields: Record<string, unknown>): SqlClassification {
  const isWith = fields.withClause !== undefined;
  if (fields.intoClause) return write('SELECT INTO creates a table');
  let verdict: SqlClassification | undefined;
  walkTree(tree, (kind, inner) => {
    if (verdict) return;
    if (ROW_CHANGES[kind])
      verdict = write(
        isWith
          ? `data-modifying WITH: ${ROW_CHANGES[kind]} changes rows`
          : `contains ${ROW_CHANGES[kind]}, which changes rows`,
      );
    else if (listField(inner, 'lockingClause').length > 0) {
      const strength = String(nodeFields(listField(inner, 'lockingClause')[0]).strength ?? '');
      verdict = write(`FOR ${LOCK_STRENGTH[strength] ?? 'UPDATE'} takes row locks that block other sessions`);
    }
  });
  if (verdict) return verdict;
  if (isWith) return read('WITH query only reads');
  return read(`${listField(fields, 'valuesLists').length > 0 ? 'VALUES' : 'SELECT'} only reads`);
}

const LOCK_STRENGTH: Record<string, string> = {
  LCS_FORKEYSHARE: 'KEY SHARE',
  LCS_FORSHARE: 'SHARE',
  LCS_FORNOKEYUPDATE: 'NO KEY UPDATE',
  LCS_FORUPDATE: 'UPDATE',
};

/** EXPLAIN only plans; EXPLAIN ANALYZE runs the statement, so it is as risky as the statement. */
function classifyExplain(fields: Record<string, unknown>, parser: SqlParser, depth: number): SqlClassification {
  const analyze = listField(fields, 'options').some((option) => {
    const { defname, arg } = nodeFields(option) as { defname?: string; arg?: unknown };
    return (defname === 'analyze' || defname === 'analyse') && optionIsTrue(arg);
  });
  if (!analyze) return read('EXPLAIN without ANALYZE only plans the statement');
  const inner = judgeTree(fields.query as PgNode, parser, depth);
  if (inner.risk === 'read') return read('EXPLAIN ANALYZE of a query that only reads');
  return { risk: inner.risk, reason: `EXPLAIN ANALYZE runs the statement: ${inner.reason}` };
}

/** A boolean option's value as Postgres's defGetBoolean reads it: no value means true. */
function optionIsTrue(arg: unknown): boolean {
  if (arg === undefined) return true;
  const kind = nodeKind(arg);
  const fields = nodeFields(arg);
  if (kind === 'String') return !['false', 'off', 'no', '0'].includes(String(fields.sval ?? '').toLowerCase());
  if (kind === 'Integer') return Number(fields.ival ?? 0) !== 0;
  if (kind === 'Boolean') return fields.boolval === true;
  return true;
}

function classifyInner(query: PgNode | undefined, what: string, parser: SqlParser, depth: number): SqlClassification {
  if (!query) return write(`${what} without a visible statement; treated as a write`);
  const inner = judgeTree(query, parser, depth);
  return {
    risk: inner.risk,
    reason: `${what} of a statement that ${inner.risk === 'read' ? 'only reads' : `is a ${inner.risk}: ${inner.reason}`}`,
  };
}

function classifySetting(fields: Record<string, unknown>): SqlClassification {
  const setKind = String(fields.kind ?? '');
  const reset = setKind === 'VAR_RESET' || setKind === 'VAR_RESET_ALL';
  const command = reset ? 'RESET' : 'SET';
  const name = String(fields.name ?? '').toLowerCase();
  if (setKind === 'VAR_RESET_ALL') return write('RESET ALL changes session settings');
  if (setKind === 'VAR_SET_MULTI' && name === 'session characteristics')
    return admin('SET SESSION CHARACTERISTICS changes whether later transactions may write');
  if (setKind === 'VAR_SET_MULTI' && name === 'transaction')
    return admin('SET TRANSACTION changes the transaction the runner manages');
  if (name === 'role') return admin(`${command} ROLE changes the role statements run as`);
  if (name === 'session_authorization')
    return admin(`${command} SESSION AUTHORIZATION changes the user statements run as`);
  if (GUARDED_SETTINGS.has(name)) return admin(`${command} ${name} changes who the session is or whether it may write`);
  return write(`${command} changes the session setting ${name}`.trimEnd());
}

const TRANSACTION_WORDS: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_COMMIT: 'COMMIT',
  TRANS_STMT_ROLLBACK: 'ROLLBACK',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

function transactionWords(fields: Record<string, unknown>): string {
  return TRANSACTION_WORDS[String(fields.kind ?? '')] ?? 'A transaction statement';
}

/** "CREATE TABLE", "DROP MATERIALIZED VIEW", "ALTER SYSTEM": the command as a user writes it. */
function commandWords(kind: string, fields: Record<string, unknown>): string {
  const object = fields.removeType ?? fields.renameType ?? fields.objectType ?? fields.objtype;
  if (kind === 'DropStmt') return `DROP ${objectWords(String(object))}`;
  if (kind === 'RenameStmt') return `ALTER ${objectWords(String(object))} … RENAME`;
  if (kind === 'AlterOwnerStmt') return `ALTER ${objectWords(String(object))} … OWNER`;
  if (kind === 'AlterTableStmt') return `ALTER ${objectWords(String(object ?? 'OBJECT_TABLE'))}`;
  if (kind === 'CreateStmt') return 'CREATE TABLE';
  if (kind === 'IndexStmt') return 'CREATE INDEX';
  if (kind === 'ViewStmt') return 'CREATE VIEW';
  if (kind === 'CreateTableAsStmt') return object === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
  if (kind === 'CreateFunctionStmt') return fields.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
  if (kind === 'CreatedbStmt') return 'CREATE DATABASE';
  if (kind === 'DropdbStmt') return 'DROP DATABASE';
  if (kind === 'GrantStmt') return fields.is_grant ? 'GRANT' : 'REVOKE';
  if (kind === 'GrantRoleStmt') return fields.is_grant ? 'GRANT' : 'REVOKE';
  if (kind === 'CheckPointStmt') return 'CHECKPOINT';
  if (kind === 'LoadStmt') return 'LOAD';
  return kind
    .replace(/Stmt$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toUpperCase();
}

/** OBJECT_MATVIEW → MATERIALIZED VIEW, OBJECT_FOREIGN_TABLE → FOREIGN TABLE. */
function objectWords(objectType: string): string {
  const word = objectType.replace(/^OBJECT_/, '');
  const special: Record<string, string> = {
    MATVIEW: 'MATERIALIZED VIEW',
    TABCONSTRAINT: 'TABLE … CONSTRAINT',
    FDW: 'FOREIGN DATA WRAPPER',
    EVENT_TRIGGER: 'EVENT TRIGGER',
    TSCONFIGURATION: 'TEXT SEARCH CONFIGURATION',
    TSDICTIONARY: 'TEXT SEARCH DICTIONARY',
  };
  return special[word] ?? word.replace(/_/g, ' ');
}
