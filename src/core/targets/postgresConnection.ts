// Where a PostgreSQL client program (psql, pg_dump, dropdb …) connects, read from its options, its connection
// string or URL, and `PGHOST=…` written before it. A runbook terminal that needs the database sets PGHOST, PGPORT,
// PGUSER and PGDATABASE to the active project's, so a client given no host reaches the active project.
import { basename, unwrapCommand, type SimpleCommand } from '../bash/simpleCommands';

/** Programs that log in to a database server, and so read PGPASSWORD. */
const CLIENTS = new Set([
  'psql',
  'pg_dump',
  'pg_dumpall',
  'pg_restore',
  'pgbench',
  'createdb',
  'dropdb',
  'createuser',
  'dropuser',
  'vacuumdb',
  'reindexdb',
  'clusterdb',
  'pg_basebackup',
  'pg_receivewal',
  'pg_recvlogical',
  'pg_amcheck',
]);
// Clients whose first argument names the database to connect to (for the others it is what they act on).
const DATABASE_ARGUMENT = new Set(['psql', 'pg_dump', 'pgbench', 'vacuumdb', 'reindexdb', 'clusterdb', 'pg_amcheck']);
// Options whose value is a separate word, so that it is not taken for the database argument; per program, because
// the same letter differs (psql's -t prints tuples only, pg_dump's -t names a table).
const COMMON_WITH_VALUE = ['-h', '--host', '-p', '--port', '-U', '--username', '-d', '--dbname', '--maintenance-db'];
const WITH_VALUE: Record<string, Set<string>> = {
  psql: new Set([
    ...COMMON_WITH_VALUE,
    '-c',
    '--command',
    '-f',
    '--file',
    '-o',
    '--output',
    '-L',
    '--log-file',
    '-v',
    '--set',
    '--variable',
    '-P',
    '--pset',
    '-F',
    '--field-separator',
    '-R',
    '--record-separator',
    '-T',
    '--table-attr',
  ]),
  pg_dump: new Set([
    ...COMMON_WITH_VALUE,
    '-f',
    '--file',
    '-F',
    '--format',
    '-j',
    '--jobs',
    '-n',
    '--schema',
    '-N',
    '--exclude-schema',
    '-t',
    '--table',
    '-T',
    '--exclude-table',
    '-Z',
    '--compress',
    '-E',
    '--encoding',
    '--role',
    '-S',
    '--superuser',
  ]),
  pgbench: new Set([
    ...COMMON_WITH_VALUE,
    '-c',
    '--client',
    '-j',
    '--jobs',
    '-s',
    '--scale',
    '-T',
    '--time',
    '-t',
    '--transactions',
    '-f',
    '--file',
    '-b',
    '--builtin',
    '-D',
    '--define',
    '-P',
    '--progress',
    '-R',
    '--rate',
    '-L',
    '--latency-limit',
    '-M',
    '--protocol',
    '-F',
    '--fillfactor',
  ]),
  vacuumdb: new Set([
    ...COMMON_WITH_VALUE,
    '-t',
    '--table',
    '-n',
    '--schema',
    '-N',
    '--exclude-schema',
    '-j',
    '--jobs',
    '--min-xid-age',
    '--min-mxid-age',
    '-P',
    '--parallel',
  ]),
  reindexdb: new Set([
    ...COMMON_WITH_VALUE,
    '-t',
    '--table',
    '-S',
    '--schema',
    '-i',
    '--index',
    '-j',
    '--jobs',
    '--tablespace',
  ]),
  clusterdb: new Set([...COMMON_WITH_VALUE, '-t', '--table']),
  pg_amcheck: new Set([
    ...COMMON_WITH_VALUE,
    '-t',
    '--table',
    '-T',
    '--exclude-table',
    '-n',
    '--schema',
    '-N',
    '--exclude-schema',
    '-i',
    '--index',
    '-I',
    '--exclude-index',
    '-r',
    '--relation',
    '-R',
    '--exclude-relation',
    '-j',
    '--jobs',
  ]),
};

export type PostgresConnection =
  /** No host given: the terminal's PGHOST, which is the active project's when the run needs the database. */
  | { kind: 'default' }
  | { kind: 'address'; host: string; port?: number }
  /** Named by a variable or a placeholder: where it goes is known only when it runs. */
  | { kind: 'unknown'; text: string };

