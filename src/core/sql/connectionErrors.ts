// Explains a failure of a SQL run in words an engineer can act on during an incident.
// Postgres's own fields (message, SQLSTATE, position, detail, hint, where) are kept as they are;
// connection failures (which arrive as bare Node or pg errors) get a plain title and concrete advice.
// Pure: it only reads the error object, so it works the same in the extension, the CLI and tests.

export type DatabaseErrorKind =
  | 'refused'
  | 'unknown-host'
  | 'auth'
  | 'tls-required'
  | 'tls-rejected'
  | 'timeout'
  | 'terminated'
  | 'cancelled'
  | 'statement-timeout'
  | 'read-only'
  | 'postgres'
  | 'other';

export interface DatabaseErrorReport {
  kind: DatabaseErrorKind;
  /** One line: what happened. */
  title: string;
  /** Postgres's message for server errors; our explanation for connection failures. */
  message: string;
  /** SQLSTATE for server errors, the Node error code for network errors. */
  code?: string;
  /** 1-based character offset in the statement, as Postgres reports it. */
  position?: number;
  detail?: string;
  hint?: string;
  where?: string;
  /** What to do about it. */
  advice?: string;
}

export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: string;
}

const TLS_CERTIFICATE_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Columns renamed in newer Postgres versions that older runbook snippets still use. */
const RENAMED_COLUMNS: Record<string, string> = {
  mean_time: 'mean_exec_time (pg_stat_statements, PostgreSQL 13+)',
  total_time: 'total_exec_time (pg_stat_statements, PostgreSQL 13+)',
  min_time: 'min_exec_time (pg_stat_statements, PostgreSQL 13+)',
  max_time: 'max_exec_time (pg_stat_statements, PostgreSQL 13+)',
  stddev_time: 'stddev_exec_time (pg_stat_statements, PostgreSQL 13+)',
  blk_read_time: 'shared_blk_read_time (pg_stat_statements, PostgreSQL 17+)',
  blk_write_time: 'shared_blk_write_time (pg_stat_statements, PostgreSQL 17+)',
  procpid: 'pid (pg_stat_activity, PostgreSQL 9.2+)',
  current_query: 'query (pg_stat_activity, PostgreSQL 9.2+)',
  waiting: 'wait_event_type and wait_event (pg_stat_activity, PostgreSQL 9.6+)',
  replay_location: 'replay_lsn (pg_stat_replication, PostgreSQL 10+)',
  checkpoints_timed: 'num_timed in pg_stat_checkpointer (PostgreSQL 17+)',
  checkpoints_req: 'num_requested in pg_stat_checkpointer (PostgreSQL 17+)',
};

// The command's title in package.json (runbook.setSecret).
const SET_PASSWORD = 'Set the database password with the command Runbook: Set Project Secret.';

