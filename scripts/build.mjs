// Builds the extension, the CLI and the webview bundles with esbuild; with --tests also the test suites.
// Usage: node scripts/build.mjs [--production] [--tests] [--watch]
import * as esbuild from 'esbuild';
import { readdirSync, statSync, rmSync, existsSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

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

function resolveSource(path) {
  for (const candidate of [path, `${path}.ts`, join(path, 'index.ts')])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return path;
}

/** Every module of src that some file of src loads with import('./…'). */
function findLazyModules(dir) {
  const found = new Set();
  for (const file of filesUnder(dir, '.ts')) {
    if (file.includes(`${join(dir, 'webview')}`)) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/\bimport\(\s*'(\.{1,2}\/[^']+)'\s*\)/g))
      found.add(resolveSource(resolve(dirname(file), spec)));
  }
  return [...found].sort();
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

// Code a run needs, not activation (pg and the SQL runner; later undici and the feature runners), is loaded with a
// dynamic import() in src. Each module imported that way becomes a bundle of its own in dist/lazy, required on first
// use: activation neither evaluates nor even compiles it, however many features land.
const lazyModules = findLazyModules(join(root, 'src'));
const lazyBundleName = (file) => relative(join(root, 'src'), file).replace(/\.ts$/, '').replace(/[\\/]/g, '.');
function lazyBundles(fromDir) {
  return {
    name: 'lazy-bundles',
    setup(build) {
      build.onResolve({ filter: /^\./ }, (args) => {
        if (args.kind !== 'dynamic-import') return undefined;
        const file = resolveSource(resolve(args.resolveDir, args.path));
        if (!lazyModules.includes(file)) return undefined;
        const target = join(root, 'dist', 'lazy', `${lazyBundleName(file)}.js`);
        const path = relative(fromDir, target);
        return { path: path.startsWith('.') ? path : `./${path}`, external: true };
      });
    },
  };
}
// esbuild gives every module that imports vscode its own copy of the API's ~400 names (__toESM per import site):
// about half a millisecond each at load, 30 modules today. One shared namespace, made once, is what they all get.
const vscodeNamespaceOnce = {
  name: 'vscode-namespace-once',
  setup(build) {
    build.onResolve({ filter: /^vscode$/ }, (args) =>
      args.namespace === 'vscode-once'
        ? { path: 'vscode', external: true }
        : { path: 'vscode', namespace: 'vscode-once' },
    );
    build.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({
      contents: "export * from 'vscode';",
      loader: 'js',
    }));
  },
};
const extensionHost = {
  ...common,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['vscode', 'pg-native'],
  // import() of a lazy bundle becomes require(), which the extension host serves (the vscode module included).
  supported: { 'dynamic-import': false },
};
// PostgreSQL's parser (libpg-query) is a bundle of its own, dist/libpg-query.js, required on the first SQL run: the
// bundles that use it only name it, so activation never compiles its code. Its WebAssembly sits beside it. The
// import() that loads it becomes require(), which the extension host resolves relative to the requiring bundle.
function parserBesideTheBundle(fromDir) {
  const path = relative(fromDir, join(root, 'dist', 'libpg-query.js'));
  return {
    name: 'parser-beside-the-bundle',
    setup(build) {
      build.onResolve({ filter: /^libpg-query$/ }, () => ({
        path: path.startsWith('.') ? path : `./${path}`,
        external: true,
      }));
    },
  };
}

const builds = [
  {
    ...extensionHost,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    plugins: [vscodeNamespaceOnce, lazyBundles(join(root, 'dist')), parserBesideTheBundle(join(root, 'dist'))],
  },
  ...lazyModules.map((file) => ({
    ...extensionHost,
    entryPoints: [relative(root, file)],
    outfile: `dist/lazy/${lazyBundleName(file)}.js`,
    plugins: [
      vscodeNamespaceOnce,
      lazyBundles(join(root, 'dist', 'lazy')),
      parserBesideTheBundle(join(root, 'dist', 'lazy')),
    ],
  })),
  {
    ...common,
    entryPoints: ['src/cli.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: ['vscode', 'pg-native'],
    banner: { js: '#!/usr/bin/env node' },
    plugins: [parserBesideTheBundle(join(root, 'dist'))],
    supported: { 'dynamic-import': false },
  },
  {
    ...common,
    entryPoints: ['node_modules/libpg-query/wasm/index.cjs'],
    outfile: 'dist/libpg-query.js',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
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

// libpg-query loads its WebAssembly from beside its bundle at run time.
function copyParserWasm() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  copyFileSync(join(root, 'node_modules/libpg-query/wasm/libpg-query.wasm'), join(root, 'dist/libpg-query.wasm'));
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
  copyParserWasm();
  console.log('[build] watching for changes');
} else {
  await Promise.all(
    builds.filter((b) => Object.keys(b.entryPoints).length > 0).map((options) => esbuild.build(options)),
  );
  copyParserWasm();
  console.log(`[build] ${production ? 'production' : 'development'} build in ${Date.now() - started} ms`);
}