export interface PostgresClientCall {
  program: string;
  connection: PostgresConnection;
}

/** The client program and where it connects; undefined when the command is not a PostgreSQL client that logs in. */
export function postgresClientCall(simple: SimpleCommand): PostgresClientCall | undefined {
  const { argv } = unwrapCommand(simple.words);
  const program = basename(argv[0] ?? '');
  if (!CLIENTS.has(program)) return undefined;
  const args = argv.slice(1);
  // pg_restore without a database writes SQL to a file or standard output: it logs in nowhere.
  if (program === 'pg_restore' && !args.some((a) => a === '-d' || a.startsWith('--dbname') || /^-d./.test(a)))
    return undefined;

  let host: string | undefined;
  let port: string | undefined;
  const named: string[] = [];
  for (const word of [...simple.assignments, ...simple.words]) {
    const m = /^(PGHOST|PGHOSTADDR|PGPORT|DATABASE_URL)=(.*)$/.exec(word.value);
    if (m && m[1] === 'PGPORT') port = m[2];
    else if (m && m[1] !== 'DATABASE_URL') host = m[2];
  }
  let positional = 0;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (short: string, long: string): string | undefined => {
      if (a === short || a === long) return args[i + 1];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
      if (a.startsWith(short) && a.length > 2 && !a.startsWith('--')) return a.slice(2);
      return undefined;
    };
    const h = value('-h', '--host');
    const p = value('-p', '--port');
    const d =
      value('-d', '--dbname') ??
      (a === '--maintenance-db'
        ? args[i + 1]
        : a.startsWith('--maintenance-db=')
          ? a.slice('--maintenance-db='.length)
          : undefined);
    if (h !== undefined) host = h;
    else if (p !== undefined) port = p;
    else if (d !== undefined) named.push(d);
    if (WITH_VALUE[program]?.has(a) || (!WITH_VALUE[program] && COMMON_WITH_VALUE.includes(a))) {
      i++;
      continue;
    }
    if (a.startsWith('-')) continue;
    if (positional++ === 0 && DATABASE_ARGUMENT.has(program)) named.push(a);
  }
  for (const text of named) {
    const fromString = connectionString(text);
    if (fromString === 'unknown') return { program, connection: { kind: 'unknown', text } };
    if (fromString?.host !== undefined) host = fromString.host;
    if (fromString?.port !== undefined) port = fromString.port;
  }
  if (host === undefined) return { program, connection: { kind: 'default' } };
  if (isDynamic(host) || (port !== undefined && isDynamic(port)))
    return { program, connection: { kind: 'unknown', text: host } };
  // A socket directory is this machine's server, not a project's.
  const address = host.startsWith('/') ? 'localhost' : host.split(',')[0];
  const number = port === undefined ? undefined : Number(port.split(',')[0]);
  return {
    program,
    connection: {
      kind: 'address',
      host: address,
      ...(number !== undefined && Number.isFinite(number) ? { port: number } : {}),
    },
  };
}

/** Host and port of a `postgresql://` URL or a `host=… port=…` connection string; 'unknown' when it is a variable. */
function connectionString(text: string): { host?: string; port?: string } | 'unknown' | undefined {
  if (isDynamic(text)) return 'unknown';
  if (/^postgres(ql)?:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      const host = url.hostname.replace(/^\[|\]$/g, '') || new URLSearchParams(url.search).get('host') || undefined;
      return { ...(host ? { host } : {}), ...(url.port ? { port: url.port } : {}) };
    } catch {
      return 'unknown';
    }
  }
  if (/(^|\s)(host|hostaddr|port)\s*=/.test(text)) {
    const pick = (key: string) => new RegExp(`(?:^|\\s)${key}\\s*=\\s*('([^']*)'|\\S+)`).exec(text);
    const h = pick('host') ?? pick('hostaddr');
    const p = pick('port');
    return { ...(h ? { host: h[2] ?? h[1] } : {}), ...(p ? { port: p[2] ?? p[1] } : {}) };
  }
  return undefined;
}

function isDynamic(text: string): boolean {
  return /[$`]|<[A-Za-z_][A-Za-z0-9_-]*>/.test(text);
}
