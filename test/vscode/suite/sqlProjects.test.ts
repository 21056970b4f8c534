// Linked projects in a real VS Code: the status bar, Select Project, closing connections when the
// project changes or the extension deactivates, and a broken runbook.projects entry.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { EXTENSION_ID, activateExtension, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import {
  adminQuery,
  diagnosticsUri,
  fixtureProject,
  pgInfo,
  pickQuickItem,
  removeRunbook,
  serverSessions,
  snippetLabelled,
  useProjects,
  writeRunbook,
} from '../workbenchHelpers';
import { waitFor } from '../../helpers/wait';

const STATUS_ITEM = '#runbook-companion\\.runbook-companion\\.runbook\\.project';

interface StatusItem {
  text: string;
  className: string;
  background: string;
  warningBackground: string;
  foreground: string;
  warningForeground: string;
}

/** The project item as the status bar draws it, with the theme's warning colours to compare. */
async function statusItem(): Promise<StatusItem> {
  const items = await driver.evaluate<StatusItem | null>(`(() => {
    const item = document.querySelector(${JSON.stringify(STATUS_ITEM)});
    if (!item) return null;
    // The theme's colours, resolved the same way the browser resolves the item's own.
    const probe = document.createElement('div');
    probe.style.backgroundColor = 'var(--vscode-statusBarItem-warningBackground)';
    probe.style.color = 'var(--vscode-statusBarItem-warningForeground)';
    item.parentElement.appendChild(probe);
    const theme = getComputedStyle(probe);
    const result = {
      text: item.innerText.trim(),
      className: item.className,
      background: getComputedStyle(item).backgroundColor,
      warningBackground: theme.backgroundColor,
      foreground: getComputedStyle(item.querySelector('a') || item).color,
      warningForeground: theme.color,
    };
    probe.remove();
    return result;
  })()`);
  const item = items.find(Boolean);
  assert.ok(item, 'the project item is in the status bar');
  return item;
}

