// SQL snippets in a real VS Code against a real PostgreSQL: lens, prompts, results webview, cancel, safety.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Client } from 'pg';
import { driver } from '../driver';
import { activateExtension, workspaceUri, sleep, waitUntil } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';

interface PgInfo { host: string; port: number; user: string; password: string; database: string }
const pgInfo: PgInfo | undefined = process.env.RUNBOOK_TEST_PG ? JSON.parse(process.env.RUNBOOK_TEST_PG) as PgInfo : undefined;
const FIXTURE_ORG = '11111111-1111-1111-1111-111111111111';

async function adminQuery<T = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new Client({ ...pgInfo!, application_name: 'runbook-test-admin' });
  await client.connect();
  try { return (await client.query(sql, values)).rows as T[]; } finally { await client.end(); }
}

async function openAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { viewColumn: vscode.ViewColumn.One, preview: false });
  const position = new vscode.Position(Math.max(0, line - 1), 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  // Let the editor scroll and draw its lenses before anything is clicked.
  await waitUntil(() => editor.visibleRanges.some((r) => r.start.line <= position.line && r.end.line > line), 'the editor to scroll');
  await sleep(300);
  return editor;
}

async function clickLens(text: string): Promise<void> {
  await driver.waitFor('.codelens-decoration a', { text, timeoutMs: 15_000 });
  await driver.click('.codelens-decoration a', { text, topmost: true });
}

async function answerQuickInput(value: string): Promise<void> {
  await driver.waitFor('.quick-input-widget input', { timeoutMs: 10_000 });
  await driver.evaluate(`(() => { const i = document.querySelector('.quick-input-widget input'); i.select(); return true; })()`);
  await driver.type(value);
  await driver.press('Enter');
}

/** Texts of elements in the results webview. */
async function resultTexts(selector: string): Promise<string[]> {
  return (await driver.query(selector)).filter((e) => e.frameUrl.includes('webview') || e.frameUrl.includes('vscode-resource') || e.frameUrl.includes('index.html')).map((e) => e.text);
}

