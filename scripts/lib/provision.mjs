// Makes sure the machine has what the real-VS-Code tests and `npm start` need: Debian's Chromium
// (never a downloaded browser), code-server and the Supabase CLI in .tools/. A fresh CI machine has
// none of them, so the project installs them itself; when everything is present this takes < 1 s.
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  copyFileSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.100.3'; // newest that runs on Node 20
export const SUPABASE_CLI_VERSION = '3.1.0';

// @vscode/ripgrep's postinstall downloads from GitHub unless this cache file exists.
const RIPGREP_CACHE_DIR = 'vscode-ripgrep-cache-1.15.11';
const RIPGREP_CACHE_FILE = 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz';

export function projectRoot() {
  return fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
}

export function toolsDir() {
  return join(projectRoot(), '.tools');
}

export function codeServerBin() {
  return join(toolsDir(), 'code-server', 'node_modules', '.bin', 'code-server');
}

export function supabaseBin() {
  return join(toolsDir(), 'supabase', 'node_modules', '.bin', 'supabase');
}

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const PGBOUNCER_PATH = '/usr/sbin/pgbouncer';

/**
 * @param {{ needBrowser?: boolean, needCodeServer?: boolean, needSupabase?: boolean, needPgBouncer?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ ok: boolean, missing: string[], blocking: string[] }>} `blocking`: missing and not optional
 */
export async function ensurePrerequisites({
  needBrowser = true,
  needCodeServer = true,
  needSupabase = true,
  needPgBouncer = false,
  log = defaultLog,
} = {}) {
  const codeServerReady = !needCodeServer || isCodeServerInstalled();
  const supabaseReady = !needSupabase || isSupabaseInstalled();

  const required = systemRequirements({ needBrowser, needPgBouncer, needCodeServerBuild: !codeServerReady });
  let missingPackages = required.filter((r) => !r.present()).map((r) => r.pkg);
  if (missingPackages.length > 0 && canUseApt()) {
    log(`installing Debian packages: ${missingPackages.join(' ')} (output in ${logFile('apt')})`);
    await installDebianPackages(missingPackages, log);
    missingPackages = required.filter((r) => !r.present()).map((r) => r.pkg);
  }
  if (missingPackages.length > 0) {
    const sudo = process.getuid?.() === 0 ? '' : 'sudo ';
    log(`missing system packages: ${missingPackages.join(', ')}`);
    log(
      `install them with: ${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${missingPackages.join(' ')}`,
    );
  }

  const missing = [...missingPackages];
  const codeServerBuildBlocked = ['libkrb5-dev', 'ripgrep', 'g++', 'make', 'python3'].some((p) =>
    missingPackages.includes(p),
  );
  if (!codeServerReady) {
    if (codeServerBuildBlocked) missing.push(`code-server@${CODE_SERVER_VERSION}`);
    else if (!(await installCodeServer(log))) missing.push(`code-server@${CODE_SERVER_VERSION}`);
  }
  if (
    !supabaseReady &&
    !(await installNpmTool('supabase', { supabase: SUPABASE_CLI_VERSION }, {}, log, isSupabaseInstalled))
  ) {
    missing.push(`supabase@${SUPABASE_CLI_VERSION}`);
  }
  const optional = new Set(required.filter((r) => r.optional).map((r) => r.pkg));
  return { ok: missing.length === 0, missing, blocking: missing.filter((m) => !optional.has(m)) };
}

function defaultLog(line) {
  console.log(`[prerequisites] ${line}`);
}

function systemRequirements({ needBrowser, needPgBouncer, needCodeServerBuild }) {
  const requirements = [];
  if (needBrowser) requirements.push({ pkg: 'chromium', present: () => existsSync(CHROMIUM_PATH) });
  // The SQL runner's tests behind a real transaction pooler, as Supabase's port 6543 is.
  if (needPgBouncer) {
    requirements.push(
      // Optional: without them only the pooler and TLS tests skip (they say so).
      { pkg: 'pgbouncer', present: () => existsSync(PGBOUNCER_PATH), optional: true },
      // The TLS tests make a throw-away CA and server certificate with the openssl CLI.
      { pkg: 'openssl', present: () => commandExists('openssl'), optional: true },
    );
  }
  if (needCodeServerBuild) {
    // Only the code-server install needs these: its kerberos module compiles against libkrb5-dev,
    // and ripgrep seeds @vscode/ripgrep's download cache.
    requirements.push(
      {
        pkg: 'libkrb5-dev',
        present: () => debianPackageInstalled('libkrb5-dev') || existsSync('/usr/include/gssapi/gssapi.h'),
      },
      { pkg: 'ripgrep', present: () => existsSync('/usr/bin/rg') || existsSync(ripgrepCachePath()) },
      { pkg: 'g++', present: () => commandExists('g++') },
      { pkg: 'make', present: () => commandExists('make') },
      { pkg: 'python3', present: () => commandExists('python3') },
    );
  }
  return requirements;
}

