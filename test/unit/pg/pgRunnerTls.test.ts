// PgRunner against a real PostgreSQL that only accepts TLS (pg_hba hostssl), with a certificate
// for 127.0.0.1 signed by a throw-away CA made with the openssl CLI. Skipped when openssl is absent.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import { PgRunner, type PgConnectionSettings, type RunOptions } from '../../../src/node/pg/pgRunner';
import { waitFor } from '../../helpers/wait';

type Started = Awaited<ReturnType<typeof startPostgres>>;

const READ: RunOptions = { mode: 'read', statementTimeoutMs: 30_000, maxRows: 100 };
const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

let server: Started | undefined;
let dir = '';
const runners: PgRunner[] = [];

function runner(overrides: Partial<PgConnectionSettings>, readFile?: (path: string) => Promise<string>): PgRunner {
  const s = server!;
  const created = new PgRunner({
    connection: {
      host: s.host,
      port: s.port,
      database: s.database,
      user: s.user,
      password: s.password,
      sslmode: 'disable',
      ...overrides,
    },
    ...(readFile ? { readFile } : {}),
  });
  runners.push(created);
  return created;
}

/** A CA and a server certificate for IP 127.0.0.1 only (so "localhost" does not match it). */
function makeCertificates(into: string): void {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: into, stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=Runbook test CA');
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(join(into, 'san.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.crt',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.crt',
    '-days',
    '2',
    '-extfile',
    'san.cnf',
  );
}

before(async () => {
  if (!hasOpenssl) return;
  dir = mkdtempSync(join(tmpdir(), 'runbook-pg-tls-'));
  chmodSync(dir, 0o755);
  makeCertificates(dir);
  // Only encrypted connections: a plain one gets "no pg_hba.conf entry ..., no encryption".
  writeFileSync(
    join(dir, 'pg_hba.conf'),
    'hostssl all all 127.0.0.1/32 scram-sha-256\nhostssl all all ::1/128 scram-sha-256\n',
  );
  // Postgres insists that its key is private to the user it runs as (`postgres` when we are root).
  const key = join(dir, 'server.key');
  chmodSync(key, 0o600);
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(key, uid, gid);
  }
  server = await startPostgres({
    postgresFlags: [
      '-c',
      'ssl=on',
      '-c',
      `ssl_cert_file=${join(dir, 'server.crt')}`,
      '-c',
      `ssl_key_file=${key}`,
      '-c',
      `hba_file=${join(dir, 'pg_hba.conf')}`,
    ],
  });
});

after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('TLS', { skip: hasOpenssl ? false : 'openssl is not installed' }, () => {
  test('a plain connection to a TLS-only server gives kind tls-required', async () => {
    const outcome = await runner({ sslmode: 'disable' }).run([{ text: 'select 1', values: [] }], READ);
    assert.equal(outcome.error?.kind, 'tls-required', JSON.stringify(outcome.error));
    assert.equal(outcome.error?.code, '28000');
    assert.match(outcome.error?.advice ?? '', /sslmode to require/);
  });

  test('sslmode require encrypts without verifying', async () => {
    const outcome = await runner({ sslmode: 'require' }).run(
      [{ text: 'select ssl from pg_stat_ssl where pid = pg_backend_pid()', values: [] }],
      READ,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    assert.deepEqual(outcome.results[0].rows, [[true]]);
  });

  test('sslmode prefer uses TLS when the server has it', async () => {
    const outcome = await runner({ sslmode: 'prefer' }).run(
      [{ text: 'select ssl from pg_stat_ssl where pid = pg_backend_pid()', values: [] }],
      READ,
    );
    assert.deepEqual(outcome.results[0]?.rows, [[true]], JSON.stringify(outcome.error));
  });

  test('verify-full with the CA file connects; the file is read through the injected reader', async () => {
    const read: string[] = [];
    const reader = async (path: string) => {
      read.push(path);
      const { readFile } = await import('node:fs/promises');
      return readFile(path, 'utf8');
    };
    const outcome = await runner({ sslmode: 'verify-full', caFile: join(dir, 'ca.crt') }, reader).run(
      [{ text: 'select 1', values: [] }],
      READ,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    assert.deepEqual(read, [join(dir, 'ca.crt')]);
  });

  test('verify-full without the CA rejects the self-signed chain', async () => {
    const outcome = await runner({ sslmode: 'verify-full' }).run([{ text: 'select 1', values: [] }], READ);
    assert.equal(outcome.error?.kind, 'tls-rejected', JSON.stringify(outcome.error));
    assert.match(outcome.error?.advice ?? '', /CA/);
  });

  test('verify-full to a name the certificate does not carry is rejected; verify-ca accepts it', async () => {
    const caFile = join(dir, 'ca.crt');
    const wrongName = await runner({ host: 'localhost', sslmode: 'verify-full', caFile }).run(
      [{ text: 'select 1', values: [] }],
      READ,
    );
    assert.equal(wrongName.error?.kind, 'tls-rejected', JSON.stringify(wrongName.error));
    assert.equal(wrongName.error?.code, 'ERR_TLS_CERT_ALTNAME_INVALID');
    const caOnly = await runner({ host: 'localhost', sslmode: 'verify-ca', caFile }).run(
      [{ text: 'select 1', values: [] }],
      READ,
    );
    assert.equal(caOnly.status, 'ok', JSON.stringify(caOnly.error));
  });

  test('a CA file that cannot be read is explained, and fixing it works without a new runner', async () => {
    let fail = true;
    const reader = async (path: string) => {
      if (fail) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
      const { readFile } = await import('node:fs/promises');
      return readFile(join(dir, 'ca.crt'), 'utf8');
    };
    const r = runner({ sslmode: 'verify-full', caFile: '/nowhere/ca.crt' }, reader);
    const missing = await r.run([{ text: 'select 1', values: [] }], READ);
    assert.equal(missing.error?.kind, 'tls-rejected');
    assert.match(missing.error?.title ?? '', /CA certificate file/);
    fail = false;
    assert.equal((await r.run([{ text: 'select 1', values: [] }], READ)).status, 'ok');
  });

  test('cancel works over a TLS connection', async () => {
    const r = runner({ sslmode: 'require' });
    const controller = new AbortController();
    const running = r.run([{ text: 'select pg_sleep(30) -- tls-cancel-probe', values: [] }], {
      ...READ,
      signal: controller.signal,
    });
    // Cancelled once the server runs it (a cancel before that is another path, tested elsewhere).
    const watcher = runner({ sslmode: 'require' });
    await waitFor(async () => {
      const seen = await watcher.run(
        [
          {
            text: `select count(*)::int from pg_stat_activity where state = 'active' and query like '%tls-cancel-probe%' and pid <> pg_backend_pid()`,
            values: [],
          },
        ],
        READ,
      );
      return seen.results[0]?.rows[0]?.[0] === 1;
    }, 'the sleep to run on the server');
    controller.abort();
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    // 57014: the server cancelled it over TLS; the fallback that cuts the connection reports no code.
    assert.equal(outcome.error?.code, '57014', 'the server cancelled it (not the fallback that cuts the connection)');
  });
});