describe('SQL projects', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    // "production" has no production flag: the name alone makes it production.
    await useProjects(
      api,
      [fixtureProject('fixture'), fixtureProject('production', { ref: 'abcdefghijklmnopqrst' })],
      'fixture',
    );
    for (const project of api.projects.all) await api.secrets.store(project, 'dbPassword', pgInfo!.password);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function runOn(): Promise<void> {
    const four = snippetLabelled(api, 'diagnostics.md', /Four rows/);
    const report = await vscode.commands.executeCommand<{ outcome: { status: string } } | undefined>(
      'runbook.runSql',
      diagnosticsUri(),
      four.index,
    );
    assert.equal(report?.outcome.status, 'ok');
  }

  it('the status bar names the active project, and paints a production project in the warning colours', async function () {
    let item = await waitFor(async () => {
      const i = await statusItem();
      return i.text.includes('fixture') ? i : undefined;
    }, 'the status bar to show fixture');
    assert.doesNotMatch(item.className, /warning-kind/);
    assert.notEqual(item.background, item.warningBackground);

    await api.projects.setActive('production');
    item = await waitFor(async () => {
      const i = await statusItem();
      return i.text.includes('production') ? i : undefined;
    }, 'the status bar to show production');
    assert.equal(item.text, 'production', 'the name already says production: no doubled label');
    assert.match(item.className, /warning-kind/);
    assert.equal(item.background, item.warningBackground, 'the warning background of the theme');
    assert.equal(item.foreground, item.warningForeground, 'the warning foreground of the theme');
    await driver.screenshot('status-bar-production');
  });

  it("Select Project switches through the quick pick, and the old project's connections close on the server", async function () {
    await api.projects.setActive('production');
    await runOn();
    assert.ok((await serverSessions()) >= 1, 'production has a connection open');

    const selecting = vscode.commands.executeCommand<string | undefined>('runbook.selectProject');
    const row = await driver.waitFor('.quick-input-widget .quick-input-list .monaco-list-row', {
      text: 'settings · active',
    });
    assert.match(row.text, /^production\s*settings · active/);
    assert.doesNotMatch(row.text, /production ·/, 'the name says production: it is not said twice');
    await driver.screenshot('select-project');
    await pickQuickItem('fixture');
    assert.equal(await selecting, 'fixture');
    assert.equal(api.projects.active?.name, 'fixture');
    await waitFor(async () => (await statusItem()).text === 'fixture', 'the status bar to follow');
    await waitFor(async () => (await serverSessions()) === 0, "the old project's connections to close on the server");
    assert.equal(api.runners.activeConnections(), 0);
  });

  it('a query started with "Run on…" another project survives a switch of the active project; the old active project\'s sessions drop', async function () {
    this.timeout(60_000);
    const role = 'runbook_other_project';
    const password = 'other-project-password';
    /** The extension's server sessions of one database user, optionally only those running a query. */
    const sessionsOf = async (user: string, state?: string) =>
      (
        await adminQuery<{ n: number }>(
          "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'runbook-companion' AND usename = $1 AND ($2::text IS NULL OR state = $2)",
          [user, state ?? null],
        )
      )[0].n;
    await adminQuery(`DROP ROLE IF EXISTS ${role}; CREATE ROLE ${role} LOGIN PASSWORD '${password}'`);
    await useProjects(
      api,
      [
        fixtureProject('fixture'),
        fixtureProject('production', { ref: 'abcdefghijklmnopqrst' }),
        fixtureProject('other', {}, { user: role }),
      ],
      'fixture',
    );
    const other = api.projects.all.find((p) => p.name === 'other')!;
    await api.secrets.store(other, 'dbPassword', password);
    const uri = await writeRunbook(
      api,
      'runbooks/slow-query.md',
      [
        '# Slow',
        '',
        '## Wait',
        '',
        '```sql',
        '-- Sleep three seconds, then finish',
        "SELECT pg_sleep(3) AS slept, 'finished' AS outcome;",
        '```',
        '',
      ].join('\n'),
    );
    try {
      await runOn();
      assert.ok((await sessionsOf(pgInfo!.user)) >= 1, 'the active project (fixture) has a connection open');

      const slow = snippetLabelled(api, 'slow-query.md', /Sleep three seconds/);
      const running = vscode.commands.executeCommand<
        { outcome: { status: string; results: Array<{ rows: unknown[][] }> }; project: string } | undefined
      >('runbook.runSqlOn', uri, slow.index);
      await pickQuickItem('other');
      await waitFor(async () => (await sessionsOf(role, 'active')) === 1, 'the query on other to run');

      await api.projects.setActive('production');
      await waitFor(
        async () => (await sessionsOf(pgInfo!.user)) === 0,
        'the connections of fixture, active before, to close on the server',
      );
      assert.equal(await sessionsOf(role, 'active'), 1, 'the query on other still runs');
      const report = await running;
      assert.equal(report?.project, 'other');
      assert.equal(report?.outcome.status, 'ok', 'it ran to its end');
      assert.deepEqual(
        report?.outcome.results[0].rows.map((row) => row[1]),
        ['finished'],
      );
    } finally {
      await removeRunbook(api, uri);
      await api.runners.forget(other);
      await useProjects(
        api,
        [fixtureProject('fixture'), fixtureProject('production', { ref: 'abcdefghijklmnopqrst' })],
        'fixture',
      );
      await adminQuery(`DROP ROLE IF EXISTS ${role}`);
    }
  });

  it('deactivating the extension closes every pooled connection', async function () {
    await runOn();
    assert.ok((await serverSessions()) >= 1);
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    // The module VS Code loaded: the same instance, so this is the deactivate VS Code would call.
    const main = createRequire(__filename)(path.join(extension.extensionPath, 'dist', 'extension.js')) as {
      deactivate(): Promise<void>;
    };
    await main.deactivate();
    await waitFor(async () => (await serverSessions()) === 0, 'every connection to close on the server');
    await runOn(); // and the extension works on afterwards
  });

  it('a broken runbook.projects entry is named in a warning with Open Settings; the valid entries stay', async function () {
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.workspace
      .getConfiguration('runbook')
      .update(
        'projects',
        [
          fixtureProject('fixture'),
          { name: 'broken', db: { host: 'db.example.com', port: 70000 } },
          fixtureProject('production', { ref: 'abcdefghijklmnopqrst' }),
        ],
        vscode.ConfigurationTarget.Workspace,
      );
    await api.projects.reload();
    const toast = await driver.waitFor('.notifications-toasts .notification-list-item', {
      text: 'runbook.projects[1] ("broken")',
      timeoutMs: 10_000,
    });
    assert.match(toast.text, /db\.port/);
    assert.match(toast.text, /not available until it is fixed/);
    assert.deepEqual(
      api.projects.all.map((p) => p.name),
      ['fixture', 'production'],
      'broken is left out, the others stay',
    );
    assert.equal(api.projects.problems.length, 1);
    await driver.screenshot('projects-setting-problem');
    await driver.click('.notifications-toasts .notification-list-item .monaco-button', { text: 'Open Settings' });
    await waitFor(
      () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings',
      'the settings editor to open',
    );
    await sleep(300);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace
      .getConfiguration('runbook')
      .update('projects', [fixtureProject('fixture')], vscode.ConfigurationTarget.Workspace);
    await api.projects.reload();
  });
});
