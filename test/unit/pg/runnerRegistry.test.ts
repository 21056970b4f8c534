// The pools of the extension's projects against a real PostgreSQL: a pool that is no longer wanted
// closes once its runs end (at once when idle), and never cancels a run on another project.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { startPostgres } from '../../../scripts/lib/postgres.mjs';
import { RunnerRegistry } from '../../../src/node/pg/runnerRegistry';
import type { LinkedProject } from '../../../src/core/projects/linkedProject';
import type { RunOptions } from '../../../src/node/pg/pgRunner';
import { waitFor } from '../../helpers/wait';

type Started = Awaited<ReturnType<typeof startPostgres>>;

const READ: RunOptions = { mode: 'read', statementTimeoutMs: 30_000, maxRows: 100 };
const PASSWORD = 'registry-test-password';

let server: Started;
let admin: pg.Client;

function project(name: string): LinkedProject {
  return {
    name,
    production: false,
    isLocal: true,
    source: 'settings',
    db: {
      host: server.host,
      port: server.port,
      database: server.database,
      user: `registry_${name}`,
      sslmode: 'disable',
    },
  };
}

/** Server sessions of a project's role, optionally only those running a query. */
async function sessions(of: LinkedProject, state?: 'active'): Promise<number> {
  const result = await admin.query(
    'SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1 AND ($2::text IS NULL OR state = $2)',
    [of.db!.user, state ?? null],
  );
  return result.rows[0].n as number;
}

before(async () => {
  server = await startPostgres({ schema: false });
  admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  for (const name of ['a', 'b']) await admin.query(`CREATE ROLE registry_${name} LOGIN PASSWORD '${PASSWORD}'`);
});

after(async () => {
  await admin?.end();
  await server?.stop();
});

test("the previously active project's idle pool closes at once; a query on another project runs on to its end", async () => {
  const registry = new RunnerRegistry(() => 2);
  const [a, b] = [project('a'), project('b')];
  try {
    assert.equal((await (await registry.get(a, PASSWORD)).run([{ text: 'SELECT 1', values: [] }], READ)).status, 'ok');
    assert.equal(await sessions(a), 1, 'a keeps its connection pooled');

    // "Run on…" b while a is active, then a switch of the active project away from a.
    const onB = (await registry.get(b, PASSWORD)).run([{ text: 'SELECT pg_sleep(1.5) AS slept', values: [] }], READ);
    await waitFor(async () => (await sessions(b, 'active')) === 1, 'the query on b to run');
    await registry.retire(a, b);
    await waitFor(async () => (await sessions(a)) === 0, "a's connection to close on the server");
    assert.equal(await sessions(b, 'active'), 1, 'the query on b still runs');
    const outcome = await onB;
    assert.equal(outcome.status, 'ok', outcome.error?.message);
    assert.equal(outcome.results[0].rows.length, 1);
    assert.equal(await sessions(b), 1, 'b is not retired: its connection stays pooled');
  } finally {
    await registry.disposeAll();
  }
});

test('a retired pool with a query running closes only once that query ends, and no new run gets it', async () => {
  const registry = new RunnerRegistry(() => 2);
  const [a, b] = [project('a'), project('b')];
  try {
    const running = await registry.get(a, PASSWORD);
    // Which of the two ends first is the proof: the retired pool closes after its run, never before.
    const order: string[] = [];
    const run = running.run([{ text: 'SELECT pg_sleep(1) AS slept', values: [] }], READ).then((outcome) => {
      order.push('run ended');
      return outcome;
    });
    await waitFor(async () => (await sessions(a, 'active')) === 1, 'the query on a to run');
    const retiring = registry.retire(a, b).then(() => order.push('pool closed'));
    assert.equal(registry.busy, true);
    const fresh = await registry.get(a, PASSWORD);
    assert.notEqual(fresh, running, 'a new run on a gets a pool of its own');
    assert.equal((await run).status, 'ok', 'the run was not cancelled');
    await retiring;
    assert.deepEqual(order, ['run ended', 'pool closed'], 'the pool waited for its run');
    assert.equal(running.activeConnections(), 0, 'the retired pool closed');
    // Retiring the project that is still active does nothing.
    await (await registry.get(b, PASSWORD)).run([{ text: 'SELECT 1', values: [] }], READ);
    await registry.retire(b, b);
    assert.equal(await sessions(b), 1);
  } finally {
    await registry.disposeAll();
  }
  await waitFor(
    async () => (await sessions(a)) + (await sessions(b)) === 0,
    'every connection to close after disposeAll',
  );
});

test('disposeAll (deactivation) cancels what runs and closes every pool at once', async () => {
  const registry = new RunnerRegistry(() => 2);
  const a = project('a');
  const run = (await registry.get(a, PASSWORD)).run([{ text: 'SELECT pg_sleep(30)', values: [] }], READ);
  await waitFor(async () => (await sessions(a, 'active')) === 1, 'the query to run');
  await registry.disposeAll();
  // 'cancelled', not 'ok': the 30-second sleep was stopped, not waited out.
  const outcome = await run;
  assert.equal(outcome.status, 'cancelled');
  await waitFor(async () => (await sessions(a)) === 0, 'the connection to close');
  assert.equal(registry.activeConnections(), 0);
});
