// The health panel in a real VS Code (code-server): cards per linked project checked against the gateway-shaped
// stand-in and the fixture PostgreSQL, while the test flips the server between healthy and failing; the status bar
// follows, a Critical project raises one notification, each state change lands in the journal, the playbook link
// reveals the playbook, values from the endpoint stay inert text, and no key reaches the page.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension } from '../extensionApi';
import { waitFor } from '../../helpers/wait';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { fixtureProject, pgInfo, removeRunbook, useProjects, writeRunbook } from '../workbenchHelpers';
import {
  healthyBody,
  LOCAL_ANON_KEY,
  startProjectEndpoints,
  type ProjectEndpoints,
} from '../../../scripts/lib/projectEndpoints.mjs';

const STATUS_ITEM = '#runbook-companion\\.runbook-companion\\.runbook\\.health';
const RUNBOOK_PATH = 'runbooks/health-watch.md';
/**
 * The runbook the checks follow in this suite: the team's tables with an error-rate row lenient enough that one
 * failing check out of four does not hold the project at Critical for the five minutes of the judgement window.
 */
const HEALTH_RUNBOOK = `# Health watch

## Critical Metrics Dashboard

| Metric | Warning Threshold | Critical Threshold | Action |
|--------|-------------------|--------------------|--------|
| Error Rate | > 40% | > 60% | Start investigating right away |
| P95 Latency | > 1500ms | > 3000ms | Add capacity or tune the slow path |
| Circuit Breaker Opens | Any | 3+ in 5min | Look at upstream dependencies |
| Database Connections | > 80% pool | > 95% pool | Raise the connection limit |

## Monitoring Endpoints

| Endpoint | Purpose | Expected Response |
|----------|---------|-------------------|
| \`/functions/v1/health\` | Liveness of the edge functions | \`{ "status": "healthy" }\` |
| \`/rest/v1/\` | Reachability of the database API | 200 OK |
| \`/auth/v1/health\` | Liveness of the auth service | 200 OK |
| \`/storage/v1/\` | Reachability of file storage | 200 OK |

## Health Check Frequency

| Check | Interval | Timeout | Retries |
|-------|----------|---------|---------|
| Edge Functions | 30s | 5s | 2 |
| Database | 60s | 10s | 3 |

### Playbook: Edge Function Failures

**Symptoms:**
- Circuit breaker opened

**Diagnosis:**
\`\`\`sql
select count(*) from pg_stat_activity;
\`\`\`

**Mitigation:**
1. Check external API dependencies
`;
const PROJECT = 'staging-health';
const FUNCTION_CHECK = 'endpoint:/functions/v1/health';

/** Evaluates `expression` in the health panel's document (the frame whose main#app is the health page). */
async function inHealth<T>(expression: string): Promise<T> {
  const values = await driver.evaluate<{ found: boolean; value: T }>(
    `(() => { if (!document.querySelector('main#app[data-panel="health"]')) return { found: false }; return { found: true, value: (${expression}) }; })()`,
  );
  const hit = values.find((v) => v && v.found);
  assert.ok(hit, 'the health panel is open');
  return hit.value;
}

async function rowState(check: string): Promise<string | null> {
  return inHealth<string | null>(
    `(() => { const row = document.querySelector('section.card[data-project=${JSON.stringify(PROJECT)}] tr.check[data-check=${JSON.stringify(check)}]'); return row ? row.dataset.state : null; })()`,
  ).catch(() => null);
}

async function statusText(): Promise<string> {
  return (await driver.query(STATUS_ITEM))[0]?.text ?? '';
}

