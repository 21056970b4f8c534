// The write confirmation as the user meets it: the real modal dialog VS Code draws, answered by
// clicking its buttons, then the real input box for a production ref. The window that runs the tests
// cannot show a dialog (code-server refuses them under test), so this runs in a second window of the
// same workspace and extension (SecondWindow); the database is the judge of what ran.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, sleep, waitUntil } from '../extensionApi';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import {
  SecondWindow,
  adminQuery,
  fixtureProject,
  pgInfo,
  removeRunbook,
  serverSessions,
  useProjects,
  writeRunbook,
} from '../workbenchHelpers';

const PRODUCTION_REF = 'abcdefghijklmnopqrst';
const RUNBOOK = 'runbooks/confirm-write.md';
const FILE_NAME = 'confirm-write.md';
const WRITE_LINE = 6; // 1-based line of the INSERT in RUNBOOK
const STATEMENT = "INSERT INTO public.confirmation_probe (note) VALUES ('confirmed in the real dialog')";

describe('SQL write confirmation (the real dialog)', function () {
  let api: RunbookCompanionApi;
  let runbook: vscode.Uri | undefined;
  let second: SecondWindow | undefined;

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    this.timeout(120_000);
    api = await activateExtension();
    await adminQuery(
      'DROP TABLE IF EXISTS public.confirmation_probe; CREATE TABLE public.confirmation_probe (id serial PRIMARY KEY, note text)',
    );
    await useProjects(
      api,
      [fixtureProject('fixture'), fixtureProject('production', { ref: PRODUCTION_REF, production: true })],
      'fixture',
    );
    runbook = await writeRunbook(
      api,
      RUNBOOK,
      ['# Write confirmation', '', '## Probe', '', '```sql', `${STATEMENT};`, '```', ''].join('\n'),
    );
    // Nothing of this window may show through or answer for the other one.
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    second = await SecondWindow.open();
    await second.openFile(FILE_NAME);
  });

  after(async function () {
    if (!pgInfo || !driver.available) return;
    await second?.close();
    if (runbook) await removeRunbook(api, runbook);
    // The other window's pool closes its idle connections by itself (after 10 s); wait, so later suites count only their own.
    await waitUntil(
      async () => (await serverSessions()) === api.runners.activeConnections(),
      "the second window's connections to close",
      30_000,
    ).catch(() => undefined);
    await adminQuery('DROP TABLE IF EXISTS public.confirmation_probe');
  });

  // A failed test must not leave a dialog or an input in the way of the next one.
  afterEach(async function () {
    if (!second) return;
    if (await second.dialog())
      await second.click('.monaco-dialog-box .monaco-button', { text: 'Cancel' }).catch(() => undefined);
    if (await second.quickInput()) await driver.press('Escape');
  });

  const probeRows = async () =>
    (await adminQuery<{ n: number }>('SELECT count(*)::int AS n FROM public.confirmation_probe'))[0].n;

  /** Clicks "Run on…" above the write and picks production, up to the dialog. */
  async function runOnProduction(): Promise<NonNullable<Awaited<ReturnType<SecondWindow['dialog']>>>> {
    await second!.click('.codelens-decoration a', { text: 'Run on…', timeoutMs: 20_000 });
    await second!.pick('production');
    await second!.waitFor('.monaco-dialog-box', { timeoutMs: 10_000 });
    const dialog = await second!.dialog();
    assert.ok(dialog, 'the dialog is drawn');
    return dialog;
  }

  it('shows the real modal with the question, the statement and its reason; Cancel runs nothing', async function () {
    this.timeout(60_000);
    const dialog = await runOnProduction();
    // The platform decides the order of the buttons (Cancel first on Linux).
    assert.deepEqual(
      { ...dialog, buttons: [...dialog.buttons].sort() },
      {
        // The project is named with its ref in full, where the user checks it.
        message: `This SQL block writes to the database on production (ref ${PRODUCTION_REF}).`,
        detail: `Line ${WRITE_LINE}: INSERT changes rows — ${STATEMENT}\n\nIt runs in one transaction: if any statement fails, nothing is changed.`,
        buttons: ['Cancel', 'Run as Write'],
        modal: true,
      },
    );
    await driver.screenshot('sql-write-confirmation-dialog');
    await second!.click('.monaco-dialog-box .monaco-button', { text: 'Cancel' });
    await waitUntil(async () => (await second!.dialog()) === null, 'the dialog to close');
    await sleep(500);
    assert.equal(await second!.quickInput(), null, 'no ref is asked after Cancel');
    assert.equal(await probeRows(), 0, 'nothing ran');
  });

  it('Run as Write on production then wants the ref typed: a wrong one is refused, Escape runs nothing', async function () {
    this.timeout(60_000);
    await runOnProduction();
    await second!.click('.monaco-dialog-box .monaco-button', { text: 'Run as Write' });
    await second!.waitFor('.quick-input-widget .quick-input-box input');
    const asked = await second!.quickInput();
    assert.equal(asked?.title, `Confirm on production (ref ${PRODUCTION_REF})`);
    await driver.type('wrong-ref');
    const refused = await second!.waitFor('.quick-input-widget .quick-input-message', { text: 'This is not' });
    assert.match(refused.text, new RegExp(PRODUCTION_REF));
    await driver.screenshot('sql-write-confirmation-wrong-ref');
    await driver.press('Escape');
    await waitUntil(async () => (await second!.quickInput()) === null, 'the ref prompt to close');
    await sleep(500);
    assert.equal(await probeRows(), 0, 'nothing ran without the ref');
  });

  it('Run as Write and the right ref: the write commits, once', async function () {
    this.timeout(90_000);
    await runOnProduction();
    await second!.click('.monaco-dialog-box .monaco-button', { text: 'Run as Write' });
    await second!.waitFor('.quick-input-widget .quick-input-box input');
    await driver.type(PRODUCTION_REF);
    await driver.press('Enter');
    // That window keeps its own secrets: it may ask for the database password, masked.
    await waitUntil(
      async () => {
        if ((await probeRows()) > 0) return true;
        const input = await second!.quickInput();
        if (input?.type === 'password') {
          assert.match(input.title, /Database password for production/);
          await driver.type(pgInfo!.password);
          await driver.press('Enter');
          await sleep(300);
        }
        return false;
      },
      'the confirmed write to reach the database',
      30_000,
    );
    await driver.waitFor('.run-header .status', { text: 'Committed', timeoutMs: 20_000 });
    await driver.screenshot('sql-write-committed');
    assert.deepEqual(await adminQuery('SELECT note FROM public.confirmation_probe'), [
      { note: 'confirmed in the real dialog' },
    ]);
  });
});
