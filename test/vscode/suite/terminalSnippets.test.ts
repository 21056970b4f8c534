// Shell snippets in the integrated terminal of a real VS Code: output, exit codes, the real Supabase CLI,
// hostile placeholder values, URL rewriting, confirmation and stopping a long-running command.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { driver } from '../driver';
import { activateExtension, waitUntil, workspaceUri, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { SnippetRunState } from '../../../src/vscode/shell/shellSnippetRunner';

interface PgInfo { host: string; port: number; user: string; password: string; database: string }
const pgInfo: PgInfo | undefined = process.env.RUNBOOK_TEST_PG ? JSON.parse(process.env.RUNBOOK_TEST_PG) as PgInfo : undefined;

describe('Terminal snippets', function () {
  let api: RunbookCompanionApi;
  let health: Server;
  let healthHits = 0;
  const cli = () => workspaceUri('runbooks', 'cli.md');
  const snippetByLabel = (label: RegExp) => api.index.all.find((e) => e.uri.path.endsWith('cli.md'))!.runbook.snippets.find((s) => label.test(s.label))!;

  async function openAt(line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(cli()), { viewColumn: vscode.ViewColumn.One, preview: false });
    // The lens sits above the fence line: show the line before it at the top, the cursor inside the block.
    const top = new vscode.Position(Math.max(0, line - 1), 0);
    const inside = new vscode.Position(line + 1, 0);
    editor.selection = new vscode.Selection(inside, inside);
    editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
    // Let the editor scroll and draw its lenses before anything is clicked.
    await waitUntil(() => editor.visibleRanges.some((r) => r.start.line <= top.line && r.end.line > line), 'the editor to scroll');
    await sleep(300);
  }

  async function runByLens(label: RegExp, lens = 'Run in Terminal'): Promise<SnippetRunState> {
    const snippet = snippetByLabel(label);
    await openAt(snippet.startLine);
    await driver.waitFor('.codelens-decoration a', { text: lens, timeoutMs: 15_000 });
    await driver.click('.codelens-decoration a', { text: lens, topmost: true });
    return finished(snippet.id);
  }

  /** Waits for the run to end and for its lenses to show the outcome, so the next click hits fresh lenses. */
  async function finished(snippetId: string, timeoutMs = 60_000): Promise<SnippetRunState> {
    const state = await waitUntil(() => { const s = api.shell.stateOf(cli(), snippetId); return s && s.status !== 'running' && s.results.length > 0 && s; }, 'the run to finish', timeoutMs);
    await driver.waitFor('.codelens-decoration', { text: 'exit', timeoutMs: 5_000 });
    await sleep(300);
    return state;
  }

  async function answerQuickInput(value: string): Promise<void> {
    await driver.waitFor('.quick-input-widget input', { timeoutMs: 10_000 });
    await driver.evaluate(`(() => { const i = document.querySelector('.quick-input-widget input'); i.select(); return true; })()`);
    await driver.type(value);
    await driver.press('Enter');
  }

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    health = createServer((_req, res) => { healthHits++; res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"status":"healthy"}'); });
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    const apiUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    await vscode.workspace.getConfiguration('runbook').update('projects', [
      { name: 'fixture', apiUrl, db: { host: pgInfo!.host, port: pgInfo!.port, user: pgInfo!.user, database: pgInfo!.database, sslmode: 'disable' } },
    ], vscode.ConfigurationTarget.Workspace);
    await api.projects.reload();
    await api.projects.setActive('fixture');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async function () {
    health?.close();
  });

  it('captures a command\'s output and exit code through shell integration', async function () {
    // No database command, so no password is asked.
    const snippet = snippetByLabel(/marker/);
    await openAt(snippet.startLine);
    await driver.click('.codelens-decoration a', { text: 'Run in Terminal', topmost: true });
    const state = await finished(snippet.id, 30_000);
    assert.equal(state.status, 'done');
    assert.equal(state.results[0].exitCode, 0);
    assert.match(state.results[0].output, /runbook-output-42/);
    assert.ok(state.results[0].durationMs >= 0);
    await driver.waitFor('.codelens-decoration', { text: 'exit 0', timeoutMs: 5_000 });
    const record = api.journal.entries().find((r) => r.snippetId === snippet.id);
    assert.ok(record && record.exitCode === 0 && record.kind === 'shell' && record.project === 'fixture');
    await driver.screenshot('terminal-output-captured');

    const failing = await runByLens(/Fails on purpose/);
    assert.equal(failing.status, 'failed', JSON.stringify(failing.results));
    assert.equal(failing.results[0].exitCode, 3);
    await driver.waitFor('.codelens-decoration', { text: 'exit 3', timeoutMs: 5_000 });
    await driver.screenshot('terminal-exit-code');
  });

  it('runs the real Supabase CLI against the project database, password only in the environment', async function () {
    // The database password is asked once (masked) unless an earlier run kept it; it reaches the CLI as PGPASSWORD.
    const snippet = snippetByLabel(/List migrations/);
    await openAt(snippet.startLine);
    await driver.click('.codelens-decoration a', { text: 'Run in Terminal', topmost: true });
    const asked = await driver.waitFor('.quick-input-widget input', { timeoutMs: 3_000 }).then(() => true, () => false);
    if (asked) {
      const title = await driver.query('.quick-input-widget .quick-input-title');
      assert.ok(title.some((t) => t.text.includes('Database password for fixture')), 'the prompt is the masked password input');
      await answerQuickInput(pgInfo!.password);
    }
    const state = await finished(snippet.id);
    assert.equal(state.results[0].exitCode, 0, state.results[0].output);
    assert.match(state.results[0].output, /20250110093000/);
    assert.match(state.results[0].command, /node_modules\/\.bin\/supabase migration list --remote=/);
    assert.doesNotMatch(state.results[0].command, /PGPASSWORD|password=/i, 'no password on the command line');
    assert.doesNotMatch(state.results[0].command, /:[^@/]+@/, 'the URL carries no password');
    await driver.screenshot('terminal-supabase-cli');
  });

  it('quotes a hostile placeholder value so it never becomes a command', async function () {
    const marker = `/tmp/pwned-${Date.now()}`;
    const hostile = `$(touch ${marker})\`touch ${marker}\`; touch ${marker}`;
    const snippet = snippetByLabel(/Echo the value/);
    await openAt(snippet.startLine);
    await driver.click('.codelens-decoration a', { text: 'Run in Terminal', topmost: true });
    await answerQuickInput(hostile);
    const state = await finished(snippet.id, 30_000);
    assert.equal(state.results[0].exitCode, 0);
    assert.ok(state.results[0].output.includes(hostile), `echoed verbatim: ${state.results[0].output}`);
    assert.equal(existsSync(marker), false, 'the hostile value created no file');
  });

  it('rewrites the project URL of a curl snippet to the active project and says so', async function () {
    const before = healthHits;
    const state = await runByLens(/rewritten/);
    assert.equal(state.results[0].exitCode, 0);
    assert.match(state.results[0].output, /healthy/);
    assert.ok(healthHits > before, 'the local project endpoint was hit');
    await driver.waitFor('.notifications-toasts', { text: 'abcdefghijklmnopqrst.supabase.co', timeoutMs: 5_000 });
    await driver.screenshot('terminal-url-rewritten');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('asks before a risky command and runs nothing when declined', async function () {
    const questions: string[] = [];
    api.gate.modal = async (message) => { questions.push(message); return undefined; };
    try {
      const snippet = snippetByLabel(/Needs confirmation/);
      await openAt(snippet.startLine);
      await driver.click('.codelens-decoration a', { text: 'Run in Terminal', topmost: true });
      await waitUntil(() => questions.length > 0, 'the confirmation question');
      await sleep(300);
      assert.match(questions[0], /changes things on fixture/);
      assert.equal(api.shell.stateOf(cli(), snippet.id), undefined, 'nothing ran');
    } finally {
      api.gate.modal = (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action);
    }
  });

  it('offers numbered prose as a checklist, not a command', async function () {
    const snippet = snippetByLabel(/leaks/);
    await openAt(snippet.startLine);
    await driver.waitFor('.codelens-decoration a', { text: '3 steps to do by hand', timeoutMs: 10_000 });
    await driver.click('.codelens-decoration a', { text: '3 steps to do by hand', topmost: true });
    await driver.waitFor('.quick-input-widget .monaco-list-row', { text: 'Revoke the leaked key', timeoutMs: 5_000 });
    await driver.screenshot('terminal-prose-checklist');
    await driver.press('Escape');
  });

  it('stops a long-running command from its lens', async function () {
    const snippet = snippetByLabel(/until stopped/);
    await openAt(snippet.startLine);
    await driver.click('.codelens-decoration a', { text: 'Run in Terminal', topmost: true });
    await driver.waitFor('.codelens-decoration a', { text: 'Stop', timeoutMs: 15_000 });
    await driver.screenshot('terminal-long-running');
    await driver.click('.codelens-decoration a', { text: 'Stop', topmost: true });
    const state = await waitUntil(() => { const s = api.shell.stateOf(cli(), snippet.id); return s && s.results.length > 0 && s; }, 'the tail to end', 15_000);
    assert.equal(state.results[0].exitCode, 130, 'ended by Ctrl+C');
    assert.equal(state.status, 'stopped');
  });
});
