// `npm start`: packages the extension, installs the .vsix into a code-server of its own and opens a
// sample workspace next to a local PostgreSQL on 54322 (the local Supabase database port, so the
// extension's default "local" project works) and a stand-in of the project's endpoints on 54321 (the
// local stack's gateway port: the health panel's checks go live at once). Everything lives in
// .tools/start and survives restarts.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { CODE_SERVER_VERSION, codeServerBin, ensurePrerequisites, projectRoot } from './lib/provision.mjs';
import { firstFreePortFrom, isPortFree } from './lib/ports.mjs';
import { startProjectEndpoints } from './lib/projectEndpoints.mjs';

const LOCAL_SUPABASE_DB_PORT = 54322;
const LOCAL_SUPABASE_API_PORT = 54321;
const root = projectRoot();
const startDir = join(root, '.tools', 'start');
const paths = {
  vsix: join(root, 'dist', 'runbook-companion.vsix'),
  extensions: join(startDir, 'ext'),
  userData: join(startDir, 'ud'),
  config: join(startDir, 'config.yaml'),
  workspace: join(startDir, 'workspace'),
  pgdata: join(startDir, 'pgdata'),
  serverLog: join(startDir, 'code-server.log'),
};

const running = { server: undefined, postgres: undefined, endpoints: undefined };
installStopHandlers();

try {
  await main();
} catch (error) {
  console.error(`\n✗ ${error.message}`);
  await stopAll();
  process.exit(1);
}

async function main() {
  step('checking prerequisites');
  const { missing } = await ensurePrerequisites({
    needBrowser: false,
    needSupabase: true,
    log: (line) => console.log(`  ${line}`),
  });
  if (missing.some((m) => m.startsWith('code-server')))
    throw new Error(`code-server ${CODE_SERVER_VERSION} is not available (see above)`);
  if (missing.length > 0) console.log(`  continuing without: ${missing.join(', ')}`);

  step('packaging the extension (npm run package)');
  const packaged = await run('npm', ['run', 'package']);
  if (packaged.code !== 0) {
    throw new Error(
      `packaging failed (npm run package exited with ${packaged.code}). Its last lines:\n${packaged.lines
        .slice(-20)
        .map((l) => `    ${l}`)
        .join('\n')}`,
    );
  }

  step(`installing ${relative(root, paths.vsix)} into ${relative(root, paths.extensions)}`);
  mkdirSync(startDir, { recursive: true });
  if (!existsSync(paths.config)) writeFileSync(paths.config, 'auth: none\ncert: false\n');
  const installed = await run(codeServerBin(), [...profileArgs(), '--install-extension', paths.vsix, '--force']);
  if (installed.code !== 0) throw new Error(`code-server could not install the extension (exit ${installed.code})`);

  step(`preparing the sample workspace ${relative(root, paths.workspace)}`);
  prepareWorkspace();

  step('starting PostgreSQL');
  const databaseUrl = await startDatabase();

  step('starting the project endpoints');
  const apiUrl = await startEndpoints();

  step('starting code-server');
  const port = process.env.PORT ? Number(process.env.PORT) : await firstFreePortFrom(8080);
  if (process.env.PORT && !(await isPortFree(port))) throw new Error(`PORT=${port} is already in use`);
  running.server = startCodeServer(port);
  await waitForServer(port, running.server);

  console.log('');
  console.log(`Runbook Companion is running in VS Code (code-server ${CODE_SERVER_VERSION}).`);
  console.log(`  Open:      http://127.0.0.1:${port}/?folder=${encodeURIComponent(paths.workspace)}`);
  console.log(`  Database:  ${databaseUrl}`);
  console.log(`  API:       ${apiUrl} (Runbook: Open Health Panel)`);
  console.log(`  Workspace: ${paths.workspace}`);
  console.log(`  Log:       ${paths.serverLog}`);
  console.log('Ctrl+C to stop');

  running.server.on('exit', async (code, signal) => {
    console.error(`\n✗ code-server stopped unexpectedly (${code ?? signal}); see ${paths.serverLog}`);
    running.server = undefined;
    await stopAll();
    process.exit(1);
  });
}

function step(text) {
  console.log(`\n▸ ${text}`);
}

function profileArgs() {
  // --config and --user-data-dir keep code-server from writing ~/.config and ~/.local.
  return ['--config', paths.config, '--user-data-dir', paths.userData, '--extensions-dir', paths.extensions];
}

