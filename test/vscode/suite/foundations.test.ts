// The extension's foundations in a real VS Code: every contributed command is registered once it has activated
// (the unit tests hold package.json and src/vscode/commands/commandIds.ts together; this sees VS Code agree), and the
// settings are read in one place that names what a change touched.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activateExtension, EXTENSION_ID } from '../extensionApi';
import { waitFor } from '../../helpers/wait';
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