interface ErrorFields {
  message: string;
  code?: string;
  severity?: string;
  position?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

export function explainDatabaseError(error: unknown, target: ConnectionTarget): DatabaseErrorReport {
  return redactReport(explain(fieldsOf(error), target));
}

function explain(e: ErrorFields, target: ConnectionTarget): DatabaseErrorReport {
  const at = `${target.host}:${target.port}`;
  const message = e.message;
  const code = e.code;
  const isSqlState = code !== undefined && /^[0-9A-Z]{5}$/.test(code) && e.severity !== undefined;

  // Supavisor (the Supabase pooler) answers an unknown tenant with a generic XX000 error.
  if (/^Tenant or user not found/i.test(message)) {
    return {
      kind: 'auth',
      title: 'The pooler does not know this project or user',
      message,
      ...(code ? { code } : {}),
      advice: `With the Supabase pooler the user is postgres.<project-ref>, not postgres. Check the user name and host. ${SET_PASSWORD}`,
    };
  }
  if (isSqlState) return explainServerError(e, code, target);

  switch (code) {
    case 'ECONNREFUSED':
      return {
        kind: 'refused',
        title: `Connection refused by ${at}`,
        message: `Nothing is accepting database connections at ${at}.`,
        code,
        advice: isLocalHost(target.host)
          ? `Is the project running? For the local stack run \`supabase start\` (its database listens on port 54322 by default), then run again.`
          : `Check the host and port of the project's database. A paused Supabase project refuses connections: restore it from the dashboard.`,
      };
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return {
        kind: 'unknown-host',
        title:
          code === 'EAI_AGAIN'
            ? `Could not look up ${target.host} (DNS did not answer)`
            : `Unknown host ${target.host}`,
        message:
          code === 'EAI_AGAIN'
            ? `The name ${target.host} could not be resolved right now; the DNS server did not answer.`
            : `The host name ${target.host} does not resolve to any address.`,
        code,
        advice:
          `Check the host name for typos. Supabase database hosts look like db.<project-ref>.supabase.co (direct) or ` +
          `aws-0-<region>.pooler.supabase.com (pooler); check the network or VPN if the name is right.`,
      };
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
    case 'EADDRNOTAVAIL':
      return {
        kind: 'refused',
        title: `No route to ${at}`,
        message: `This machine has no network route to ${target.host}.`,
        code,
        advice:
          `Supabase's direct database host (db.<project-ref>.supabase.co) is IPv6-only; on an IPv4-only network ` +
          `use the pooler host in session mode instead (Project Settings → Database → Connection pooling).`,
      };
    case 'ETIMEDOUT':
      return timeout(target, code);
    case 'ECONNRESET':
    case 'EPIPE':
      return terminated(`The connection to ${at} was reset.`, code);
    case 'RUNBOOK_CA_FILE':
      return {
        kind: 'tls-rejected',
        title: 'Cannot read the CA certificate file',
        message,
        code,
        advice: `Check the CA file path in the project's database settings (sslmode ${target.sslmode} uses it to verify the server).`,
      };
  }

  if (
    (code && TLS_CERTIFICATE_CODES.has(code)) ||
    /self[- ]signed certificate|unable to verify the first certificate|certificate has expired/i.test(message)
  ) {
    return tlsCertificate(e, target);
  }
  if (/does not support SSL connections/i.test(message)) {
    return {
      kind: 'tls-rejected',
      title: `${at} does not offer TLS`,
      message: `sslmode is ${target.sslmode}, but the server at ${at} does not support encrypted connections.`,
      code,
      advice: 'Set sslmode to disable for a local database or require for Supabase.',
    };
  }
  if (
    /error establishing an SSL connection|wrong version number|ssl3_get_record|tlsv1 alert|handshake failure|ERR_SSL_/i.test(
      message,
    ) ||
    code?.startsWith('ERR_SSL_')
  ) {
    return {
      kind: 'tls-rejected',
      title: `TLS handshake with ${at} failed`,
      message,
      code,
      advice:
        'Set sslmode to disable for a local database or require for Supabase; check that the port belongs to Postgres.',
    };
  }
  if (/timeout expired|due to connection timeout|timeout exceeded when trying to connect/i.test(message)) {
    return timeout(target, code);
  }
  if (
    /Connection terminated unexpectedly|^Connection terminated$|Client has encountered a connection error/i.test(
      message,
    )
  ) {
    return terminated(`The connection to ${at} closed in the middle of the run.`, code);
  }
  if (/Cannot use a pool after calling end on the pool|runner (was|has been) disposed/i.test(message)) {
    return {
      kind: 'other',
      title: 'The connection pool is closed',
      message,
      code,
      advice: 'Run again: the project connection is opened anew.',
    };
  }
  if (/password authentication failed|SASL|SCRAM/i.test(message) && !isSqlState) {
    return {
      kind: 'auth',
      title: `Authentication failed for user ${target.user}`,
      message,
      code,
      advice: SET_PASSWORD,
    };
  }
  return { kind: 'other', title: 'The run failed', message: message || 'Unknown error', ...(code ? { code } : {}) };
}

function explainServerError(e: ErrorFields, code: string, target: ConnectionTarget): DatabaseErrorReport {
  const server: DatabaseErrorReport = {
    kind: 'postgres',
    title: `Postgres error ${code}`,
    message: e.message,
    code,
    ...(e.position !== undefined && Number.isFinite(Number(e.position)) ? { position: Number(e.position) } : {}),
    ...(e.detail ? { detail: e.detail } : {}),
    ...(e.hint ? { hint: e.hint } : {}),
    ...(e.where ? { where: e.where } : {}),
  };
  const at = `${target.host}:${target.port}`;
  switch (code) {
    case '28P01':
      return {
        ...server,
        kind: 'auth',
        title: `Wrong password for user ${target.user}`,
        advice: `${SET_PASSWORD} For Supabase it is the database password from Project Settings → Database, not an API key.`,
      };
    case '28000':
      // "no pg_hba.conf entry for host ..., no encryption" (PostgreSQL 14+; "SSL off" before).
      if (/(no pg_hba\.conf entry|pg_hba\.conf rejects connection).*(no encryption|SSL off)/i.test(e.message)) {
        return {
          ...server,
          kind: 'tls-required',
          title: `${at} only accepts encrypted connections`,
          advice:
            'Set sslmode to require (or verify-full with the CA file from Project Settings → Database) and run again.',
        };
      }
      return {
        ...server,
        kind: 'auth',
        title: `The server does not accept user ${target.user} here`,
        advice: `Check the user and database names. ${SET_PASSWORD}`,
      };
    case '3D000':
      return {
        ...server,
        title: `Database ${target.database} does not exist`,
        advice: 'Supabase projects use the database named postgres. Check the database name in the project settings.',
      };
    case '57014':
      if (/statement timeout/i.test(e.message)) {
        return {
          ...server,
          kind: 'statement-timeout',
          title: 'The block ran longer than its statement timeout',
          advice:
            'Narrow the query (a WHERE clause or LIMIT), or raise the setting runbook.sql.statementTimeoutSeconds if it really needs longer. Nothing was kept.',
        };
      }
      return {
        ...server,
        kind: 'cancelled',
        title: 'The query was cancelled',
        advice: 'Nothing was kept. Run again when ready.',
      };
    case '57P01':
    case '57P02':
    case '57P04':
    case '57P05':
    case '25P03':
      return { ...terminated(`The server ended the connection: ${e.message}`, code), ...pick(server) };
    case '57P03':
      return {
        ...server,
        kind: 'terminated',
        title: 'The database is starting up or shutting down',
        advice: 'Wait a moment and run again. If it persists, check the project status in the dashboard.',
      };
    case '25006':
      return {
        ...server,
        kind: 'read-only',
        title: 'Refused: the block ran read-only',
        advice:
          'Postgres refused the write and nothing changed. If this block is meant to change data, run it again as a write and confirm.',
      };
    case '53300':
      return {
        ...server,
        title: 'The server has no free connections',
        advice: 'Too many clients are connected. Close idle sessions or use the Supabase pooler, then run again.',
      };
    case '42703': {
      const column = /column "?([^" ]+)"? does not exist/i.exec(e.message)?.[1]?.split('.').pop();
      const renamed = column ? RENAMED_COLUMNS[column] : undefined;
      return {
        ...server,
        title: 'Unknown column',
        ...(renamed ? { advice: `This snippet may predate a rename: ${column} is now ${renamed}.` } : {}),
      };
    }
    case '42P01': {
      const relation = /relation "?([^"]+)"? does not exist/i.exec(e.message)?.[1];
      const advice =
        relation === 'pg_stat_statements'
          ? 'Enable the extension first: create extension if not exists pg_stat_statements (on Supabase: Database → Extensions).'
          : 'Check the schema-qualified name (for example auth.users) and that the migrations have run on this project.';
      return { ...server, title: 'Unknown table or view', advice };
    }
    case '42501':
      return {
        ...server,
        title: 'Permission denied',
        advice: `User ${target.user} lacks a privilege this statement needs. Run as a role that has it, or ask the project owner.`,
      };
    case '55P03':
      return {
        ...server,
        title: 'Could not get a lock in time',
        advice:
          'Another session holds a lock this statement needs. Find it in pg_locks / pg_stat_activity and run again later.',
      };
    case '40P01':
      return {
        ...server,
        title: 'Deadlock detected',
        advice: 'Postgres rolled the block back to break a deadlock. Nothing was kept; run again.',
      };
  }
  if (code.startsWith('42')) return { ...server, title: code === '42601' ? 'Syntax error' : server.title };
  return server;
}

