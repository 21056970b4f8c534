// The confirmation of a terminal run as VS Code really draws it (in a second window: the test window refuses
// dialogs). It leads with what changes and where, one line per risky command, the project ref in full; the comment
// above the block is no headline; a command the CLI no longer has is asked about on its own, before the risk.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { driver } from '../driver';
import { activateExtension, sleep } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import { SecondWindow, fixtureProject, pgInfo, removeRunbook, useProjects, writeRunbook } from '../workbenchHelpers';
import { waitFor } from '../../helpers/wait';

const LINKED_REF = 'confirmlinkedrefabcd';
const FILE_NAME = 'release-checks.md';
const MARKER = 'release-notes.marker';

describe('Terminal confirmation (the real dialog)', function () {
  let api: RunbookCompanionApi;
  let runbook: vscode.Uri | undefined;
  let second: SecondWindow | undefined;
  const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const refFile = () => join(root(), 'supabase', '.temp', 'project-ref');
  const terminalEnv = () => vscode.workspace.getConfiguration('terminal.integrated.env');

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    this.timeout(120_000);
    api = await activateExtension();
    mkdirSync(join(refFile(), '..'), { recursive: true });
    writeFileSync(refFile(), `${LINKED_REF}\n`);
    // The CLI has a login of its own (its environment's token), so no token question comes before the dialog.
    await terminalEnv().update(
      'linux',
      { SUPABASE_ACCESS_TOKEN: `sbp_${'0'.repeat(40)}` },
      vscode.ConfigurationTarget.Workspace,
    );
    await useProjects(api, [fixtureProject('fixture')], 'fixture');
    runbook = await writeRunbook(
      api,
      `runbooks/${FILE_NAME}`,
      [
        '# Release checks',
        '',
        '## Before the release',
        '',
        '```bash',
        '# Check the release notes first',
        `echo "release" > ${MARKER}`,
        'supabase functions logs generate-content',
        'supabase db push --linked',
        '```',
        '',
      ].join('\n'),
    );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    second = await SecondWindow.open();
    await second.openFile(FILE_NAME, '```bash');
  });

  after(async function () {
    if (!api) return;
    await second?.close();
    if (runbook) await removeRunbook(api, runbook);
    rmSync(refFile(), { force: true });
    rmSync(join(root(), MARKER), { force: true });
    await terminalEnv().update('linux', undefined, vscode.ConfigurationTarget.Workspace);
  });

  it('asks about the stale command apart, then leads with what changes where, one line per risky command', async function () {
    this.timeout(90_000);
    await second!.click('.codelens-decoration a', { text: 'Run in Terminal', timeoutMs: 20_000 });
    await second!.waitFor('.monaco-dialog-box', { timeoutMs: 20_000 });
    const stale = await second!.dialog();
    assert.ok(stale, 'the first dialog is drawn');
    assert.equal(
      stale.message,
      'A command of this block is not in Supabase CLI 3.1, so it will fail or do something else.',
    );
    assert.match(stale.detail, /functions logs/);
    assert.doesNotMatch(`${stale.message}\n${stale.detail}`, /changes|applies migrations|Overwrites/, 'no risk here');
    assert.deepEqual([...stale.buttons].sort(), ['Cancel', 'Run Anyway']);
    await driver.screenshot('terminal-stale-question');
    await second!.click('.monaco-dialog-box .monaco-button', { text: 'Run Anyway' });

    const risk = await waitFor(async () => {
      const d = await second!.dialog();
      return d && d.message !== stale.message ? d : undefined;
    }, 'the risk question');
    assert.equal(risk.message, `2 commands change things on fixture and linked project ${LINKED_REF} (production).`);
    assert.doesNotMatch(risk.message, /release notes/i, 'the comment above the block is not the headline');
    const lines = risk.detail.split('\n');
    assert.equal(lines.length, 2, risk.detail);
    assert.match(lines[0], new RegExp(`^• echo "release" > ${MARKER} — Overwrites ${MARKER}.* → fixture$`));
    assert.match(
      lines[1],
      new RegExp(
        `^• supabase db push .*— supabase db push applies migrations to the database\\. → linked project ${LINKED_REF} \\(production\\)$`,
      ),
    );
    assert.deepEqual([...risk.buttons].sort(), ['Cancel', 'Run in Terminal']);
    await driver.screenshot('terminal-confirmation-dialog');
    await second!.click('.monaco-dialog-box .monaco-button', { text: 'Cancel' });
    await waitFor(async () => (await second!.dialog()) === null, 'the dialog to close');
    await sleep(500);
    assert.equal(await second!.quickInput(), null, 'no ref is asked after Cancel');
    assert.equal(existsSync(join(root(), MARKER)), false, 'nothing ran');
  });
});
