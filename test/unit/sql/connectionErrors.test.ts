import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { explainDatabaseError, redactSecrets, type ConnectionTarget } from '../../../src/core/sql/connectionErrors';

const local: ConnectionTarget = {
  host: '127.0.0.1',
  port: 54322,
  database: 'postgres',
  user: 'postgres',
  sslmode: 'disable',
};
const cloud: ConnectionTarget = {
  host: 'db.abcdefghijklmnop.supabase.co',
  port: 5432,
  database: 'postgres',
  user: 'postgres',
  sslmode: 'require',
};

/** What Node's net module throws. */
const nodeError = (code: string, message = `connect ${code} 127.0.0.1:54322`) =>
  Object.assign(new Error(message), { code, errno: -1, syscall: 'connect' });
/** What pg's protocol parser builds from an ErrorResponse. */
const serverError = (code: string, message: string, extra: Record<string, string> = {}) =>
  Object.assign(new Error(message), { name: 'error', severity: 'ERROR', code, ...extra });

describe('network failures', () => {
  test('ECONNREFUSED on the local stack suggests supabase start', () => {
    const report = explainDatabaseError(nodeError('ECONNREFUSED'), local);
    assert.equal(report.kind, 'refused');
    assert.match(report.title, /127\.0\.0\.1:54322/);
    assert.match(report.advice ?? '', /supabase start/);
  });

  test('ECONNREFUSED on a remote host talks about the project, not the local stack', () => {
    const report = explainDatabaseError(nodeError('ECONNREFUSED'), cloud);
    assert.equal(report.kind, 'refused');
    assert.doesNotMatch(report.advice ?? '', /supabase start/);
  });

  test("Node's AggregateError (both address families refused, empty message) is understood", () => {
    const aggregate = Object.assign(
      new AggregateError([nodeError('ECONNREFUSED', 'connect ECONNREFUSED ::1:54322'), nodeError('ECONNREFUSED')], ''),
      { code: 'ECONNREFUSED' },
    );
    const report = explainDatabaseError(aggregate, { ...local, host: 'localhost' });
    assert.equal(report.kind, 'refused');
    assert.match(report.advice ?? '', /supabase start/);
  });

  test('ENOTFOUND and EAI_AGAIN are unknown hosts', () => {
    for (const code of ['ENOTFOUND', 'EAI_AGAIN']) {
      const report = explainDatabaseError(nodeError(code, `getaddrinfo ${code} nonexistent.invalid`), {
        ...cloud,
        host: 'nonexistent.invalid',
      });
      assert.equal(report.kind, 'unknown-host', code);
      assert.match(report.title, /nonexistent\.invalid/);
      assert.match(report.advice ?? '', /supabase\.co/);
    }
  });

  test('ENETUNREACH mentions the IPv6-only direct host and the pooler', () => {
    const report = explainDatabaseError(nodeError('ENETUNREACH'), cloud);
    assert.equal(report.kind, 'refused');
    assert.match(report.advice ?? '', /IPv6/);
  });

  test('connect timeouts in their several spellings', () => {
    for (const error of [
      nodeError('ETIMEDOUT'),
      new Error('timeout expired'),
      new Error('Connection terminated due to connection timeout', {
        cause: new Error('Connection terminated unexpectedly'),
      }),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      assert.equal(explainDatabaseError(error, cloud).kind, 'timeout', error.message);
    }
    assert.match(
      explainDatabaseError(new Error('timeout expired'), cloud).advice ?? '',
      /Network Restrictions|VPN|firewall/,
    );
  });

  test('a connection that drops mid-query is terminated', () => {
    assert.equal(explainDatabaseError(new Error('Connection terminated unexpectedly'), local).kind, 'terminated');
    assert.equal(explainDatabaseError(nodeError('ECONNRESET', 'read ECONNRESET'), local).kind, 'terminated');
  });
});

describe('authentication and TLS', () => {
  test('28P01 is a wrong password, with the command that sets it', () => {
    const report = explainDatabaseError(
      serverError('28P01', 'password authentication failed for user "postgres"', { severity: 'FATAL' }),
      cloud,
    );
    assert.equal(report.kind, 'auth');
    assert.equal(report.code, '28P01');
    assert.equal(report.message, 'password authentication failed for user "postgres"');
    assert.match(report.advice ?? '', /Runbook: Set Project Secret/);
  });

  test('28000 "no pg_hba.conf entry ... no encryption" means the server requires TLS', () => {
    for (const message of [
      'no pg_hba.conf entry for host "10.0.0.5", user "postgres", database "postgres", no encryption',
      'no pg_hba.conf entry for host "10.0.0.5", user "postgres", database "postgres", SSL off',
    ]) {
      const report = explainDatabaseError(serverError('28000', message, { severity: 'FATAL' }), {
        ...cloud,
        sslmode: 'disable',
      });
      assert.equal(report.kind, 'tls-required', message);
      assert.match(report.advice ?? '', /sslmode to require/);
    }
    const other = explainDatabaseError(
      serverError('28000', 'role "nobody" does not exist', { severity: 'FATAL' }),
      cloud,
    );
    assert.equal(other.kind, 'auth');
  });

  test('certificate failures are tls-rejected with advice about the CA', () => {
    const cases = [
      Object.assign(new Error('self-signed certificate in certificate chain'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' }),
      Object.assign(new Error('self-signed certificate'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }),
      Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }),
    ];
    for (const error of cases) {
      const report = explainDatabaseError(error, { ...cloud, sslmode: 'verify-full' });
      assert.equal(report.kind, 'tls-rejected', error.message);
      assert.match(report.advice ?? '', /CA/);
    }
    const altName = explainDatabaseError(
      Object.assign(
        new Error("Hostname/IP does not match certificate's altnames: Host: localhost. is not cert's CN: 127.0.0.1"),
        { code: 'ERR_TLS_CERT_ALTNAME_INVALID' },
      ),
      { ...cloud, host: 'localhost', sslmode: 'verify-full' },
    );
    assert.equal(altName.kind, 'tls-rejected');
    assert.match(altName.title, /does not name localhost/);
    assert.match(altName.advice ?? '', /verify-ca/);
  });

  test('a server without TLS asked for TLS', () => {
    const report = explainDatabaseError(new Error('The server does not support SSL connections'), {
      ...local,
      sslmode: 'require',
    });
    assert.equal(report.kind, 'tls-rejected');
    assert.match(report.advice ?? '', /Set sslmode to disable for a local database or require for Supabase/);
  });

  test('the Supabase pooler does not know the tenant', () => {
    const report = explainDatabaseError(serverError('XX000', 'Tenant or user not found', { severity: 'FATAL' }), cloud);
    assert.equal(report.kind, 'auth');
    assert.match(report.advice ?? '', /postgres\.<project-ref>/);
  });
});

describe('server errors keep every Postgres field', () => {
  test('a syntax error keeps message, code and position', () => {
    const report = explainDatabaseError(
      serverError('42601', 'syntax error at or near "selec"', { position: '1' }),
      local,
    );
    assert.equal(report.kind, 'postgres');
    assert.equal(report.message, 'syntax error at or near "selec"');
    assert.equal(report.code, '42601');
    assert.equal(report.position, 1);
  });

  test('detail, hint and where are kept', () => {
    const report = explainDatabaseError(
      serverError('23505', 'duplicate key value violates unique constraint "items_pkey"', {
        detail: 'Key (id)=(1) already exists.',
        hint: 'a hint',
        where: 'SQL function "f"',
      }),
      local,
    );
    assert.deepEqual(
      [report.detail, report.hint, report.where],
      ['Key (id)=(1) already exists.', 'a hint', 'SQL function "f"'],
    );
  });

  test('57014 is split into statement timeout and cancel by its message', () => {
    assert.equal(
      explainDatabaseError(serverError('57014', 'canceling statement due to statement timeout'), local).kind,
      'statement-timeout',
    );
    assert.equal(
      explainDatabaseError(serverError('57014', 'canceling statement due to user request'), local).kind,
      'cancelled',
    );
  });

  test('57P01, 57P02 and 57P03 are terminated', () => {
    for (const code of ['57P01', '57P02', '57P03']) {
      const report = explainDatabaseError(
        serverError(code, 'terminating connection due to administrator command', { severity: 'FATAL' }),
        local,
      );
      assert.equal(report.kind, 'terminated', code);
      assert.equal(report.code, code);
    }
  });

  test('25006 is read-only, with advice to run as a confirmed write', () => {
    const report = explainDatabaseError(
      serverError('25006', 'cannot execute INSERT in a read-only transaction'),
      local,
    );
    assert.equal(report.kind, 'read-only');
    assert.equal(report.message, 'cannot execute INSERT in a read-only transaction');
    assert.match(report.advice ?? '', /as a write/);
  });

  test('3D000 names the database', () => {
    const report = explainDatabaseError(serverError('3D000', 'database "prod" does not exist', { severity: 'FATAL' }), {
      ...local,
      database: 'prod',
    });
    assert.equal(report.kind, 'postgres');
    assert.match(report.title, /prod/);
    assert.match(report.advice ?? '', /postgres/);
  });

  test('42P01 and 42703 are Postgres errors; a renamed catalog column gets its new name', () => {
    assert.equal(
      explainDatabaseError(serverError('42P01', 'relation "usage_credits" does not exist'), local).kind,
      'postgres',
    );
    const renamed = explainDatabaseError(
      serverError('42703', 'column "mean_time" does not exist', { position: '21' }),
      local,
    );
    assert.equal(renamed.kind, 'postgres');
    assert.equal(renamed.position, 21);
    assert.match(renamed.advice ?? '', /mean_exec_time/);
    const plain = explainDatabaseError(serverError('42703', 'column "colour" does not exist'), local);
    assert.equal(plain.advice, undefined);
    assert.match(
      explainDatabaseError(serverError('42P01', 'relation "pg_stat_statements" does not exist'), local).advice ?? '',
      /create extension/,
    );
  });

  test('a code that only looks like a SQLSTATE (EPIPE) is not treated as one', () => {
    assert.equal(explainDatabaseError(nodeError('EPIPE', 'write EPIPE'), local).kind, 'terminated');
  });
});

describe('never a password in any text', () => {
  test('URLs with credentials and password=… are masked', () => {
    const report = explainDatabaseError(
      new Error(
        'could not connect to postgresql://postgres:hunter2@db.example.supabase.co:5432/postgres (password=hunter2)',
      ),
      cloud,
    );
    assert.ok(!JSON.stringify(report).includes('hunter2'), JSON.stringify(report));
    assert.equal(redactSecrets("password='s3cret' user=x"), 'password=*** user=x');
  });

  test('odd inputs still give a report', () => {
    assert.equal(explainDatabaseError(undefined, local).kind, 'other');
    assert.equal(explainDatabaseError('boom', local).message, 'boom');
    assert.equal(explainDatabaseError({}, local).kind, 'other');
  });
});