function timeout(target: ConnectionTarget, code: string | undefined): DatabaseErrorReport {
  const at = `${target.host}:${target.port}`;
  return {
    kind: 'timeout',
    title: `Timed out connecting to ${at}`,
    message: `No answer from ${at} within the connect timeout.`,
    ...(code ? { code } : {}),
    advice: isLocalHost(target.host)
      ? 'Is the local database healthy? Run `supabase status`, or restart it with `supabase stop` and `supabase start`.'
      : 'Check that this network can reach the host (VPN, firewall, or Network Restrictions in the Supabase dashboard), then run again.',
  };
}

function terminated(message: string, code: string | undefined): DatabaseErrorReport {
  return {
    kind: 'terminated',
    title: 'The connection was closed during the run',
    message,
    ...(code ? { code } : {}),
    advice:
      'Nothing was kept from this run. Run again; a new connection is opened. If it keeps happening, check the server logs (an administrator or a restart may have ended the session).',
  };
}

function tlsCertificate(e: ErrorFields, target: ConnectionTarget): DatabaseErrorReport {
  const altName = e.code === 'ERR_TLS_CERT_ALTNAME_INVALID';
  return {
    kind: 'tls-rejected',
    title: altName
      ? `The server's certificate does not name ${target.host}`
      : `The server's certificate is not trusted`,
    message: e.message,
    ...(e.code ? { code: e.code } : {}),
    advice: altName
      ? 'Connect with the host name on the certificate, or use sslmode verify-ca, which checks the CA but not the name.'
      : 'Download the CA certificate (Supabase: Project Settings → Database → SSL Configuration) and set sslmode verify-full with that CA file; sslmode require encrypts without verifying.',
  };
}

