// Measurements inside a real VS Code: activation time and the Query Results webview's first paint
// of 10,000 rows, timed from the extension's postMessage (so sending the rows counts) to after the
// first frame that shows them has been painted. The first activation happens once per launch; loading the
// bundles is measured again, many times, by requiring fresh copies in the same extension host, so that one
// burst of load from another process on this shared machine does not decide the number.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driver } from '../driver';
import { EXTENSION_ID, activateExtension, workspaceUri } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { pgInfo } from '../workbenchHelpers';

/** Near the 0.1-0.2 s that reads as immediate (Nielsen), and 2-3x what this machine measures, so ordinary load does not flip it. */
const FIRST_PAINT_TARGET_MS = 250;
const RUNS = 7;
/** activate() together with loading the bundle, on a quiet machine (issue 8.10). */
const ACTIVATION_TARGET_MS = 30;
const LOADS = 15;

/**
 * Median milliseconds to load (compile and evaluate) a fresh copy of `file` in this extension host: wall-clock time,
 * and CPU time of this process, which other processes' load on a shared machine disturbs far less.
 */
function medianLoadMs(file: string): { wall: number; cpu: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    delete require.cache[require.resolve(file)];
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loading a fresh copy is what is measured
    require(file);
    const used = process.cpuUsage(cpuStarted);
    wall.push(performance.now() - started);
    cpu.push((used.user + used.system) / 1000);
  }
  delete require.cache[require.resolve(file)];
  return { wall: Number(median(wall).toFixed(1)), cpu: Number(median(cpu).toFixed(1)) };
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

describe('benchmarks', function () {
  this.timeout(240_000);
  it('measures activation and the results first paint', async function () {
    // scripts/bench.mjs names the runbooks so that no activation event fires: the extension loads here.
    const extension = vscode.extensions.getExtension<RunbookCompanionApi>(EXTENSION_ID)!;
    const metrics: Record<string, number | string> = {};
    if (!extension.isActive) {
      const started = performance.now();
      const loaded = await extension.activate();
      metrics['activation: load the bundle and activate() (ms)'] = Number((performance.now() - started).toFixed(1));
      await loaded.index.whenIdle();
      metrics['activation: until every runbook is indexed (ms)'] = Number((performance.now() - started).toFixed(1));
    } else {
      metrics['activation: load the bundle and activate() (ms)'] = 'not measured: the extension was already active';
    }
    const api = await activateExtension();
    metrics['activation: of which activate() itself (ms)'] = Number(api.activationMs.toFixed(1));
    const dist = join(extension.extensionPath, 'dist');
    const bundle = medianLoadMs(join(dist, 'extension.js'));
    metrics[`activation: loading dist/extension.js, median of ${LOADS} fresh loads (ms)`] = bundle.wall;
    metrics[`activation: the same, CPU time (ms)`] = bundle.cpu;
    const estimate = Number((bundle.wall + api.activationMs).toFixed(1));
    metrics['activation: that load + activate() (ms)'] = estimate;
    metrics['activation: target (ms)'] = `< ${ACTIVATION_TARGET_MS}`;
    metrics['activation: target met'] = estimate < ACTIVATION_TARGET_MS ? 'yes' : 'NO';
    // RUNBOOK_BENCH_COMPARE_BUNDLE: a bundle built from another commit, loaded the same way (before/after numbers).
    const other = process.env.RUNBOOK_BENCH_COMPARE_BUNDLE;
    if (other && existsSync(other)) {
      const load = medianLoadMs(other);
      metrics[`for comparison: loading ${other}, median of ${LOADS}, wall / CPU (ms)`] = `${load.wall} / ${load.cpu}`;
    }
    const lazy = join(dist, 'lazy');
    for (const name of existsSync(lazy) ? readdirSync(lazy).filter((n) => n.endsWith('.js')) : []) {
      const load = medianLoadMs(join(lazy, name));
      metrics[`first use: loading dist/lazy/${name}, median of ${LOADS}, wall / CPU (ms)`] =
        `${load.wall} / ${load.cpu}`;
    }
    if (pgInfo && driver.available) {
      const config = vscode.workspace.getConfiguration('runbook');
      await config.update(
        'projects',
        [
          {
            name: 'bench',
            db: {
              host: pgInfo.host,
              port: pgInfo.port,
              user: pgInfo.user,
              database: pgInfo.database,
              sslmode: 'disable',
            },
          },
        ],
        vscode.ConfigurationTarget.Workspace,
      );
      await config.update('sql.maxRows', 10_000, vscode.ConfigurationTarget.Workspace);
      await api.projects.reload();
      await api.projects.setActive('bench');
      await api.secrets.store(api.projects.active, 'dbPassword', pgInfo.password);
      const uri = workspaceUri(
        existsSync(workspaceUri('ops-notes').fsPath) ? 'ops-notes' : 'runbooks',
        'diagnostics.md',
      );
      const document = await vscode.workspace.openTextDocument(uri);
      const snippet = (await api.index.modelFor(document)).runbook.snippets.find((s) => /Ten thousand/.test(s.label));
      assert.ok(snippet);
      const paints: number[] = [];
      const builds: number[] = [];
      const totals: number[] = [];
      // The first run opens the panel and loads its script; the runs after it are the measurement.
      for (let i = 0; i <= RUNS; i++) {
        const rendered = api.results.nextRender();
        const started = Date.now();
        await vscode.commands.executeCommand('runbook.runSql', uri, snippet.index);
        await rendered;
        const report = api.results.lastRender!;
        assert.equal(report.rows, 10_000);
        if (i === 0) continue;
        paints.push(report.ms);
        builds.push(report.buildMs);
        totals.push(Date.now() - started);
      }
      await driver.screenshot('bench-10000-rows');
      const paint = Number(median(paints).toFixed(1));
      metrics[`results webview: 10,000 rows, postMessage to painted frame, median of ${RUNS} (ms)`] = paint;
      metrics['results webview: first paint target (ms)'] = `<= ${FIRST_PAINT_TARGET_MS}`;
      metrics['results webview: first paint target met'] = paint <= FIRST_PAINT_TARGET_MS ? 'yes' : 'NO';
      metrics[`results webview: of which building the grid's DOM, median of ${RUNS} (ms)`] = Number(
        median(builds).toFixed(1),
      );
      metrics[`results webview: run + transfer + paint of 10,000 rows, median of ${RUNS} (ms)`] = median(totals);
    }
    if (process.env.RUNBOOK_BENCH_OUT) writeFileSync(process.env.RUNBOOK_BENCH_OUT, JSON.stringify(metrics, null, 2));
  });
});