describe('SQL snippets', function () {
  let api: RunbookCompanionApi;
  const runbook = () => workspaceUri('RUNBOOK.md');
  const diagnostics = () => workspaceUri('runbooks', 'diagnostics.md');

  before(async function () {
    if (!pgInfo) this.skip();
    api = await activateExtension();
    const config = vscode.workspace.getConfiguration('runbook');
    await config.update('projects', [
      { name: 'fixture', db: { host: pgInfo!.host, port: pgInfo!.port, user: pgInfo!.user, database: pgInfo!.database, sslmode: 'disable' } },
      { name: 'production', ref: 'abcdefghijklmnopqrst', production: true, db: { host: pgInfo!.host, port: pgInfo!.port, user: pgInfo!.user, database: pgInfo!.database, sslmode: 'disable' } },
    ], vscode.ConfigurationTarget.Workspace);
    await api.projects.reload();
    await api.projects.setActive('fixture');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('runs a diagnosis block from its lens: password prompt, every result set, types and target', async function () {
    if (!driver.available) this.skip();
    const ops = api.index.all.find((e) => e.uri.path.endsWith('RUNBOOK.md'))!.runbook;
    const snippet = ops.snippets.find((s) => s.playbookId === ops.playbooks.find((p) => p.name === 'Database Connection Exhaustion')?.id && s.category === 'sql');
    assert.ok(snippet, 'the connection-exhaustion diagnosis snippet');
    await openAt(runbook(), snippet.startLine);
    await clickLens('Run on fixture');
    await answerQuickInput(pgInfo!.password);
    await driver.waitFor('.result-set .summary .count', { timeoutMs: 20_000 });
    const headings = await resultTexts('.result-set h2.statement');
    assert.equal(headings.length, 3, `three result sets: ${headings.join(' | ')}`);
    const types = await resultTexts('.grid th .type');
    assert.ok(types.includes('bigint'), `count(*) is bigint: ${types.join(',')}`);
    const targets = await resultTexts('.target');
    assert.ok(targets.some((t) => /^(Aggregations|Simple SELECT): .* target < \d+ms/.test(t)), `runbook query targets shown: ${targets.join(' | ')}`);
    await driver.screenshot('sql-results-diagnosis');
  });

  it('binds a quoted placeholder and shows SQL NULL apart from the text NULL', async function () {
    if (!driver.available) this.skip();
    const ops = api.index.all.find((e) => e.uri.path.endsWith('RUNBOOK.md'))!.runbook;
    const snippet = ops.snippets.find((s) => s.placeholders.some((p) => p.name === 'org_id') && s.playbookId === ops.playbooks.find((p) => p.name === 'Content Generation Failures')?.id)!;
    await openAt(runbook(), snippet.startLine);
    await clickLens('Run on fixture');
    await answerQuickInput(FIXTURE_ORG);
    await driver.waitFor('.result-set .summary .count', { timeoutMs: 20_000 });
    const counts = await resultTexts('.result-set .summary .count');
    assert.ok(/^[1-9]\d* rows?$/.test(counts[0]), `usage rows for the fixture org: ${counts.join(' | ')}`);
    await driver.screenshot('sql-results-placeholder');

    const many = api.index.all.find((e) => e.uri.path.endsWith('diagnostics.md'))!.runbook.snippets.find((s) => /Ten thousand/.test(s.label))!;
    await openAt(diagnostics(), many.startLine);
    const rendered = api.results.nextRender();
    await clickLens('Run on fixture');
    const renderMs = await rendered;
    await driver.waitFor('.result-set .capped', { timeoutMs: 20_000 });
    const nulls = (await driver.query('.grid td.null')).filter((e) => e.visible);
    const cells = (await driver.query('.grid td')).filter((e) => e.visible && e.text === 'NULL');
    assert.ok(nulls.length > 0, 'SQL NULL cells are marked');
    assert.ok(cells.length > nulls.length, 'the text NULL is shown as a plain cell');
    const capped = await resultTexts('.result-set .capped');
    assert.match(capped[0], /first 1000 rows/);
    assert.ok(renderMs >= 0);
    await driver.screenshot('sql-results-null-and-cap');
  });

  it('never splices a hostile value into the SQL: the table survives', async function () {
    if (!driver.available) this.skip();
    const ops = api.index.all.find((e) => e.uri.path.endsWith('RUNBOOK.md'))!.runbook;
    const snippet = ops.snippets.find((s) => s.placeholders.some((p) => p.name === 'org_id') && s.playbookId === ops.playbooks.find((p) => p.name === 'Content Generation Failures')?.id)!;
    await openAt(runbook(), snippet.startLine);
    await clickLens('Run on fixture');
    await answerQuickInput("x'; drop table audit_log; --");
    await driver.waitFor('.run-header .status', { text: 'Failed', timeoutMs: 20_000 });
    const errors = await resultTexts('.error .message');
    assert.match(errors.join(' '), /invalid input syntax for type uuid/);
    const tables = await adminQuery("select to_regclass('public.audit_log') as t");
    assert.equal(tables[0].t, 'audit_log');
    await driver.screenshot('sql-injection-refused');
  });

  it('cancels a long query from the results panel within a second', async function () {
    if (!driver.available) this.skip();
    const slow = api.index.all.find((e) => e.uri.path.endsWith('diagnostics.md'))!.runbook.snippets.find((s) => /Cancel/.test(s.label))!;
    await openAt(diagnostics(), slow.startLine);
    await clickLens('Run on fixture');
    await driver.waitFor('button.cancel', { timeoutMs: 15_000 });
    await sleep(500);
    await driver.screenshot('sql-running');
    const clicked = Date.now();
    await driver.click('button.cancel');
    await driver.waitFor('.run-header .status', { text: 'Cancelled', timeoutMs: 5_000 });
    assert.ok(Date.now() - clicked < 3000, `cancelled after ${Date.now() - clicked} ms`);
    const active = await adminQuery<{ n: number }>("select count(*)::int as n from pg_stat_activity where query like 'SELECT pg_sleep(30)%' and state = 'active'");
    assert.equal(active[0].n, 0, 'the server is no longer running the query');
    await driver.screenshot('sql-cancelled');
  });

  it('asks before a write with a modal dialog; on production it wants the ref typed', async function () {
    if (!driver.available) this.skip();
    const write = api.index.all.find((e) => e.uri.path.endsWith('diagnostics.md'))!.runbook.snippets.find((s) => /Flag expired/.test(s.label))!;
    const expiredCount = async () => (await adminQuery<{ n: number }>("select count(*)::int as n from public.integrations where status = 'expired'"))[0].n;
    const before = await expiredCount();
    await api.projects.setActive('production');
    await openAt(diagnostics(), write.startLine);

    // The real modal dialog is requested; VS Code refuses dialogs under test and says what it would have shown.
    await clickLens('Run on production');
    await driver.waitFor('.notifications-toasts', { text: 'writes to the database on production (PRODUCTION)', timeoutMs: 10_000 });
    await driver.screenshot('sql-write-confirmation-requested');
    await sleep(300);
    assert.equal(await expiredCount(), before, 'nothing ran without an answer');
    await vscode.commands.executeCommand('notifications.clearAll');

    // From here the test answers the dialog; the ref prompt is the real input box.
    const questions: string[] = [];
    api.gate.modal = async (message, _detail, action) => { questions.push(message); return action; };
    try {
      await clickLens('Run on production');
      await answerQuickInput('wrong-ref');
      const validation = await driver.waitFor('.quick-input-widget .quick-input-message', { text: 'This is not', timeoutMs: 5_000 });
      assert.match(validation.text, /abcdefghijklmnopqrst/);
      await driver.press('Escape');
      await sleep(500);
      assert.equal(await expiredCount(), before, 'nothing ran without the ref');

      await clickLens('Run on production');
      await answerQuickInput('abcdefghijklmnopqrst');
      // The production project has no stored password yet.
      await answerQuickInput(pgInfo!.password);
      await driver.waitFor('.run-header .status', { text: 'Committed', timeoutMs: 20_000 });
      await driver.screenshot('sql-write-committed');
      assert.ok((await expiredCount()) > before, 'the confirmed write committed');
      assert.equal(questions.length, 2);
      assert.match(questions[0], /writes to the database on production \(PRODUCTION\)/);
    } finally {
      api.gate.modal = (message, detail, action) => vscode.window.showWarningMessage(message, { modal: true, detail }, action);
      await api.projects.setActive('fixture');
    }
  });

  it('holds no more connections than the pool after many runs', async function () {
    const conns = await adminQuery<{ n: number }>("select count(*)::int as n from pg_stat_activity where application_name = 'runbook-companion'");
    assert.ok(conns[0].n <= 3 * 2, `connections held: ${conns[0].n}`);
    assert.ok(api.runners.activeConnections() <= 3);
  });
});