function debianPackageInstalled(pkg) {
  const result = spawnSync('dpkg', ['-s', pkg], { encoding: 'utf8' });
  return result.status === 0 && /Status: install ok installed/.test(result.stdout);
}

function commandExists(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function canUseApt() {
  return process.getuid?.() === 0 && existsSync('/etc/debian_version') && commandExists('apt-get');
}

async function installDebianPackages(packages, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const file = logFile('apt');
  if (!(await runLogged('apt-get', ['update'], { env }, file, log))) return false;
  return runLogged('apt-get', ['install', '-y', '--no-install-recommends', ...packages], { env }, file, log);
}

function isCodeServerInstalled() {
  const pkg = join(toolsDir(), 'code-server', 'node_modules', 'code-server');
  return (
    installedVersion(pkg) === CODE_SERVER_VERSION &&
    existsSync(join(pkg, 'lib', 'vscode', 'node_modules')) &&
    existsSync(codeServerBin())
  );
}

function isSupabaseInstalled() {
  return (
    installedVersion(join(toolsDir(), 'supabase', 'node_modules', 'supabase')) === SUPABASE_CLI_VERSION &&
    existsSync(supabaseBin())
  );
}

function installedVersion(packageDir) {
  try {
    return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

function ripgrepCachePath() {
  return join(tmpdir(), RIPGREP_CACHE_DIR, RIPGREP_CACHE_FILE);
}

function seedRipgrepCache() {
  const target = ripgrepCachePath();
  if (existsSync(target)) return true;
  mkdirSync(join(tmpdir(), RIPGREP_CACHE_DIR), { recursive: true });
  const staging = mkdtempSync(join(tmpdir(), 'runbook-rg-'));
  try {
    copyFileSync('/usr/bin/rg', join(staging, 'rg'));
    return spawnSync('tar', ['-czf', target, '-C', staging, 'rg'], { stdio: 'ignore' }).status === 0;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

async function installCodeServer(log) {
  if (!seedRipgrepCache()) {
    log(`could not create the ripgrep cache at ${ripgrepCachePath()}`);
    return false;
  }
  // code-server's own install scripts (and argon2's) must run; npm 11 blocks them unless allowed.
  return installNpmTool(
    'code-server',
    { 'code-server': CODE_SERVER_VERSION },
    { 'code-server': true, argon2: true },
    log,
    isCodeServerInstalled,
  );
}

async function installNpmTool(name, dependencies, allowScripts, log, isInstalled) {
  const dir = join(toolsDir(), name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `runbook-companion-tools-${name}`, private: true, dependencies, allowScripts }, null, 2) +
      '\n',
  );
  const file = logFile(`npm-install-${name}`);
  log(
    `installing ${Object.entries(dependencies)
      .map(([n, v]) => `${n}@${v}`)
      .join(' ')} into ${dir} (output in ${file})`,
  );
  const started = Date.now();
  const ok = await runLogged(
    'npm',
    ['install', '--no-audit', '--no-fund'],
    { cwd: dir, env: nestedNpmEnv() },
    file,
    log,
  );
  if (ok && isInstalled()) {
    log(`${name} installed in ${Math.round((Date.now() - started) / 1000)} s`);
    return true;
  }
  log(`installing ${name} failed; see ${file}`);
  return false;
}

// Under `npm test` the parent npm exports its project's settings (local prefix, an empty
// allow-scripts list, package fields); a nested install in another directory must not inherit them.
function nestedNpmEnv() {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    if (/^npm_(package_|lifecycle_|command$|config_local_prefix$|config_allow_scripts$|config_call$)/.test(key))
      delete env[key];
  }
  // yes=true: a postinstall runs `npx node-gyp`, which refuses under the user config yes=false.
  return { ...env, npm_config_unsafe_perm: 'true', npm_config_yes: 'true' };
}

function logFile(name) {
  const dir = join(toolsDir(), 'logs');
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.log`);
}

// Runs a command with its output appended to a log file; on failure shows the tail of it.
function runLogged(command, args, options, file, log) {
  return new Promise((resolve) => {
    const out = createWriteStream(file, { flags: 'a' });
    out.write(`\n$ ${command} ${args.join(' ')}\n`);
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.pipe(out, { end: false });
    child.stderr.pipe(out, { end: false });
    let finished = false;
    const finish = (code, error) => {
      if (finished) return; // 'error' and 'close' can both fire for a command that failed to spawn
      finished = true;
      out.end(error ? `\n${error.message}\n` : `\n[exit ${code}]\n`, () => {
        if (code !== 0) {
          log(
            `${command} ${args.join(' ')} failed (${error ? error.message : `exit ${code}`}); last lines of ${file}:`,
          );
          for (const line of tail(file, 15)) log(`  ${line}`);
        }
        resolve(code === 0);
      });
    };
    child.on('error', (error) => finish(-1, error));
    child.on('close', (code) => finish(code ?? -1));
  });
}

function tail(file, lines) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}