/** The server fields of a report, without its kind, title and advice. */
function pick(report: DatabaseErrorReport): Partial<DatabaseErrorReport> {
  const { code, position, detail, hint, where } = report;
  return {
    ...(code ? { code } : {}),
    ...(position !== undefined ? { position } : {}),
    ...(detail ? { detail } : {}),
    ...(hint ? { hint } : {}),
    ...(where ? { where } : {}),
  };
}

function fieldsOf(error: unknown): ErrorFields {
  if (error === null || typeof error !== 'object') return { message: String(error ?? 'Unknown error') };
  const record = error as Record<string, unknown>;
  const text = (key: string) =>
    typeof record[key] === 'string' && record[key] !== '' ? (record[key] as string) : undefined;
  let message = text('message') ?? '';
  let code = text('code');
  // Node's happy-eyeballs connect reports an AggregateError with an empty message; its parts say why.
  if (Array.isArray(record.errors) && record.errors.length > 0) {
    const inner = fieldsOf(record.errors[0]);
    message ||= inner.message;
    code ??= inner.code;
  }
  // pg wraps a connect timeout around its cause; the outer message is the useful one.
  if (!message && record.cause) return fieldsOf(record.cause);
  return {
    message,
    ...(code ? { code } : {}),
    ...(text('severity') ? { severity: text('severity') } : {}),
    ...(text('position') ? { position: text('position') } : {}),
    ...(text('detail') ? { detail: text('detail') } : {}),
    ...(text('hint') ? { hint: text('hint') } : {}),
    ...(text('where') ? { where: text('where') } : {}),
  };
}

function isLocalHost(host: string): boolean {
  return /^(localhost|127(\.\d+){3}|::1|\[::1\]|0\.0\.0\.0|host\.docker\.internal)$/i.test(host);
}

/** No secret ever reaches a notification: URLs with credentials and password=… are masked. */
function redactReport(report: DatabaseErrorReport): DatabaseErrorReport {
  const out: DatabaseErrorReport = { ...report };
  for (const key of ['title', 'message', 'detail', 'hint', 'where', 'advice'] as const) {
    const value = out[key];
    if (typeof value === 'string') (out as unknown as Record<string, string>)[key] = redactSecrets(value);
  }
  return out;
}

export function redactSecrets(text: string): string {
  return text
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]*:)[^@\s/]+@/gi, '$1***@')
    .replace(/\b(password|passwd|pwd)(\s*[=:]\s*)('[^']*'|"[^"]*"|\S+)/gi, '$1$2***');
}
