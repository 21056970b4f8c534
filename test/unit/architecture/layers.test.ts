// The architecture as the code really has it: which folder of src imports which. Lint keeps vscode and Node I/O in
// their layers file by file; this test sees what lint cannot: cycles between the folders of core, and a layer
// reaching up.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { PROJECT_ROOT } from '../../helpers/seed';

const SRC = join(PROJECT_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory()
      ? sourceFiles(full)
      : name.endsWith('.ts') && !name.endsWith('.d.ts')
        ? [full]
        : [];
  });
}

/** `core/sql`, `node/pg`, `vscode`, `extension.ts`: the unit whose dependencies are judged. */
function unitOf(file: string): string {
  const parts = relative(SRC, file).split('/');
  return parts.length >= 3 ? `${parts[0]}/${parts[1]}` : parts[0];
}

function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = unitOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)) {
      const to = unitOf(resolve(dirname(file), spec));
      if (to !== from && !edges.has(to)) edges.set(to, `${relative(SRC, file)} imports ${spec}`);
    }
  }
  return graph;
}

function findCycle(graph: Map<string, Map<string, string>>, within: (unit: string) => boolean): string[] | undefined {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (unit: string): string[] | undefined => {
    if (state.get(unit) === 'done') return undefined;
    if (state.get(unit) === 'open') return [...path.slice(path.indexOf(unit)), unit];
    state.set(unit, 'open');
    path.push(unit);
    for (const next of graph.get(unit)?.keys() ?? []) {
      if (!within(next)) continue;
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(unit, 'done');
    return undefined;
  };
  for (const unit of graph.keys()) {
    if (!within(unit)) continue;
    const cycle = visit(unit);
    if (cycle) return cycle;
  }
  return undefined;
}

test('the folders of src/core depend on each other without cycles', () => {
  const graph = folderGraph();
  const cycle = findCycle(graph, (unit) => unit.startsWith('core/'));
  const why = cycle
    ?.slice(0, -1)
    .map((unit, i) => graph.get(unit)!.get(cycle[i + 1]))
    .join('; ');
  assert.equal(cycle, undefined, `cycle ${cycle?.join(' → ')}: ${why}`);
});

test('the folders of src/node depend on each other without cycles', () => {
  const graph = folderGraph();
  const cycle = findCycle(graph, (unit) => unit.startsWith('node/'));
  assert.equal(cycle, undefined, `cycle ${cycle?.join(' → ')}`);
});

test('no layer reaches up: core imports only core and shared, node never vscode, webview only shared', () => {
  const allowed: Record<string, string[]> = {
    core: ['core', 'shared'],
    shared: ['shared'],
    node: ['core', 'node', 'shared'],
    webview: ['webview', 'shared'],
    vscode: ['core', 'node', 'vscode', 'shared'],
  };
  const wrong: string[] = [];
  for (const [from, edges] of folderGraph()) {
    const layer = from.split('/')[0];
    if (!allowed[layer]) continue;
    for (const [to, why] of edges) if (!allowed[layer].includes(to.split('/')[0].replace(/\.ts$/, ''))) wrong.push(why);
  }
  assert.deepEqual(wrong, []);
});
