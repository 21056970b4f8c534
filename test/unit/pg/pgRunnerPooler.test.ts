// PgRunner behind a real transaction pooler: PgBouncer in pool_mode=transaction, as Supabase's
// pooler on port 6543 works. One client connection meets several server connections there, so a
// named prepared statement parsed on one is missing on the next (26000) or already there (42P05).
// Needs the Debian package pgbouncer; without /usr/sbin/pgbouncer the tests are skipped, saying so.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { freePort } from '../../helpers/network';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import { PgRunner, READ_PRELUDE_NAME, type RunOptions } from '../../../src/node/pg/pgRunner';

const PGBOUNCER = '/usr/sbin/pgbouncer';
const MISSING = `${PGBOUNCER} is missing (Debian package pgbouncer), so the transaction-pooler tests are skipped`;
const READ: RunOptions = { mode: 'read', statementTimeoutMs: 30_000, maxRows: 1000 };

type Started = Awaited<ReturnType<typeof startPostgres>>;

let server: Started | undefined;
let bouncer: ChildProcess | undefined;
let bouncerPort = 0;
let dir = '';
const runners: PgRunner[] = [];

function throughPooler(applicationName: string, poolSize = 1): PgRunner {
  const runner = new PgRunner({
    connection: {
      host: '127.0.0.1',
      port: bouncerPort,
      database: 'postgres',
      user: server!.user,
      password: server!.password,
      sslmode: 'disable',
      applicationName,
    },
    poolSize,
  });
  runners.push(runner);
  return runner;
}

