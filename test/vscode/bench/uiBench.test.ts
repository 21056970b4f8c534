// Measurements inside a real VS Code: activation time and the Query Results webview's first paint of 10,000 rows.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { writeFileSync } from 'node:fs';
import { driver } from '../driver';
import { activateExtension, workspaceUri } from '../extensionApi';

interface PgInfo { host: string; port: number; user: string; password: string; database: string }
const pgInfo = JSON.parse(process.env.RUNBOOK_TEST_PG ?? 'null') as PgInfo | null;

describe('benchmarks', function () {
  this.timeout(180_000);
  it('measures activation and the results first paint', async function () {
    const api = await activateExtension();
    const metrics: Record<string, number | string> = { 'activate() in the extension host (ms)': Number(api.activationMs.toFixed(1)) };
    if (pgInfo && driver.available) {
      const config = vscode.workspace.getConfiguration('runbook');
      await config.update('projects', [{ name: 'bench', db: { host: pgInfo.host, port: pgInfo.port, user: pgInfo.user, database: pgInfo.database, sslmode: 'disable' } }], vscode.ConfigurationTarget.Workspace);
      await config.update('sql.maxRows', 10_000, vscode.ConfigurationTarget.Workspace);
      await api.projects.reload();
      await api.projects.setActive('bench');
      const uri = workspaceUri('runbooks', 'diagnostics.md');
      const document = await vscode.workspace.openTextDocument(uri);
      const snippet = api.index.modelFor(document).runbook.snippets.find((s) => /Ten thousand/.test(s.label));
      assert.ok(snippet);
      const paints: number[] = [];
      const totals: number[] = [];
      for (let i = 0; i < 5; i++) {
        const rendered = api.results.nextRender();
        const started = Date.now();
        const run = vscode.commands.executeCommand('runbook.runSql', uri, snippet.index);
        if (i === 0) {
          await driver.waitFor('.quick-input-widget input', { timeoutMs: 10_000 });
          await driver.type(pgInfo.password);
          await driver.press('Enter');
        }
        await run;
        paints.push(await rendered);
        totals.push(Date.now() - started);
      }
      await driver.screenshot('bench-10000-rows');
      const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)];
      metrics['results webview: first paint of 10,000 rows, median of 5 (ms)'] = Number(median(paints).toFixed(1));
      metrics['results webview: run + transfer + paint of 10,000 rows, median of 5 (ms)'] = median(totals);
    }
    if (process.env.RUNBOOK_BENCH_OUT) writeFileSync(process.env.RUNBOOK_BENCH_OUT, JSON.stringify(metrics, null, 2));
  });
});