describe('Health panel', function () {
  this.timeout(120_000);
  let api: RunbookCompanionApi;
  let endpoints: ProjectEndpoints;
  let runbook: vscode.Uri;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    endpoints = await startProjectEndpoints();
    runbook = await writeRunbook(api, RUNBOOK_PATH, HEALTH_RUNBOOK);
    const config = vscode.workspace.getConfiguration('runbook');
    await config.update('health.runbook', RUNBOOK_PATH, vscode.ConfigurationTarget.Workspace);
    // Fast polling for the test; the runbook's own rows are tested in the unit tests.
    const fast = { intervalSeconds: 1, timeoutSeconds: 2, retries: 0 };
    await config.update(
      'health.timing',
      ['Edge Functions', 'Storage', 'Database', 'default'].map((check) => ({ check, ...fast })),
      vscode.ConfigurationTarget.Workspace,
    );
    await config.update('health.recoveryPasses', 1, vscode.ConfigurationTarget.Workspace);
    // The test page is not always the focused window: polling must not pause under it.
    await config.update('health.pauseWhenUnfocused', false, vscode.ConfigurationTarget.Workspace);
    await useProjects(api, [fixtureProject(PROJECT, { apiUrl: endpoints.origin })], PROJECT);
    await api.secrets.store(api.projects.active, 'dbPassword', pgInfo!.password);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  after(async () => {
    api?.health.panel.close();
    // The suites after this one must not find checks running against a stand-in that is gone.
    await api?.health.controller.stop();
    await endpoints?.close();
    const config = vscode.workspace.getConfiguration('runbook');
    for (const key of ['health.timing', 'health.recoveryPasses', 'health.pauseWhenUnfocused', 'health.runbook'])
      await config.update(key, undefined, vscode.ConfigurationTarget.Workspace);
    if (runbook) await removeRunbook(api, runbook);
  });

  it('opens with a card for the project: every check Healthy, judged by the runbook, the status bar agreeing', async function () {
    await vscode.commands.executeCommand('runbook.openHealthPanel');
    await driver.waitFor(`section.card[data-project="${PROJECT}"]`, { timeoutMs: 20_000 });
    await waitFor(
      async () => (await rowState(FUNCTION_CHECK)) === 'healthy',
      'the health function to be Healthy',
      20_000,
    );
    await waitFor(
      async () => (await statusText()).includes('Health: Healthy'),
      'the status bar to say Healthy',
      20_000,
    );
    const names = await inHealth<string[]>(
      `[...document.querySelectorAll('section.card tr.check .name')].map((e) => e.textContent)`,
    );
    assert.ok(names.some((n) => n.includes('/functions/v1/health')));
    assert.ok(names.includes('Database'));
    // The storage root that does not exist is probed where Storage answers, and the panel says so.
    const storageNote = await inHealth<string>(
      `document.querySelector('tr.check[data-check="endpoint:/storage/v1/"] .note').textContent`,
    );
    assert.match(storageNote, /probed \/storage\/v1\/version instead of \/storage\/v1\//);
    const rule = await inHealth<string>(
      `document.querySelector('tr.check[data-check=${JSON.stringify(FUNCTION_CHECK)}] .rule-line').textContent`,
    );
    assert.match(rule, /Monitoring Endpoints: \/functions\/v1\/health/);
    const source = await inHealth<string>(`document.querySelector('.health-header .source').textContent`);
    assert.match(source, /Checks and thresholds from runbooks\/health-watch\.md/);
    assert.equal(await inHealth<number>(`document.querySelectorAll('svg.sparkline').length`), 1);
    await driver.screenshot('health-panel-healthy');
  });

  it('follows the server to Critical: the row, its playbook link, the status bar, one notification, the journal', async function () {
    const journalBefore = api.journal.entries().length;
    endpoints.script('/functions/v1/health', { kind: 'status', status: 503 });
    await waitFor(
      async () => (await rowState(FUNCTION_CHECK)) === 'critical',
      'the function check to turn Critical',
      20_000,
    );
    await waitFor(
      async () => (await statusText()).includes('Health: Critical'),
      'the status bar to say Critical',
      20_000,
    );
    const playbook = await inHealth<string>(
      `document.querySelector('tr.check[data-check=${JSON.stringify(FUNCTION_CHECK)}] button.playbook').textContent`,
    );
    assert.equal(playbook, 'Playbook: Edge Function Failures');
    const toast = await driver.waitFor('.notifications-toasts .notification-list-item', {
      text: `${PROJECT} is Critical`,
      timeoutMs: 20_000,
    });
    assert.ok(toast.visible);
    await waitFor(
      () =>
        api.journal
          .entries()
          .slice(journalBefore)
          .some((r) => r.kind === 'health' && /Healthy → Critical/.test(r.command) && r.project === PROJECT),
      'the state change in the journal',
    );
    await driver.screenshot('health-panel-critical');
    // Polls go on while it stays Critical (a dozen more finish, two rounds of every check): still one notification.
    let polls = 0;
    const counting = api.health.controller.onDidChange(() => polls++);
    try {
      await waitFor(() => polls >= 12, 'a dozen more polls while Critical');
    } finally {
      counting.dispose();
    }
    const toasts = (await driver.query('.notifications-toasts .notification-list-item')).filter((t) =>
      t.text.includes(`${PROJECT} is Critical`),
    );
    assert.equal(toasts.length, 1, 'one notification per state change');
    await vscode.commands.executeCommand('notifications.clearAll');
  });

  it('the playbook link opens the runbook at the playbook and reveals it in the Playbooks tree', async function () {
    await driver.click(`tr.check[data-check="${FUNCTION_CHECK}"] button.playbook`);
    try {
      await waitFor(
        () =>
          vscode.window.activeTextEditor?.document.uri.toString() === runbook.toString() &&
          /Edge Function Failures/.test(
            vscode.window.activeTextEditor.document.lineAt(vscode.window.activeTextEditor.selection.active.line).text,
          ),
        'the runbook to open at the playbook',
      );
      await waitFor(
        () =>
          api.treeView.selection.some((n) => n.type === 'section' && /Edge Function Failures/.test(n.section.title)),
        'the playbook to be selected in the tree',
      );
    } finally {
      // The next tests read the panel: bring it back even when this one fails.
      await vscode.commands.executeCommand('runbook.openHealthPanel');
    }
  });

  it('recovers when the server does, and the status bar follows', async function () {
    endpoints.reset();
    await waitFor(async () => (await rowState(FUNCTION_CHECK)) === 'healthy', 'the function check to recover', 30_000);
    await waitFor(
      async () => (await statusText()).includes('Health: Healthy'),
      'the status bar to say Healthy again',
      20_000,
    );
    const journal = api.journal.entries().filter((r) => r.kind === 'health' && r.project === PROJECT);
    assert.ok(
      journal.some((r) => /Critical → Healthy/.test(r.command)),
      journal.map((r) => r.command).join('\n'),
    );
    await driver.screenshot('health-panel-recovered');
  });

  it('values from an endpoint stay inert text, and no key reaches the page', async function () {
    const body = healthyBody();
    body.status = 'degraded';
    body.version = '<img src=x onerror="document.body.dataset.pwned=1"></script>';
    body.checks.external_apis = '<b>slow</b>';
    endpoints.script('/functions/v1/health', { kind: 'json', body });
    await waitFor(async () => (await rowState(FUNCTION_CHECK)) === 'warning', 'the degraded answer', 20_000);
    const page = await inHealth<{ images: number; pwned: boolean; bold: number; text: string }>(
      `({ images: document.querySelectorAll('main img').length, pwned: document.body.dataset.pwned === '1', bold: document.querySelectorAll('main b').length, text: document.querySelector('main').innerText })`,
    );
    assert.equal(page.images, 0);
    assert.equal(page.pwned, false);
    assert.equal(page.bold, 0);
    assert.ok(page.text.includes('<img src=x onerror='), 'shown as the characters it is');
    const html = await inHealth<string>('document.documentElement.outerHTML');
    assert.ok(!html.includes(LOCAL_ANON_KEY), 'the key is not in the page');
    assert.ok(!(api.health.panel.html ?? '').includes(LOCAL_ANON_KEY));
    assert.ok(!JSON.stringify(api.health.panel.lastSnapshot).includes(LOCAL_ANON_KEY));
    assert.ok(
      endpoints.requests.some((r) => r.apikey === LOCAL_ANON_KEY),
      'the probes did send it, to the project',
    );
    await driver.screenshot('health-panel-inert-values');
    endpoints.reset();
  });

  it('the Health view lists the project and its checks with their states', async function () {
    await vscode.commands.executeCommand('runbook.health.focus');
    await driver.waitFor('.monaco-list-row', { text: PROJECT, timeoutMs: 15_000 });
    const projectRow = await driver.waitFor('.monaco-list-row', { text: PROJECT, timeoutMs: 15_000 });
    assert.ok(projectRow.visible);
    await driver.waitFor('.monaco-list-row', { text: 'Database', timeoutMs: 15_000 });
    await driver.screenshot('health-view');
  });

  it('a Stop pressed while the checks start leaves nothing watching, and the next Start watches again', async function () {
    const { controller } = api.health;
    await controller.stop();
    // The checks' code loads when watching starts: the Stop comes in while it does.
    const starting = controller.start();
    await controller.stop();
    await starting;
    await controller.idle();
    assert.equal(controller.watching, false, 'the Stop won');
    assert.deepEqual(controller.views(), []);
    assert.equal(await controller.start(), true);
    assert.equal(controller.watching, true);
    await waitFor(
      () => controller.views().some((v) => v.project === PROJECT),
      'the project to be watched again',
      20_000,
    );
  });
});