describe(
  'through a transaction pooler (PgBouncer, pool_mode=transaction)',
  { skip: existsSync(PGBOUNCER) ? false : MISSING },
  () => {
    before(async () => {
      server = await startPostgres();
      bouncerPort = await freePort();
      dir = mkdtempSync(join(tmpdir(), 'runbook-pgbouncer-'));
      chmodSync(dir, 0o755);
      const ini = join(dir, 'pgbouncer.ini');
      writeFileSync(
        ini,
        [
          '[databases]',
          `postgres = host=127.0.0.1 port=${server.port} dbname=${server.database} user=${server.user} password=${server.password}`,
          '[pgbouncer]',
          'listen_addr = 127.0.0.1',
          `listen_port = ${bouncerPort}`,
          'unix_socket_dir =',
          'auth_type = any',
          'pool_mode = transaction',
          // Two server connections, handed out in turn: consecutive transactions of one client land on
          // different server connections, as they do on a busy pooler.
          'default_pool_size = 2',
          'min_pool_size = 2',
          'server_round_robin = 1',
          'logfile =',
          'pidfile =',
          'ignore_startup_parameters = extra_float_digits',
        ].join('\n'),
      );
      // PgBouncer refuses to run as root; -u drops to an unprivileged user after reading its config.
      const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
      bouncer = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'nobody'] : []), ini], { stdio: ['ignore', 'pipe', 'pipe'] });
      const output: string[] = [];
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`PgBouncer did not start: ${output.join('')}`)), 10_000);
        const listen = (chunk: Buffer) => {
          output.push(chunk.toString());
          if (/listening on 127\.0\.0\.1/.test(output.join(''))) {
            clearTimeout(timer);
            resolve();
          }
        };
        bouncer!.stderr!.on('data', listen);
        bouncer!.stdout!.on('data', listen);
        bouncer!.once('exit', (code) => reject(new Error(`PgBouncer exited with ${code}: ${output.join('')}`)));
      });
      // Both server connections open before the tests, so round robin has two to alternate between.
      const warm = throughPooler('pooler-warm-up', 2);
      const both = await Promise.all([
        warm.run([{ text: 'select pg_sleep(0.3)', values: [] }], READ),
        warm.run([{ text: 'select pg_sleep(0.3)', values: [] }], READ),
      ]);
      assert.ok(
        both.every((o) => o.status === 'ok'),
        JSON.stringify(both.map((o) => o.error)),
      );
    });

    after(async () => {
      await Promise.all(runners.map((r) => r.dispose()));
      bouncer?.kill('SIGTERM');
      await server?.stop();
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('the pooler really moves a client between server connections: a named statement goes missing', async () => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: bouncerPort,
        database: 'postgres',
        user: server!.user,
        password: server!.password,
      });
      await client.connect();
      try {
        const errors: string[] = [];
        for (let i = 0; i < 4; i++) {
          try {
            await client.query({ name: 'plain_pg_named', text: 'select 1' });
          } catch (error) {
            errors.push((error as { code?: string }).code ?? String(error));
          }
        }
        assert.ok(
          errors.includes('26000'),
          `plain pg with a named statement meets 26000 here: ${errors.join(',') || 'no errors'}`,
        );
      } finally {
        await client.end();
      }
    });

    test("nothing is named behind the pooler, and the runner's plan setting stays off its server sessions", async () => {
      const runner = throughPooler('pooler-unnamed');
      const backends = new Set<number>();
      for (let i = 0; i < 8 && backends.size < 2; i++) {
        const outcome = await runner.run(
          [
            {
              text: `select pg_backend_pid(), current_setting('plan_cache_mode'),
                       (select count(*)::int from pg_prepared_statements where name like 'runbook_companion%')`,
              values: [],
            },
          ],
          READ,
        );
        assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
        const [pid, planCacheMode, named] = outcome.results[0].rows[0];
        backends.add(pid as number);
        assert.equal(planCacheMode, 'auto', 'a session setting of the runner would reach other clients');
        assert.equal(named, 0, 'a named statement would be bound on a server session it was not parsed on');
      }
      assert.equal(backends.size, 2, 'both server sessions were looked at');
    });

    test('reads keep working across server connections (26000 and 42P05 handled)', async () => {
      // Someone else's statement under the prelude's name on one of the server connections: 42P05
      // for a runner that would parse it without closing it first.
      const other = new pg.Client({
        host: '127.0.0.1',
        port: bouncerPort,
        database: 'postgres',
        user: server!.user,
        password: server!.password,
      });
      await other.connect();
      await other.query({ name: READ_PRELUDE_NAME, text: 'select 1' }).catch(() => undefined);
      await other.end();

      const runner = throughPooler('pooler-fast-path');
      const backends = new Set<number>();
      const read = async (i: number) => {
        const outcome = await runner.run([{ text: 'select pg_backend_pid() as pid, $1::int as i', values: [i] }], READ);
        assert.equal(outcome.status, 'ok', `run ${i}: ${JSON.stringify(outcome.error)}`);
        assert.equal(outcome.results[0].rows[0][1], i);
        backends.add(outcome.results[0].rows[0][0] as number);
        const write = await runner.run([{ text: 'create table pooler_must_not_exist (id int)', values: [] }], READ);
        assert.equal(
          write.error?.code,
          '25006',
          `still read-only on every server connection: ${JSON.stringify(write.error)}`,
        );
      };
      // Another client holds one of the two server connections in an open transaction, so the
      // runner's next read must go to the other one; the held one changes from turn to turn.
      const blocker = new pg.Client({
        host: '127.0.0.1',
        port: bouncerPort,
        database: 'postgres',
        user: server!.user,
        password: server!.password,
      });
      await blocker.connect();
      try {
        for (let i = 0; i < 8 && backends.size < 2; i++) {
          await blocker.query('BEGIN');
          await blocker.query('select 1');
          await read(i);
          await blocker.query('COMMIT');
          await read(100 + i);
        }
      } finally {
        await blocker.end();
      }
      assert.ok(backends.size >= 2, `runs landed on ${backends.size} server connection(s)`);
    });

    test('a read leaves no session state on any server connection behind the pooler: no setting, no advisory lock', async () => {
      const runner = throughPooler('pooler-session-state');
      for (const text of [
        `select U&"set_config"('search_path', 'nowhere', false)`,
        'select U&"pg_advisory_lock"(515151)',
        `select set_config('work_mem', '1MB', false), pg_advisory_lock(515152)`,
      ]) {
        const outcome = await runner.run([{ text, values: [] }], READ);
        assert.equal(outcome.status, 'ok', `${text}: ${JSON.stringify(outcome.error)}`);
      }
      // Straight on the server: no session of the pooler holds the locks.
      const direct = new pg.Client({ connectionString: server!.url });
      await direct.connect();
      try {
        const { rows } = await direct.query(
          "select count(*)::int as n from pg_locks where locktype = 'advisory' and objid in (515151, 515152)",
        );
        assert.equal(rows[0].n, 0, 'advisory locks released on the server connection that took them');
      } finally {
        await direct.end();
      }
      // Through the pooler, every server connection in turn: none kept the settings.
      const seen = new Map<number, string>();
      const client = new pg.Client({
        host: '127.0.0.1',
        port: bouncerPort,
        database: 'postgres',
        user: server!.user,
        password: server!.password,
      });
      await client.connect();
      try {
        for (let i = 0; i < 8 && seen.size < 2; i++) {
          const { rows } = await client.query(
            "select pg_backend_pid() as pid, current_setting('search_path') || ' ' || current_setting('work_mem') as settings",
          );
          seen.set(rows[0].pid, rows[0].settings);
        }
      } finally {
        await client.end();
      }
      assert.equal(seen.size, 2, 'both server connections were looked at');
      for (const settings of seen.values()) assert.doesNotMatch(settings, /nowhere|1MB/);
    });

    test('blocks, writes, errors and cancel work through the pooler', async () => {
      const runner = throughPooler('pooler-blocks');
      const block = await runner.run(
        [
          { text: 'select 1 as a', values: [] },
          { text: 'select 2 as b', values: [] },
        ],
        READ,
      );
      assert.deepEqual(
        block.results.map((r) => r.rows[0][0]),
        [1, 2],
      );
      const write = await runner.run(
        [
          { text: 'create table pooler_items (id int)', values: [] },
          { text: 'insert into pooler_items values (1), (2)', values: [] },
        ],
        { ...READ, mode: 'write' },
      );
      assert.equal(write.committed, true, JSON.stringify(write.error));
      const failing = await runner.run([{ text: 'select 1/0', values: [] }], READ);
      assert.equal(failing.error?.code, '22012');
      const count = await runner.run([{ text: 'select count(*)::int from pooler_items', values: [] }], READ);
      assert.deepEqual(count.results[0]?.rows, [[2]], JSON.stringify(count.error));

      const controller = new AbortController();
      const slow = runner.run([{ text: 'select pg_sleep(30)', values: [] }], { ...READ, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 300));
      const abortedAt = performance.now();
      controller.abort();
      const cancelled = await slow;
      assert.equal(cancelled.status, 'cancelled');
      assert.ok(
        performance.now() - abortedAt < 1500,
        `the pooler passed the cancel request on (${(performance.now() - abortedAt).toFixed(0)} ms)`,
      );
      assert.equal((await runner.run([{ text: 'select 1', values: [] }], READ)).status, 'ok');
    });
  },
);