// The user's edits in the workspace win: only what is missing is copied or created.
function prepareWorkspace() {
  mkdirSync(join(paths.workspace, 'supabase'), { recursive: true });
  cpSync(join(root, 'runbook'), join(paths.workspace, 'runbook'), {
    recursive: true,
    force: false,
    errorOnExist: false,
  });
  const config = join(paths.workspace, 'supabase', 'config.toml');
  if (!existsSync(config)) writeFileSync(config, 'project_id = "runbook-sample"\n');
  const settings = join(paths.userData, 'User', 'settings.json');
  if (!existsSync(settings)) {
    mkdirSync(join(paths.userData, 'User'), { recursive: true });
    // The workspace sits inside this repository; git's "open the parent repository?" prompt is noise.
    const quiet = {
      'telemetry.telemetryLevel': 'off',
      'update.mode': 'none',
      'extensions.autoCheckUpdates': false,
      'workbench.startupEditor': 'none',
      'git.openRepositoryInParentFolders': 'never',
    };
    writeFileSync(settings, JSON.stringify(quiet, null, 2));
  }
  console.log(`  ${paths.workspace}: runbook/, supabase/config.toml`);
}

/** Starts the persistent fixture database on 54322, or reuses whatever already listens there. */
async function startDatabase() {
  const safeUrl = `postgresql://postgres@127.0.0.1:${LOCAL_SUPABASE_DB_PORT}/postgres`;
  if (!(await isPortFree(LOCAL_SUPABASE_DB_PORT))) {
    console.log(`  port ${LOCAL_SUPABASE_DB_PORT} is in use (a local Supabase already running?); using it as it is`);
    return safeUrl;
  }
  const { startPostgres, fixturePath } = await import('./lib/postgres.mjs');
  const firstInit = !existsSync(join(paths.pgdata, 'PG_VERSION'));
  const schema = firstInit && existsSync(fixturePath());
  if (firstInit && !schema)
    console.log(
      `  ${relative(root, fixturePath())} is missing: the database starts empty (delete ${relative(root, paths.pgdata)} to start over once it exists)`,
    );
  // startPostgres loads the schema only when it creates the cluster, so restarts keep the user's data.
  running.postgres = await startPostgres({
    port: LOCAL_SUPABASE_DB_PORT,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    databaseDir: paths.pgdata,
    schema,
  });
  console.log(
    `  PostgreSQL on 127.0.0.1:${LOCAL_SUPABASE_DB_PORT} (user postgres, password postgres)${firstInit ? ', new cluster' : ''}${schema ? ' with the fixture schema' : ''}; data in ${relative(root, paths.pgdata)}`,
  );
  return safeUrl;
}

/**
 * A stand-in of the local stack's gateway on 54321, whose health function varies over time, or whatever already
 * listens there (a real `supabase start`).
 */
async function startEndpoints() {
  const url = `http://127.0.0.1:${LOCAL_SUPABASE_API_PORT}`;
  if (!(await isPortFree(LOCAL_SUPABASE_API_PORT))) {
    console.log(
      `  port ${LOCAL_SUPABASE_API_PORT} is in use (a local Supabase already running?); the panel checks it as it is`,
    );
    return url;
  }
  running.endpoints = await startProjectEndpoints({ port: LOCAL_SUPABASE_API_PORT, live: true, maxRequests: 1000 });
  console.log(
    `  ${url}: /functions/v1/health (the runbook's health JSON, degraded now and then), /auth/v1/health, /storage/v1/version; the apikey is the local stack's default anon key`,
  );
  return url;
}

function startCodeServer(port) {
  const env = { ...process.env };
  delete env.PORT; // code-server lets $PORT override --bind-addr
  const log = createWriteStream(paths.serverLog, { flags: 'a' });
  const args = [
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    ...profileArgs(),
    paths.workspace,
  ];
  // Its own process group, so stopping it also stops its extension host and pty host.
  const child = spawn(codeServerBin(), args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(log, { end: false });
  child.stderr.pipe(log, { end: false });
  return child;
}

async function waitForServer(port, child) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`code-server exited while starting:\n${tail(paths.serverLog, 15)}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer on port ${port} within 60 s; see ${paths.serverLog}`);
}

function run(command, args) {
  return new Promise((resolve) => {
    console.log(`  $ ${[command, ...args].map(shortPath).join(' ')}`);
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    const echo = (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        lines.push(line);
        console.log(`    ${line}`);
      }
    };
    child.stdout.on('data', echo);
    child.stderr.on('data', echo);
    child.on('error', (error) => resolve({ code: -1, lines: [...lines, error.message] }));
    child.on('close', (code) => resolve({ code: code ?? -1, lines }));
  });
}

function shortPath(text) {
  return text.startsWith(`${root}/`) ? relative(root, text) : text;
}

async function stopAll() {
  const { server, postgres, endpoints } = running;
  running.server = undefined;
  running.postgres = undefined;
  running.endpoints = undefined;
  await endpoints?.close();
  if (server) {
    server.removeAllListeners('exit');
    try {
      process.kill(-server.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  await postgres?.stop();
}

function installStopHandlers() {
  let stopping = false;
  const onSignal = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    console.log('\nstopping code-server, PostgreSQL and the project endpoints…');
    await stopAll();
    console.log('stopped');
    process.exit(0);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

function tail(file, count) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-count).join('\n');
  } catch {
    return '';
  }
}
