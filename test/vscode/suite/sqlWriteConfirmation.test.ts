// The write confirmation as the user meets it: the real modal dialog VS Code draws, answered by
// clicking its buttons, then the real input box for a production ref. The window that runs the tests
// cannot show a dialog (code-server refuses them under test), so this runs in a second window of the
// same workspace and extension (SecondWindow); the database is the judge of what ran.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension } from '../extensionApi';
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
import { waitFor } from '../../helpers/wait';

const PRODUCTION_REF = 'abcdefghijklmnopqrst';
const RUNBOOK = 'runbooks/confirm-write.md';
const FILE_NAME = 'confirm-write.md';
const WRITE_LINE = 6; // 1-based line of the INSERT in RUNBOOK
const STATEMENT = "INSERT INTO public.confirmation_probe (note) VALUES ('confirmed in the real dialog')";
const MARKER_LINE = 10; // 1-based line of the read-only SELECT after it

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
      [
        '# Write confirmation',
        '',
        '## Probe',
        '',
        '```sql',
        `${STATEMENT};`,
        '```',
        '',
        '```sql',
        "SELECT 'after the answer' AS marker;",
        '```',
        '',
      ].join('\n'),
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
    await waitFor(
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

  /** Answers the second window's masked prompt for the database password, when it asks (it keeps its own secrets). */
  async function answerPasswordPrompt(): Promise<void> {
    const input = await second!.quickInput();
    if (input?.type !== 'password') return;
    assert.match(input.title, /Database password for /);
    await driver.type(pgInfo!.password);
    await driver.press('Enter');
    await waitFor(async () => (await second!.quickInput())?.type !== 'password', 'the password prompt to close');
  }

  /**
   * The positive signal after a declined write: the second window runs the read-only SELECT below it (Run Snippet at
   * Cursor) and shows its result. Its extension host handles one message after another, so by then anything the
   * declined run would still have done (ask for the ref, run the INSERT) has been asked or done.
   */
  async function runMarkerAfterwards(): Promise<void> {
    // The gutter gives the editor the keyboard without touching a lens; Go to Line puts the cursor in the SELECT.
    await second!.click('.monaco-editor .line-numbers', { text: String(MARKER_LINE) });
    await driver.press('Control+G');
    await second!.waitFor('.quick-input-widget .quick-input-box input');
    await driver.type(String(MARKER_LINE));
    await driver.press('Enter');
    await waitFor(async () => !(await second!.quickInput()), 'Go to Line to close');
    await driver.press('Control+Alt+Enter');
    await waitFor(
      async () => {
        await answerPasswordPrompt();
        return (await driver.query('td')).some((cell) => cell.visible && cell.text === 'after the answer');
      },
      'the marker SELECT to run in the second window',
      30_000,
    );
  }

  /** Clicks "Run on…" above the write and picks production, up to the dialog. */
  async function runOnProduction(): Promise<NonNullable<Awaited<ReturnType<SecondWindow['dialog']>>>> {
    // The write's lens: the topmost "Run on…" (the SELECT below has one too, and widgets are not in visual order).
    await second!.click('.codelens-decoration a', { text: 'Run on…', timeoutMs: 20_000, topmost: true });
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
    await waitFor(async () => (await second!.dialog()) === null, 'the dialog to close');
    await runMarkerAfterwards();
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
    await waitFor(async () => (await second!.quickInput()) === null, 'the ref prompt to close');
    await runMarkerAfterwards();
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
    await waitFor(
      async () => {
        if ((await probeRows()) > 0) return true;
        await answerPasswordPrompt();
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
