// The extension manifest and the package: activation only on demand, on every default runbook glob,
// and a .vsix that holds what the extension needs and nothing else.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../helpers/seed';
import { RESULTS_VIEW_TYPE } from '../../../src/shared/results/protocol';

const manifest = JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8'));

test('activates only on demand, never on "*" or on startup', () => {
  const events: string[] = manifest.activationEvents;
  assert.ok(!events.includes('*'));
  assert.ok(!events.includes('onStartupFinished'));
});

test('every default runbook.files glob activates the extension', () => {
  const globs: string[] = manifest.contributes.configuration.properties['runbook.files'].default;
  const events: string[] = manifest.activationEvents;
  for (const glob of globs) assert.ok(events.includes(`workspaceContains:${glob}`), `no activation event for ${glob}`);
});

test('every command is runbook.<verbNoun> in category Runbook', () => {
  for (const command of manifest.contributes.commands) {
    assert.match(command.command, /^runbook\.[a-z]+[A-Za-z]*$/, command.command);
    assert.equal(command.category, 'Runbook', command.command);
  }
});

test('every setting is under runbook.* with a scope', () => {
  for (const [key, setting] of Object.entries<Record<string, unknown>>(manifest.contributes.configuration.properties)) {
    assert.match(key, /^runbook\./);
    assert.ok(setting.scope, `${key} has no scope`);
  }
});

test('a webview panel open at a reload activates the extension, so its serializer can restore it', () => {
  assert.ok(manifest.activationEvents.includes(`onWebviewPanel:${RESULTS_VIEW_TYPE}`));
});

test('the package holds the bundles, media, the sample runbook and the README images, and no sources', () => {
  const vsce = join(PROJECT_ROOT, 'node_modules', '.bin', 'vsce');
  const files = execFileSync(vsce, ['ls', '--no-dependencies'], { cwd: PROJECT_ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  const lazyBundles = readdirSync(join(PROJECT_ROOT, 'dist', 'lazy')).filter((name) => name.endsWith('.js'));
  for (const needed of [
    'package.json',
    'README.md',
    'dist/extension.js',
    ...lazyBundles.map((name) => `dist/lazy/${name}`),
    // The model worker that parses large runbooks off the main thread.
    'dist/modelWorker.js',
    'dist/webview/results.js',
    'media/webview.css',
    'media/results.css',
    'runbook/operations-runbook.md',
  ]) {
    assert.ok(files.includes(needed), `${needed} missing from the package: ${files.join(', ')}`);
  }
  const readme = readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8');
  for (const [, image] of readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g))
    assert.ok(files.includes(image), `README image ${image} is not packaged`);
  const unwanted = files.filter(
    (f) =>
      /^(src|test|scripts|node_modules|out|\.tools)\//.test(f) ||
      f.endsWith('.map') ||
      f.endsWith('.ts') ||
      f === 'dist/cli.js',
  );
  assert.deepEqual(unwanted, []);
});

test('pg and the SQL runner are not in the bundle activation loads: they load from dist/lazy on the first run', () => {
  const bundle = readFileSync(join(PROJECT_ROOT, 'dist', 'extension.js'), 'utf8');
  const runner = join(PROJECT_ROOT, 'dist', 'lazy', 'node.pg.pgRunner.js');
  assert.ok(existsSync(runner), `${runner} was not built`);
  // A sentence of pg's client, which any copy of pg carries.
  const pgMarker = 'Client has already been connected';
  assert.ok(readFileSync(runner, 'utf8').includes(pgMarker), 'the lazy bundle holds pg');
  assert.ok(!bundle.includes(pgMarker), 'dist/extension.js holds pg');
  assert.match(bundle, /require\("\.\/lazy\/node\.pg\.pgRunner\.js"\)/);
});

test('undici is not in the bundle activation loads: it loads from dist/lazy on the first request', () => {
  const bundle = readFileSync(join(PROJECT_ROOT, 'dist', 'extension.js'), 'utf8');
  const agent = join(PROJECT_ROOT, 'dist', 'lazy', 'node.http.undiciAgent.js');
  assert.ok(existsSync(agent), `${agent} was not built`);
  // The symbol undici's errors are branded with, which any copy of undici carries (our own code only names the
  // error codes, to explain them).
  const undiciMarker = 'undici.error.UND_ERR';
  assert.ok(readFileSync(agent, 'utf8').includes(undiciMarker), 'the lazy bundle holds undici');
  assert.ok(!bundle.includes(undiciMarker), 'dist/extension.js holds undici');
  assert.match(bundle, /require\("\.\/lazy\/node\.http\.undiciAgent\.js"\)/);
});

test('the parser, the runners and the health checks are not in the bundle activation loads: each loads on first use', () => {
  const bundle = readFileSync(join(PROJECT_ROOT, 'dist', 'extension.js'), 'utf8');
  // For each: the bundle of its own, a sentence only its code carries, and what first use requires.
  const lazy = [
    // markdown-it's own error, with the model and the checkers: loaded by the first parse.
    { file: 'node.model.parseAndCheck.js', marker: 'Input data should be a String' },
    // The shell safety rules, with the terminal runner: loaded by the first shell run.
    { file: 'vscode.shell.shellSnippetRunner.js', marker: 'The command nests other commands too deeply to check.' },
    // The SQL runner: loaded by the first SQL run.
    { file: 'vscode.sql.sqlSnippetRunner.js', marker: 'It runs in one transaction:' },
    // The probes and checks: loaded when watching starts.
    { file: 'vscode.health.healthMonitorFactory.js', marker: 'No anon or publishable key for this project:' },
  ];
  for (const { file, marker } of lazy) {
    const path = join(PROJECT_ROOT, 'dist', 'lazy', file);
    assert.ok(existsSync(path), `${path} was not built`);
    assert.ok(readFileSync(path, 'utf8').includes(marker), `dist/lazy/${file} does not hold "${marker}"`);
    assert.ok(!bundle.includes(marker), `dist/extension.js holds "${marker}", which only dist/lazy/${file} should`);
    assert.ok(bundle.includes(`require("./lazy/${file}")`), `dist/extension.js never loads dist/lazy/${file}`);
  }
  // Classic zod names its string schema "ZodString" (zod/mini: "ZodMiniString", its core: "$ZodString").
  assert.ok(bundle.includes('"ZodMiniString"'), 'dist/extension.js reads settings with zod/mini');
  assert.ok(
    !bundle.includes('"ZodString"'),
    'dist/extension.js holds classic zod (src/core/schema/zod.ts is zod/mini)',
  );
});
