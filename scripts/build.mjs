// Builds the extension, the CLI and the webview bundles with esbuild; with --tests also the test suites.
// Usage: node scripts/build.mjs [--production] [--tests] [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

const args = new Set(process.argv.slice(2));
const production = args.has('--production');
const withTests = args.has('--tests');
const watch = args.has('--watch');
const root = new URL('..', import.meta.url).pathname;

function filesUnder(dir, suffix) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, suffix));
    else if (name.endsWith(suffix)) out.push(full);
  }
  return out;
}

/** `{ results: 'src/webview/results/main.ts', … }`: every folder of src/webview with a main.ts is a panel's page. */
function webviewEntryPoints() {
  const dir = join(root, 'src/webview');
  return Object.fromEntries(
    readdirSync(dir)
      .filter((name) => existsSync(join(dir, name, 'main.ts')))
      .map((name) => [name, relative(root, join(dir, name, 'main.ts'))]),
  );
}

const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

const builds = [
  {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
  },
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
    banner: { js: '#!/usr/bin/env node' },
  },
  {
    ...common,
    // One bundle per panel: src/webview/<panel>/main.ts → dist/webview/<panel>.js (src/webview/shared is bundled into each).
    entryPoints: webviewEntryPoints(),
    outdir: 'dist/webview',
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
  },
];

if (withTests) {
  builds.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: filesUnder(join(root, 'test/unit'), '.test.ts').map((f) => relative(root, f)),
    outdir: 'out/test/unit',
    outbase: 'test/unit',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
  });
  builds.push({
    ...common,
    sourcemap: 'inline',
    minify: false,
    entryPoints: [
      ...filesUnder(join(root, 'test/vscode'), '.ts'),
      ...filesUnder(join(root, 'test/helpers'), '.ts'),
      ...filesUnder(join(root, 'test/bench'), '.ts'),
    ]
      .filter((f) => !f.endsWith('.d.ts'))
      .map((f) => relative(root, f)),
    outdir: 'out/test',
    outbase: 'test',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    external: ['vscode'],
  });
}

if (!watch) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
  if (withTests) rmSync(join(root, 'out'), { recursive: true, force: true });
}

const started = Date.now();
if (watch) {
  // The lines the $esbuild-watch problem matcher of .vscode/tasks.json waits for (its extension is recommended
  // in .vscode/extensions.json); esbuild itself prints the errors in the form that matcher reads.
  const watchProblemLines = {
    name: 'watch-problem-lines',
    setup(build) {
      build.onStart(() => console.log('[watch] build started'));
      build.onEnd(() => console.log('[watch] build finished'));
    },
  };
  for (const options of builds) {
    if (Object.keys(options.entryPoints).length === 0) continue;
    const ctx = await esbuild.context({ ...options, plugins: [...(options.plugins ?? []), watchProblemLines] });
    await ctx.watch();
  }
  console.log('[build] watching for changes');
} else {
  await Promise.all(
    builds.filter((b) => Object.keys(b.entryPoints).length > 0).map((options) => esbuild.build(options)),
  );
  console.log(`[build] ${production ? 'production' : 'development'} build in ${Date.now() - started} ms`);
}
