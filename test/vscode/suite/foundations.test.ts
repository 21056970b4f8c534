// The extension's foundations in a real VS Code: every contributed command is registered once it has activated
// (the unit tests hold package.json and src/vscode/commands/commandIds.ts together; this sees VS Code agree), and the
// settings are read in one place that names what a change touched.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from '../extensionApi';
import { waitFor } from '../../helpers/wait';
import { driver } from '../driver';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import type { RunbookSettingsChange } from '../../../src/vscode/settings';

describe('foundations', function () {
  let api: RunbookCompanionApi;

  before(async function () {
    api = await activateExtension();
  });

  it('registers every command package.json contributes', async function () {
    const contributed: string[] = vscode.extensions
      .getExtension(EXTENSION_ID)!
      .packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length >= 19, `package.json contributes ${contributed.length} commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((id) => !registered.has(id)),
      [],
    );
  });

  it('a settings change names the settings it touched and is read at once; other sections stay quiet', async function () {
    const config = vscode.workspace.getConfiguration('runbook');
    const changes: RunbookSettingsChange[] = [];
    const listening = api.config.onDidChange((change) => changes.push(change));
    try {
      const before = api.config.settings.sql.maxRows;
      await config.update('sql.maxRows', before + 7, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => changes.length > 0, 'the change of runbook.sql.maxRows');
      assert.deepEqual([...changes[0].keys], ['sql']);
      assert.ok(changes[0].affects('sql', 'files') && !changes[0].affects('files', 'projects'));
      assert.equal(api.config.settings.sql.maxRows, before + 7);
      // A setting of another extension changes nothing here.
      await vscode.workspace.getConfiguration('editor').update('tabSize', 3, vscode.ConfigurationTarget.Workspace);
      await config.update('sql.maxRows', undefined, vscode.ConfigurationTarget.Workspace);
      await waitFor(() => changes.length > 1, 'the reset of runbook.sql.maxRows');
      assert.deepEqual(
        changes.map((c) => [...c.keys]),
        [['sql'], ['sql']],
        'the editor setting fired no runbook change',
      );
      assert.equal(api.config.settings.sql.maxRows, before);
    } finally {
      listening.dispose();
      await vscode.workspace
        .getConfiguration('editor')
        .update('tabSize', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});

describe('supabase/config.toml', function () {
  let api: RunbookCompanionApi;
  const configFile = () => vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0].uri, 'supabase', 'config.toml');
  let original: Uint8Array;

  before(async function () {
    api = await activateExtension();
    original = await vscode.workspace.fs.readFile(configFile());
  });

  after(async function () {
    if (original) await vscode.workspace.fs.writeFile(configFile(), original);
    await api?.projects.reload();
  });

  it('a malformed file is named with its line and column, once; the other projects stay', async function () {
    const broken = new TextEncoder().encode(
      'project_id = "runbook-fixture"\n\n[api]\nport = 54321\n\n[db\nport = 54322\n',
    );
    await vscode.workspace.fs.writeFile(configFile(), broken);
    await api.projects.reload();
    assert.equal(api.projects.configProblems.length, 1, api.projects.configProblems.join('\n'));
    assert.match(api.projects.configProblems[0], /^supabase\/config\.toml line 6, column \d+: not valid TOML: /);
    assert.ok(
      api.projects.all.some((p) => p.isLocal),
      `the local stack stays: ${api.projects.all.map((p) => p.name).join(', ')}`,
    );
    if (driver.available) {
      const toast = await driver.waitFor('.notifications-toasts .notification-list-item', {
        text: 'supabase/config.toml line 6',
        timeoutMs: 10_000,
      });
      assert.match(toast.text, /other projects are still available/);
      await driver.screenshot('config-toml-malformed');
    }
    // Read again (as the file watcher does): the same problem, which is announced only when the set changes.
    const before = api.projects.configProblems;
    await api.projects.reload();
    assert.deepEqual(api.projects.configProblems, before);

    await vscode.workspace.fs.writeFile(configFile(), original);
    await api.projects.reload();
    assert.deepEqual(api.projects.configProblems, []);
  });

  it('overlapping reloads end with the file as it is now: an older read never lands last', async function () {
    const broken = new TextEncoder().encode('[db\nport = 54322\n');
    try {
      await vscode.workspace.fs.writeFile(configFile(), broken);
      // As the file watcher and a command do: a reload starts on the broken file, another after it is fixed.
      const first = api.projects.reload();
      await vscode.workspace.fs.writeFile(configFile(), original);
      const second = api.projects.reload();
      await first;
      assert.deepEqual(api.projects.configProblems, [], 'the first reload to finish already shows the newest file');
      await second;
      assert.deepEqual(api.projects.configProblems, []);
    } finally {
      await vscode.workspace.fs.writeFile(configFile(), original);
      await api.projects.reload();
    }
  });
});
