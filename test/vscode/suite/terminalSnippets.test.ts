// Shell snippets in the integrated terminal of a real VS Code: output and exit codes, the real Supabase CLI against a
// real PostgreSQL and a Management API stand-in, hostile and secret placeholder values, URL rewriting, confirmation
// (declined, confirmed, production ref typed, the real target of a hosted-only command), Line by Line and single
// commands, busy and closed terminals, no shell integration (and the unsure terminal it leaves), the secrets each
// terminal is given and where they never land, the tree's actions, every shell fence language.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';
import { driver } from '../driver';
import { activateExtension, workspaceUri, sleep } from '../extensionApi';
import { filesUnder, findSnippetNode, journalFiles, pgInfo, topmostLensIsLink } from '../workbenchHelpers';
import { ManagementApiStandIn } from '../managementApiStandIn';
import type { RunbookCompanionApi } from '../../../src/vscode/api';
import {
  KEPT_OUTPUT_CHARS,
  type CommandResult,
  type SnippetRunState,
} from '../../../src/vscode/shell/shellSnippetRunner';
import { ProjectTerminals } from '../../../src/vscode/shell/projectTerminals';
import type { PlaybookTreeNode } from '../../../src/vscode/tree/treeNodes';
import type { Snippet } from '../../../src/core/model/types';
import { outcomeTitle } from '../../../src/vscode/shell/outcomeTitle';
import { waitFor } from '../../helpers/wait';

const LINKED_REF = 'linkedprojectrefabcd';
/** How lenses, short of space, show the linked project: its name says nothing, so its short ref says which. */
const LINKED_LABEL = 'linked project link…abcd (production)';
/** How confirmations, terminal names and notices show it: the ref in full. */
const LINKED_FULL = `linked project ${LINKED_REF} (production)`;
const PROD_REF = 'prodfixtureprodfixtu';
const TOKEN = `sbp_${'0123456789abcdef'.repeat(2)}01234567`;
/** The token `supabase login` left in a home folder's ~/.supabase/access-token. */
const CLI_LOGIN_TOKEN = `sbp_${'fedcba9876543210'.repeat(2)}76543210`;
const SECRET_VALUE = 'sb_secret_Zq9-example-value-26';
const FUNCTION = { id: '6f0c8a52-0000-4000-8000-000000000001', name: 'generate-content', status: 'ACTIVE', version: 1 };

describe('Terminal snippets', function () {
  let api: RunbookCompanionApi;
  let health: Server;
  let healthHits = 0;
  let apiUrl = '';
  const managementApi = new ManagementApiStandIn({
    'v1-list-all-projects': () => [],
    'v1-get-project': (r) => ({
      id: r.pathParams.ref,
      ref: r.pathParams.ref,
      organization_id: 'org',
      organization_slug: 'org-slug',
      name: 'linked',
      region: 'eu-central-1',
      created_at: '2026-01-01T00:00:00Z',
      status: 'ACTIVE_HEALTHY',
      database: { host: 'db.example', version: '17', postgres_engine: '17', release_channel: 'ga' },
    }),
    'v1-list-all-functions': () => [],
    'v1-deploy-a-function': (r) => ({ ...FUNCTION, slug: r.query.get('slug') ?? '' }),
  });
  const root = () => vscode.workspace.workspaceFolders![0].uri.fsPath;
  const cli = () => workspaceUri('runbooks', 'cli.md');
  const model = () => api.index.all.find((e) => e.uri.path.endsWith('cli.md'))!.runbook;
  const snippetByLabel = (label: RegExp): Snippet => {
    const found = model().snippets.find((s) => label.test(s.label));
    assert.ok(
      found,
      `no snippet labelled ${label} in cli.md: ${model()
        .snippets.map((s) => s.label)
        .join(' | ')}`,
    );
    return found;
  };
  const bodyLine = (snippet: Snippet, text: string): number => {
    const index = snippet.body.split('\n').findIndex((l) => l.includes(text));
    assert.ok(index >= 0, `no line "${text}" in ${snippet.label}`);
    return snippet.bodyStartLine + index;
  };
  const marker = (name: string) => join(root(), name);
  const terminalEnv = () => vscode.workspace.getConfiguration('terminal.integrated.env');
  const toast = (text: string) => driver.waitFor('.notifications-toasts .notification-list-item', { text });
  const clickToastButton = (text: string) =>
    driver.click('.notifications-toasts .notification-list-item .monaco-button', { text });
  const restoreModal = () => {
    api.gate.modal = (message, detail, action) =>
      vscode.window.showWarningMessage(message, { modal: true, detail }, action);
  };
  // Every test that answers the confirmation dialog goes through this, so that a click's effect can be seen.
  let modalCalls = 0;
  const answerModal = (answer: (message: string, detail: string, action: string) => string | undefined) => {
    api.gate.modal = async (message, detail, action) => {
      modalCalls++;
      return answer(message, detail, action);
    };
  };

  async function openAt(line: number): Promise<void> {
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(cli()), {
      viewColumn: vscode.ViewColumn.One,
      preview: false,
    });
    // The lens sits above its line: show the line before it at the top, the cursor inside the block.
    const top = new vscode.Position(Math.max(0, line - 1), 0);
    const inside = new vscode.Position(line + 1, 0);
    editor.selection = new vscode.Selection(inside, inside);
    editor.revealRange(new vscode.Range(top, top), vscode.TextEditorRevealType.AtTop);
    await waitFor(
      () => editor.visibleRanges.some((r) => r.start.line <= top.line && r.end.line > line),
      'the editor to scroll',
    );
    await sleep(300);
  }

  /** What a lens click changes: a quick input opens, a question is asked, a run starts or stops, the journal grows. */
  async function reaction(snippet: Snippet | undefined): Promise<string> {
    const state = snippet ? api.shell.stateOf(cli(), snippet.id) : undefined;
    const quickInput = (await driver.query('.quick-input-widget')).some((q) => q.visible);
    return JSON.stringify([
      quickInput,
      modalCalls,
      api.journal.size,
      state?.results.length,
      state?.status,
      state?.stopRequested,
      state ? idOf(state) : 0,
    ]);
  }
  const stateIds = new WeakMap<object, number>();
  let lastStateId = 0;
  const idOf = (state: object): number => stateIds.get(state) ?? (stateIds.set(state, ++lastStateId), lastStateId);

  /**
   * Clicks a lens once and waits for its effect. Never twice: the lenses carry argument-free commands, so a click
   * counts even on a lens VS Code is replacing at that moment; a click that does nothing is a failure.
   */
  async function clickLens(line: number, text: string): Promise<void> {
    const snippet = model().snippets.find((s) => line >= s.startLine && line <= s.endLine);
    await openAt(line);
    await driver.waitFor('.codelens-decoration a', { text, timeoutMs: 15_000 });
    // Right after the runbook is shown or scrolled, VS Code may draw a lens as plain text until it resolves it again:
    // the topmost one with this text (the one meant) must be a link, or the click goes to another lens below it.
    await waitFor(
      async () => (await driver.evaluate<boolean>(topmostLensIsLink(text)))[0],
      `the topmost lens "${text}" to be a link`,
    );
    const before = await reaction(snippet);
    await driver.click('.codelens-decoration a', { text, topmost: true });
    const reacted = await waitFor(
      async () => (await reaction(snippet)) !== before,
      `a reaction to "${text}"`,
      3_000,
    ).then(
      () => true,
      () => false,
    );
    if (!reacted) throw new Error(`Clicking the lens "${text}" above line ${line + 1} did nothing`);
  }

  /** The open terminal a command ran in: results keep its name, never the terminal. */
  function terminalOf(result: CommandResult): vscode.Terminal {
    const found = vscode.window.terminals.find((t) => t.name === result.terminalName);
    assert.ok(
      found,
      `the terminal "${result.terminalName}" is open: ${vscode.window.terminals.map((t) => t.name).join(' | ')}`,
    );
    return found;
  }
  const envOf = (result: CommandResult) => (terminalOf(result).creationOptions as vscode.TerminalOptions).env ?? {};
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  /** The lenses VS Code gets from the extension for a line of cli.md: titles without their icons. */
  async function lensesAt(line: number): Promise<string[]> {
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cli());
    return lenses
      .filter((l) => l.range.start.line === line)
      .map((l) => (l.command?.title ?? '').replace(/\$\([^)]+\)\s*/g, ''));
  }

  /**
   * Waits for a run newer than `before` to end, then for its own outcome lens (the exact title, duration included)
   * to be drawn, so that an older lens saying "exit" is never taken for this run's.
   */
  async function finished(snippet: Snippet, before?: SnippetRunState, timeoutMs = 60_000): Promise<SnippetRunState> {
    const state = await waitFor(
      () => {
        const s = api.shell.stateOf(cli(), snippet.id);
        return s && s !== before && s.status !== 'running' && s.results.length > 0 && s;
      },
      'the run to finish',
      timeoutMs,
    );
    const title = outcomeTitle(state).replace(/\$\([^)]+\)\s*/g, '');
    await openAt(snippet.startLine);
    await driver.waitFor('.codelens-decoration', { text: title, timeoutMs: 5_000 });
    await sleep(200);
    return state;
  }

  async function runByLens(label: RegExp, lens = 'Run in Terminal'): Promise<SnippetRunState> {
    const snippet = snippetByLabel(label);
    const before = api.shell.stateOf(cli(), snippet.id);
    await clickLens(snippet.startLine, lens);
    return finished(snippet, before);
  }

  async function answerQuickInput(value: string): Promise<void> {
    await driver.waitFor('.quick-input-widget input', { timeoutMs: 10_000 });
    await driver.evaluate(
      `(() => { const i = document.querySelector('.quick-input-widget input'); i.select(); return true; })()`,
    );
    await driver.type(value);
    await driver.press('Enter');
  }

  async function pickQuickItem(text: string): Promise<void> {
    await driver.waitFor('.quick-input-widget .monaco-list-row', { text, timeoutMs: 10_000 });
    await driver.click('.quick-input-widget .monaco-list-row', { text });
  }

  async function quickItems(): Promise<string[]> {
    await driver.waitFor('.quick-input-widget .monaco-list-row', { timeoutMs: 10_000 });
    return (await driver.query('.quick-input-widget .monaco-list-row')).filter((r) => r.visible).map((r) => r.text);
  }

  function removeMarkers(): void {
    for (const name of readdirSync(root())) if (name.endsWith('.marker')) rmSync(marker(name), { force: true });
  }

  async function closeRunbookTerminals(): Promise<void> {
    const ours = vscode.window.terminals.filter((t) => t.name.endsWith('— Runbook'));
    for (const t of ours) t.dispose();
    await waitFor(() => !vscode.window.terminals.some((t) => ours.includes(t)), 'the runbook terminals to close');
  }

  before(async function () {
    if (!pgInfo || !driver.available) this.skip();
    api = await activateExtension();
    health = createServer((_req, res) => {
      healthHits++;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"healthy"}');
    });
    await new Promise<void>((r) => health.listen(0, '127.0.0.1', r));
    apiUrl = `http://127.0.0.1:${(health.address() as AddressInfo).port}`;
    await managementApi.start();
    managementApi.writeProfile(join(root(), 'runbook-test-profile.yaml'));
    const db = {
      host: pgInfo!.host,
      port: pgInfo!.port,
      user: pgInfo!.user,
      database: pgInfo!.database,
      sslmode: 'disable',
    };
    await vscode.workspace.getConfiguration('runbook').update(
      'projects',
      [
        { name: 'fixture', apiUrl, db },
        { name: 'prod-fixture', ref: PROD_REF, apiUrl, production: true, db },
      ],
      vscode.ConfigurationTarget.Workspace,
    );
    await api.projects.reload();
    await api.projects.setActive('fixture');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    removeMarkers();
  });

  afterEach(async function () {
    restoreModal();
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    // Notifications are cleared by the root hook (_failureScreenshots), after the failure screenshot.
  });

  after(async function () {
    health?.close();
    managementApi.stop();
    if (api) {
      removeMarkers();
      rmSync(join(root(), 'supabase', '.temp', 'project-ref'), { force: true });
      await api.projects.setActive('fixture');
    }
  });

  it("captures a command's output and exit code through shell integration", async function () {
    // No database command, so no password is asked.
    const state = await runByLens(/marker/);
    assert.equal(state.status, 'done');
    assert.equal(state.results[0].exitCode, 0);
    assert.match(state.results[0].output, /runbook-output-42/);
    const record = api.journal
      .entries()
      .filter((r) => r.snippetId === snippetByLabel(/marker/).id)
      .at(-1);
    assert.ok(record, 'the run is in the journal');
    assert.deepEqual(
      [record.exitCode, record.kind, record.project, record.target?.kind],
      [0, 'shell', 'fixture', 'active'],
    );
    // The duration is the one measured for this run, and plausible for an echo.
    assert.equal(record.durationMs, state.results[0].durationMs);
    assert.ok(
      state.results[0].durationMs > 0 && state.results[0].durationMs < 20_000,
      `${state.results[0].durationMs} ms`,
    );
    await driver.screenshot('terminal-output-captured');

    const failing = await runByLens(/Fails on purpose/);
    assert.equal(failing.status, 'failed', JSON.stringify(failing.results.map((r) => r.exitCode)));
    assert.equal(failing.results[0].exitCode, 3);
    await driver.screenshot('terminal-exit-code');
  });

  it('runs the real Supabase CLI against the project database, password only in the environment', async function () {
    // Nothing stored: the password is asked (masked) and reaches the CLI as PGPASSWORD. The fixture server requires
    // password authentication, so the CLI's success shows the password got there.
    const fixture = api.projects.all.find((p) => p.name === 'fixture')!;
    await api.secrets.delete(fixture, 'dbPassword');
    const snippet = snippetByLabel(/List migrations/);
    const before = api.shell.stateOf(cli(), snippet.id);
    await clickLens(snippet.startLine, 'Run in Terminal');
    await driver.waitFor('.quick-input-widget input[type="password"]', { timeoutMs: 10_000 });
    const title = await driver.query('.quick-input-widget .quick-input-title');
    assert.ok(
      title.some((t) => t.text.includes('Database password for fixture')),
      'the prompt is the masked password input',
    );
    await answerQuickInput(pgInfo!.password);
    const state = await finished(snippet, before);
    assert.equal(state.results[0].exitCode, 0, state.results[0].output);
    assert.match(state.results[0].output, /20250110093000/);
    // The workspace's own CLI by absolute path, so that a `cd` in a snippet cannot lose it.
    assert.ok(
      state.results[0].command.startsWith(
        `${join(root(), 'node_modules', '.bin', 'supabase')} migration list --remote=`,
      ),
      state.results[0].command,
    );
    assert.doesNotMatch(state.results[0].command, /PGPASSWORD|password=/i, 'no password on the command line');
    assert.doesNotMatch(state.results[0].command, /:[^@/]+@/, 'the URL carries no password');
    const env = envOf(state.results[0]);
    assert.deepEqual(
      [env.PGPASSWORD, env.PGHOST, env.PGPORT, env.PGUSER, env.PGDATABASE],
      [pgInfo!.password, pgInfo!.host, String(pgInfo!.port), pgInfo!.user, pgInfo!.database],
    );
    assert.equal(env.SUPABASE_ACCESS_TOKEN, undefined, 'no access token for a database command');
    assert.equal(state.results[0].terminalName, 'fixture: database — Runbook');
    // It worked, so it was kept: the next database run does not ask.
    await waitFor(
      async () => (await api.secrets.get(fixture, 'dbPassword')) === pgInfo!.password,
      'the password to be kept',
    );
    await driver.screenshot('terminal-supabase-cli');
  });

  it('quotes a hostile placeholder value so it never becomes a command', async function () {
    const pwned = `/tmp/pwned-${Date.now()}`;
    const hostile = `$(touch ${pwned})\`touch ${pwned}\`; touch ${pwned}`;
    const snippet = snippetByLabel(/Echo the value/);
    const before = api.shell.stateOf(cli(), snippet.id);
    await clickLens(snippet.startLine, 'Run in Terminal');
    await answerQuickInput(hostile);
    const state = await finished(snippet, before, 30_000);
    assert.equal(state.results[0].exitCode, 0);
    assert.ok(state.results[0].output.includes(hostile), `echoed verbatim: ${state.results[0].output}`);
    assert.equal(existsSync(pwned), false, 'the hostile value created no file');
  });

  it('rewrites the project URL of a curl snippet to the active project and says so', async function () {
    const hitsBefore = healthHits;
    const state = await runByLens(/rewritten/);
    assert.equal(state.results[0].exitCode, 0);
    assert.match(state.results[0].output, /healthy/);
    assert.ok(healthHits > hitsBefore, 'the local project endpoint was hit');
    await driver.waitFor('.notifications-toasts', { text: 'abcdefghijklmnopqrst.supabase.co', timeoutMs: 5_000 });
    await driver.screenshot('terminal-url-rewritten');
  });

  it('asks before a risky command and runs nothing when declined', async function () {
    const questions: string[] = [];
    answerModal((message) => {
      questions.push(message);
      return undefined;
    });
    const snippet = snippetByLabel(/Needs confirmation/);
    const journalBefore = api.journal.size;
    const terminalsBefore = vscode.window.terminals.length;
    const answeredBefore = api.shell.answeredRequests();
    await clickLens(snippet.startLine, 'Run in Terminal');
    await waitFor(() => questions.length > 0, 'the confirmation question');
    await waitFor(() => api.shell.answeredRequests() > answeredBefore, 'the declined run to be answered');
    // What changes and where; the comment above the block ("Needs confirmation") is no headline.
    assert.equal(questions[0], 'git push publishes commits to a remote on fixture.');
    assert.equal(api.shell.stateOf(cli(), snippet.id), undefined, 'no run state');
    assert.equal(existsSync(marker('declined.marker')), false, 'the command before git push did not run either');
    assert.equal(api.journal.size, journalBefore, 'nothing was recorded');
    assert.equal(vscode.window.terminals.length, terminalsBefore, 'no terminal was opened');
  });

  it('on production the ref is typed before a risky command runs; the confirmed command really runs', async function () {
    await api.projects.setActive('prod-fixture');
    const questions: string[] = [];
    answerModal((message, _detail, action) => {
      questions.push(message);
      return action;
    });
    try {
      const snippet = snippetByLabel(/Writes a file/);
      const answeredBefore = api.shell.answeredRequests();
      await clickLens(snippet.startLine, 'Run in Terminal');
      await answerQuickInput('wrong-ref');
      const validation = await driver.waitFor('.quick-input-widget .quick-input-message', {
        text: 'This is not',
        timeoutMs: 5_000,
      });
      assert.match(validation.text, new RegExp(PROD_REF));
      await driver.screenshot('terminal-production-ref');
      await driver.press('Escape');
      await waitFor(() => api.shell.answeredRequests() > answeredBefore, 'the declined run to be answered');
      assert.equal(existsSync(marker('confirmed.marker')), false, 'nothing ran without the ref');
      assert.equal(api.shell.stateOf(cli(), snippet.id), undefined);

      await clickLens(snippet.startLine, 'Run in Terminal');
      await answerQuickInput(PROD_REF);
      const state = await finished(snippet);
      assert.equal(state.results[0].exitCode, 0);
      assert.equal(readFileSync(marker('confirmed.marker'), 'utf8'), 'confirmed\n');
      // The name says production, so it is not said again; the ref is in full.
      assert.equal(questions[1], `Overwrites confirmed.marker on prod-fixture (ref ${PROD_REF}).`);
      // Its terminal says so too: the project with its ref, in the warning colour.
      const options = terminalOf(state.results[0]).creationOptions as vscode.TerminalOptions;
      assert.equal(state.results[0].terminalName, `prod-fixture (ref ${PROD_REF}) — Runbook`);
      assert.equal((options.color as vscode.ThemeColor | undefined)?.id, 'terminal.ansiYellow');
      const record = api.journal.entries().at(-1)!;
      assert.deepEqual([record.project, record.target?.production, record.exitCode], ['prod-fixture', true, 0]);
    } finally {
      await api.projects.setActive('fixture');
    }
  });

  it('passes SUPABASE_ACCESS_TOKEN to the real CLI in the environment, never on the command line', async function () {
    // The token is set the way a user sets it: Runbook: Set Project Secret.
    void vscode.commands.executeCommand('runbook.setSecret');
    await pickQuickItem('fixture');
    await pickQuickItem('Personal access token');
    await answerQuickInput(TOKEN);
    await driver.waitFor('.notifications-toasts', { text: "saved in VS Code's secret storage", timeoutMs: 5_000 });

    const before = managementApi.requests.length;
    const state = await runByLens(/Management API/);
    assert.equal(state.results[0].exitCode, 0, state.results[0].output);
    const request = managementApi.requests.slice(before).find((r) => r.operationId === 'v1-list-all-projects');
    assert.ok(request, 'the CLI called GET /v1/projects on the stand-in');
    assert.equal(request.authorization, `Bearer ${TOKEN}`);
    assert.deepEqual(managementApi.rejected, []);
    const options = terminalOf(state.results[0]).creationOptions as vscode.TerminalOptions;
    assert.equal(options.env?.SUPABASE_ACCESS_TOKEN, TOKEN, 'the token is in the terminal environment');
    assert.equal(options.env?.PGPASSWORD, undefined, 'an account command does not get the database password');
    assert.equal(options.isTransient, true, 'a terminal holding secrets is not restored after a reload');
    assert.equal(state.results[0].terminalName, 'fixture: access token — Runbook');
    assert.ok(!state.results[0].command.includes(TOKEN), 'not on the command line');
    assert.ok(!state.results[0].output.includes(TOKEN), 'not in the captured output');
    assert.ok(!api.journal.entries().some((r) => r.command.includes(TOKEN)), 'not in the journal');
  });

  it('a Management API command with no token anywhere asks for one, masked, keeps it and runs with it', async function () {
    // No token in the secret storage, and a home folder where `supabase login` never ran.
    const home = mkdtempSync(join(tmpdir(), 'runbook-home-'));
    await api.secrets.delete(undefined, 'accessToken');
    await terminalEnv().update('linux', { HOME: home }, vscode.ConfigurationTarget.Workspace);
    try {
      const snippet = snippetByLabel(/Management API/);
      const before = api.shell.stateOf(cli(), snippet.id);
      const journalBefore = api.journal.size;
      const requestsBefore = managementApi.requests.length;
      await vscode.commands.executeCommand('notifications.clearAll');
      void vscode.commands.executeCommand('runbook.runInTerminal', cli(), snippet.index);
      const question = await toast('calls the Supabase Management API, and no access token was found');
      assert.match(question.text, /supabase login/);
      assert.equal(api.journal.size, journalBefore, 'nothing ran while asking');
      await driver.screenshot('terminal-token-question');
      await clickToastButton('Enter Token');
      await driver.waitFor('.quick-input-widget input[type="password"]', { timeoutMs: 10_000 });
      await answerQuickInput('not-a-token');
      await driver.waitFor('.quick-input-widget .quick-input-message', { text: 'sbp_', timeoutMs: 5_000 });
      await answerQuickInput(TOKEN);
      const state = await finished(snippet, before);
      assert.equal(state.results[0].exitCode, 0, state.results[0].output);
      const request = managementApi.requests
        .slice(requestsBefore)
        .find((r) => r.operationId === 'v1-list-all-projects');
      assert.equal(request?.authorization, `Bearer ${TOKEN}`);
      assert.equal(await api.secrets.get(undefined, 'accessToken'), TOKEN, "kept in VS Code's secret storage");
      assert.ok(!api.journal.entries().some((r) => r.command.includes(TOKEN)), 'not in the journal');
    } finally {
      await terminalEnv().update('linux', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("uses the CLI's own login (~/.supabase/access-token) without asking", async function () {
    const home = mkdtempSync(join(tmpdir(), 'runbook-home-'));
    mkdirSync(join(home, '.supabase'));
    writeFileSync(join(home, '.supabase', 'access-token'), CLI_LOGIN_TOKEN);
    await api.secrets.delete(undefined, 'accessToken');
    await terminalEnv().update('linux', { HOME: home }, vscode.ConfigurationTarget.Workspace);
    // Terminals opened before keep their old HOME.
    await closeRunbookTerminals();
    try {
      const requestsBefore = managementApi.requests.length;
      const state = await runByLens(/Management API/);
      assert.equal(state.results[0].exitCode, 0, state.results[0].output);
      const request = managementApi.requests
        .slice(requestsBefore)
        .find((r) => r.operationId === 'v1-list-all-projects');
      assert.equal(request?.authorization, `Bearer ${CLI_LOGIN_TOKEN}`, "the CLI's own token was used");
      assert.equal(envOf(state.results[0]).SUPABASE_ACCESS_TOKEN, undefined, 'the extension gave it no token');
      const asked = (await driver.query('.notifications-toasts .notification-list-item')).some((n) =>
        n.text.includes('no access token was found'),
      );
      assert.equal(asked, false, 'nothing was asked');
    } finally {
      await terminalEnv().update('linux', undefined, vscode.ConfigurationTarget.Workspace);
      rmSync(home, { recursive: true, force: true });
      await api.secrets.store(undefined, 'accessToken', TOKEN);
      await closeRunbookTerminals();
    }
  });

  it('with no Supabase CLI in the workspace or on PATH, says so before anything is sent and offers to add it', async function () {
    const bin = join(root(), 'node_modules', '.bin', 'supabase');
    const hidden = `${bin}.hidden`;
    renameSync(bin, hidden);
    // PATH without any supabase on it (npm stays: it is what adds the CLI).
    const path = (process.env.PATH ?? '')
      .split(delimiter)
      .filter((dir) => dir && !existsSync(join(dir, 'supabase')))
      .join(delimiter);
    await terminalEnv().update('linux', { PATH: path }, vscode.ConfigurationTarget.Workspace);
    const tasksStarted: string[] = [];
    const watch = vscode.tasks.onDidStartTask((e) => tasksStarted.push(e.execution.task.name));
    try {
      const snippet = snippetByLabel(/List migrations/);
      const before = api.shell.stateOf(cli(), snippet.id);
      const journalBefore = api.journal.size;
      const terminalsBefore = vscode.window.terminals.length;
      const questions: string[] = [];
      answerModal((message, detail) => {
        questions.push(`${message}\n${detail}`);
        return undefined;
      });
      await vscode.commands.executeCommand('notifications.clearAll');
      void vscode.commands.executeCommand('runbook.runInTerminal', cli(), snippet.index);
      const message = await toast('needs the Supabase CLI');
      assert.match(message.text, /not installed in this workspace \(node_modules\/\.bin\/supabase\) or on PATH/);
      assert.match(message.text, /Nothing was run/);
      assert.match(message.text, /Install Instructions/);
      await driver.screenshot('terminal-missing-cli');
      assert.deepEqual(
        [api.journal.size, vscode.window.terminals.length, api.shell.stateOf(cli(), snippet.id) === before],
        [journalBefore, terminalsBefore, true],
        'nothing was sent to a terminal or recorded',
      );
      await clickToastButton('Add to Workspace');
      await waitFor(() => questions.length > 0, 'the question before npm install');
      assert.match(questions[0], /npm install --save-dev supabase/);
      assert.ok(questions[0].includes(root()), questions[0]);
      await vscode.commands.executeCommand('notifications.clearAll');
      // Declined: no task was started.
      assert.deepEqual(tasksStarted, []);
    } finally {
      watch.dispose();
      renameSync(hidden, bin);
      await terminalEnv().update('linux', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });

  it('a terminal gets only the secrets its commands need: none for an echo, the database password for database commands', async function () {
    removeMarkers();
    const questions: string[] = [];
    answerModal((message, detail, action) => {
      questions.push(`${message}\n${detail}`);
      return action;
    });
    // The token and the password are both stored by now; still, an echo's terminal holds neither.
    assert.ok(await api.secrets.get(undefined, 'accessToken'), 'the token test stored the token');
    const plain = await runByLens(/which secrets this terminal holds/);
    assert.equal(plain.results[0].exitCode, 0, plain.results[0].output);
    // Naming $PGPASSWORD in a snippet asks first, whatever else the command does.
    assert.match(questions[0], /Reads \$PGPASSWORD, the database password this terminal is given/);
    assert.equal(readFileSync(marker('terminal-secrets.marker'), 'utf8'), 'PGPASSWORD= SUPABASE_ACCESS_TOKEN=\n');
    assert.deepEqual(
      Object.keys(envOf(plain.results[0])).filter((name) => /^(PG|SUPABASE_)/.test(name)),
      [],
    );
    assert.equal(plain.results[0].terminalName, 'fixture — Runbook');

    // A block with a database command: its terminal has the password, which the confirmed second command digests.
    const database = await runByLens(/digest of the password/);
    assert.deepEqual(
      database.results.map((r) => r.exitCode),
      [0, 0],
      database.results.map((r) => r.output).join('\n'),
    );
    assert.equal(
      readFileSync(marker('pgpassword-digest.marker'), 'utf8').split(/\s+/)[0],
      sha256(pgInfo!.password),
      "PGPASSWORD in the terminal is the project's password",
    );
    assert.deepEqual(
      database.results.map((r) => r.terminalName),
      ['fixture: database — Runbook', 'fixture: database — Runbook'],
    );
  });

  it('a hosted-only command with local active goes to the linked project: its ref is asked, and it gets there', async function () {
    mkdirSync(join(root(), 'supabase', '.temp'), { recursive: true });
    writeFileSync(join(root(), 'supabase', '.temp', 'project-ref'), `${LINKED_REF}\n`);
    await waitFor(() => api.projects.all.some((p) => p.ref === LINKED_REF), 'the linked project to be discovered');
    assert.equal(api.projects.active?.name, 'fixture');
    const snippet = snippetByLabel(/Deploy to the hosted project/);
    // The lens says where it goes before anything is run.
    await waitFor(
      async () =>
        (await lensesAt(snippet.startLine)).some((t) => t.includes(`Run in Terminal (fixture + ${LINKED_LABEL})`)),
      'the lens to name the linked project',
    );

    const questions: string[] = [];
    answerModal((message, _detail, action) => {
      questions.push(message);
      return action;
    });
    const journalBefore = api.journal.size;
    const requestsBefore = managementApi.requests.length;
    const answeredBefore = api.shell.answeredRequests();
    await clickLens(snippet.startLine, 'Run in Terminal');
    // The function name is picked from supabase/functions.
    const items = await quickItems();
    assert.ok(
      items.some((i) => i.includes('generate-content')) &&
        items.some((i) => i.includes('health')) &&
        items.some((i) => i.includes('Type another value')),
      items.join(' | '),
    );
    await pickQuickItem('generate-content');
    await driver.waitFor('.quick-input-widget .quick-input-title', {
      text: `Confirm on ${LINKED_FULL}`,
      timeoutMs: 10_000,
    });
    await driver.waitFor('.quick-input-widget .quick-input-message', {
      text: `Type the project ref "${LINKED_REF}"`,
      timeoutMs: 5_000,
    });
    await driver.screenshot('terminal-hosted-only-linked-ref');
    assert.equal(
      questions[0],
      `supabase functions deploy deploys Edge Functions to the project on ${LINKED_FULL}.`,
      'what changes and where, not the comment above the block',
    );
    await driver.press('Escape');
    await waitFor(() => api.shell.answeredRequests() > answeredBefore, 'the declined run to be answered');
    assert.equal(api.journal.size, journalBefore, 'declined at the ref: nothing ran');
    assert.equal(managementApi.requests.length, requestsBefore, 'the API saw nothing');

    const before = api.shell.stateOf(cli(), snippet.id);
    await clickLens(snippet.startLine, 'Run in Terminal');
    await pickQuickItem('generate-content');
    await answerQuickInput(LINKED_REF);
    const state = await finished(snippet, before);
    assert.equal(state.results[0].exitCode, 0, state.results[0].output);
    const deploy = managementApi.requests.slice(requestsBefore).find((r) => r.operationId === 'v1-deploy-a-function');
    assert.ok(deploy, `the CLI deployed: ${managementApi.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`);
    assert.deepEqual([deploy.pathParams.ref, deploy.query.get('slug')], [LINKED_REF, 'generate-content']);
    assert.deepEqual(managementApi.rejected, []);
    const record = api.journal.entries().at(-1)!;
    assert.deepEqual(
      [record.project, record.target?.kind, record.target?.ref, record.target?.production, record.activeProject],
      ['linked', 'linked', LINKED_REF, true, 'fixture'],
    );
    // The terminal it ran in is named after the production project it reached, not the active "fixture", and is
    // coloured and marked as production.
    assert.equal(state.results[0].terminalName, `${LINKED_FULL}: access token — Runbook`);
    const options = terminalOf(state.results[0]).creationOptions as vscode.TerminalOptions;
    assert.equal((options.color as vscode.ThemeColor | undefined)?.id, 'terminal.ansiYellow');
    assert.equal((options.iconPath as vscode.ThemeIcon | undefined)?.id, 'warning');
    assert.equal(state.results[0].reached, LINKED_FULL);
    await driver.screenshot('terminal-production-target-name');
  });

  it('Run Line by Line: Run, Skip (offered first for an alternative), Run', async function () {
    const snippet = snippetByLabel(/Three steps/);
    removeMarkers();
    await clickLens(snippet.startLine, 'Run Line by Line');
    assert.ok((await quickItems())[0].includes('Run'), 'Run comes first');
    await pickQuickItem('Run');
    await waitFor(() => existsSync(marker('step-one.marker')), 'the first step');
    // The second command is an alternative ("# Or skip this one"): Skip comes first.
    const second = await quickItems();
    assert.ok(second[0].includes('Skip this command'), second.join(' | '));
    await driver.screenshot('terminal-line-by-line');
    await pickQuickItem('Skip this command');
    await pickQuickItem('Run');
    const state = await finished(snippet);
    assert.deepEqual(
      state.results.map((r) => r.command),
      ['touch step-one.marker', 'touch step-three.marker'],
    );
    assert.deepEqual(
      ['step-one', 'step-two', 'step-three'].map((m) => existsSync(marker(`${m}.marker`))),
      [true, false, true],
    );
  });

  it('lenses: Line by Line and per-command Run only on multi-command blocks; checklist for mixed blocks; warnings on stale commands', async function () {
    // Lenses carry commands without arguments, which VS Code never releases (a click on an old lens still counts).
    const all = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', cli());
    assert.ok(
      all.length > 20 && all.every((l) => !l.command?.arguments?.length),
      JSON.stringify(all.filter((l) => l.command?.arguments?.length).map((l) => l.command)),
    );
    const single = snippetByLabel(/marker/);
    const fence = await lensesAt(single.startLine);
    assert.ok(
      fence.some((t) => t.startsWith('Run in Terminal')),
      fence.join(' | '),
    );
    assert.ok(!fence.includes('Run Line by Line'), `single command: ${fence.join(' | ')}`);
    assert.deepEqual(await lensesAt(bodyLine(single, 'echo')), [], 'no per-line lens in a single-command block');

    const multi = snippetByLabel(/Three steps/);
    assert.ok((await lensesAt(multi.startLine)).includes('Run Line by Line'));
    for (const text of ['touch step-one', 'touch step-two', 'touch step-three'])
      assert.deepEqual(await lensesAt(bodyLine(multi, text)), ['Run this command'], text);

    const mixed = snippetByLabel(/Announce it first/);
    const mixedLenses = await lensesAt(mixed.startLine);
    assert.ok(
      mixedLenses.includes('2 steps to do by hand') && mixedLenses.some((t) => t.startsWith('Run in Terminal')),
      mixedLenses.join(' | '),
    );
    assert.deepEqual(
      await lensesAt(bodyLine(mixed, '2. supabase migration list')),
      ['Run this command'],
      'a numbered command can run alone',
    );

    const logs = snippetByLabel(/View function logs/);
    assert.deepEqual(await lensesAt(bodyLine(logs, 'supabase functions logs')), ['Not a command of Supabase CLI 3.1']);
    const rollback = snippetByLabel(/Deploy previous version/);
    assert.ok(
      (await lensesAt(bodyLine(rollback, '--legacy-bundle'))).includes('The flag does not do what the comment says'),
    );
    const migrations = snippetByLabel(/Generate migration/);
    assert.deepEqual(await lensesAt(bodyLine(migrations, 'db push --linked')), [
      'Goes to whichever project is linked',
      `Run this command → ${LINKED_LABEL}`,
    ]);
    await openAt(rollback.startLine);
    await driver.screenshot('terminal-lenses-alternatives');
  });

  it('runs one command of a block from its own lens: the migration name is checked as a slug, the rest does not run', async function () {
    const snippet = snippetByLabel(/Generate migration/);
    const line = bodyLine(snippet, 'supabase migration new');
    const journalBefore = api.journal.size;
    await clickLens(line, 'Run this command');
    await answerQuickInput('Add Orders');
    await driver.waitFor('.quick-input-widget .quick-input-message', { text: 'snake_case', timeoutMs: 5_000 });
    await answerQuickInput('add_orders');
    const state = await finished(snippet);
    assert.equal(state.results.length, 1);
    assert.equal(state.results[0].exitCode, 0, state.results[0].output);
    const created = readdirSync(join(root(), 'supabase', 'migrations')).filter((f) => f.endsWith('_add_orders.sql'));
    assert.equal(created.length, 1, 'supabase migration new created the file');
    rmSync(join(root(), 'supabase', 'migrations', created[0]));
    const recorded = api.journal
      .entries()
      .slice(journalBefore)
      .map((r) => r.command);
    assert.equal(recorded.length, 1);
    assert.match(recorded[0], /migration new 'add_orders'$/);
  });

  it('asks before running a command Supabase CLI 3.1 does not have; <name> is offered the functions', async function () {
    const questions: string[] = [];
    answerModal((message, detail) => {
      questions.push(`${message}\n${detail}`);
      return undefined;
    });
    const snippet = snippetByLabel(/View function logs/);
    const journalBefore = api.journal.size;
    const answeredBefore = api.shell.answeredRequests();
    await clickLens(snippet.startLine, 'Run in Terminal');
    await pickQuickItem('health');
    await waitFor(() => questions.length > 0, 'the question');
    // Asked on its own, apart from any risk: the runbook is out of date, not the command dangerous.
    assert.match(
      questions[0],
      /^A command of this block is not in Supabase CLI 3\.1, so it will fail or do something else\./,
    );
    assert.match(questions[0], /supabase logs --remote --service functions/);
    await waitFor(() => api.shell.answeredRequests() > answeredBefore, 'the cancelled run to be answered');
    assert.equal(api.journal.size, journalBefore, 'cancelled: nothing ran');
  });

  it('a secret placeholder is asked masked, reaches the command through the environment, and is never kept', async function () {
    const secret = SECRET_VALUE;
    const snippet = snippetByLabel(/characters of the new key/);
    await clickLens(snippet.startLine, 'Run in Terminal');
    await driver.waitFor('.quick-input-widget input[type="password"]', { timeoutMs: 10_000 });
    await answerQuickInput(secret);
    const state = await finished(snippet);
    assert.equal(state.results[0].exitCode, 0);
    assert.equal(state.results[0].output.trim().split(/\s+/).at(-1), String(secret.length));
    assert.match(state.results[0].command, /"\$\{RUNBOOK_SECRET_NEW_KEY\}"/);
    assert.ok(!state.results[0].command.includes(secret) && !state.results[0].output.includes(secret));
    assert.ok(!api.journal.entries().some((r) => r.command.includes(secret)), 'not in the journal');
    const options = terminalOf(state.results[0]).creationOptions as vscode.TerminalOptions;
    assert.equal(options.env?.RUNBOOK_SECRET_NEW_KEY, secret);
    assert.equal(options.isTransient, true);
    assert.equal(state.results[0].terminalName, 'fixture: secret — Runbook');
    // Asked again next time: never prefilled.
    await clickLens(snippet.startLine, 'Run in Terminal');
    await driver.waitFor('.quick-input-widget input[type="password"]', { timeoutMs: 10_000 });
    const [value] = await driver.evaluate<string>(`document.querySelector('.quick-input-widget input').value`);
    assert.equal(value, '');
  });

  it('runs console, sh, shell and zsh fences; an output-only console fence has nothing to run', async function () {
    for (const [label, output] of [
      [/console-ran/, 'console-ran'],
      [/Runs in sh fences/, 'sh-ran'],
      [/shell-prompt-ran/, 'shell-prompt-ran'],
      [/zsh-ran/, 'zsh-ran'],
    ] as const) {
      const state = await runByLens(label);
      assert.equal(state.results[0].exitCode, 0, `${label}`);
      assert.ok(state.results[0].output.includes(output), `${label}: ${state.results[0].output}`);
      assert.ok(!/^\s*[$%]/.test(state.results[0].command), `the prompt is stripped: ${state.results[0].command}`);
    }
    // zsh is not installed on the test machines: the block ran in bash, and the user was told.
    if (!existsSync('/bin/zsh') && !existsSync('/usr/bin/zsh'))
      await driver.waitFor('.notifications-toasts', {
        text: 'written for zsh, which is not installed here',
        timeoutMs: 5_000,
      });
    const outputOnly = snippetByLabel(/API URL/);
    const lenses = await lensesAt(outputOnly.startLine);
    assert.deepEqual(lenses, ['Output only: no "$ " prompt', 'Copy']);
    assert.equal(
      await vscode.commands.executeCommand('runbook.copyCommands', cli(), snippetByLabel(/console-ran/).index),
      'echo "console-ran"\n',
    );
    assert.equal(
      await vscode.commands.executeCommand('runbook.copyCommands', cli(), snippetByLabel(/Three steps/).index),
      'touch step-one.marker\ntouch step-two.marker\ntouch step-three.marker\n',
    );
    assert.equal(
      await vscode.env.clipboard.readText(),
      'touch step-one.marker\ntouch step-two.marker\ntouch step-three.marker\n',
    );
  });

  it('a busy terminal is never typed into: the next run gets a terminal of its own', async function () {
    const slow = snippetByLabel(/Sleeps a few seconds/);
    const fast = snippetByLabel(/marker/);
    const fastBefore = api.shell.stateOf(cli(), fast.id);
    void vscode.commands.executeCommand('runbook.runInTerminal', cli(), slow.index);
    const running = await waitFor(() => {
      const s = api.shell.stateOf(cli(), slow.id);
      return s?.status === 'running' && s.runningIn.size > 0 && s;
    }, 'the slow command to run');
    const busyTerminal = [...running.runningIn][0].name;
    void vscode.commands.executeCommand('runbook.runInTerminal', cli(), fast.index);
    const quick = await waitFor(
      () => {
        const s = api.shell.stateOf(cli(), fast.id);
        return s && s !== fastBefore && s.status !== 'running' && s.results.length > 0 && s;
      },
      'the second run',
      30_000,
    );
    assert.equal(quick.results[0].exitCode, 0);
    assert.notEqual(quick.results[0].terminalName, busyTerminal, 'the second run used another terminal');
    assert.equal(quick.results[0].terminalName, 'fixture (2) — Runbook');
    await driver.waitFor('.notifications-toasts', { text: 'is busy running', timeoutMs: 5_000 });
    await driver.screenshot('terminal-busy-sibling');
    const slowState = await finished(slow, undefined, 30_000);
    assert.equal(slowState.results[0].exitCode, 0);
    assert.match(slowState.results[0].output, /slept-well/);
    assert.equal(slowState.results[0].terminalName, busyTerminal);
  });

  it('closing the terminal while a command runs ends the run as "closed", recorded without an exit code', async function () {
    const slow = snippetByLabel(/Sleeps a few seconds/);
    const previous = api.shell.stateOf(cli(), slow.id);
    void vscode.commands.executeCommand('runbook.runInTerminal', cli(), slow.index);
    const running = await waitFor(() => {
      const s = api.shell.stateOf(cli(), slow.id);
      return s && s !== previous && s.status === 'running' && s.runningIn.size > 0 && s;
    }, 'the command to start');
    await sleep(500);
    [...running.runningIn][0].dispose();
    const state = await finished(slow, previous, 15_000);
    assert.equal(state.status, 'closed');
    assert.deepEqual([state.results[0].exitCode, state.results[0].ending], [undefined, 'closed']);
    const record = api.journal
      .entries()
      .filter((r) => r.snippetId === slow.id)
      .at(-1)!;
    assert.equal(record.exitCode, null);
    assert.ok(record.durationMs !== null && record.durationMs >= 500, `${record.durationMs}`);
    await driver.waitFor('.notifications-toasts', { text: 'The terminal was closed while', timeoutMs: 5_000 });
  });

  describe('without shell integration', function () {
    const integrated = () => vscode.workspace.getConfiguration('terminal.integrated');
    const blind = () => snippetByLabel(/sent one at a time/);

    before(async function () {
      if (!pgInfo || !driver.available) this.skip();
      await integrated().update('shellIntegration.enabled', false, vscode.ConfigurationTarget.Global);
      await closeRunbookTerminals();
      removeMarkers();
    });

    after(async function () {
      await integrated().update('shellIntegration.enabled', undefined, vscode.ConfigurationTarget.Global);
      if (api) await closeRunbookTerminals();
    });

    /** Runs a snippet by its command and waits for a run newer than the last one to have sent its commands. */
    async function sent(snippet: Snippet, count: number, answer?: string): Promise<SnippetRunState> {
      // VS Code shows three notifications at a time: earlier ones must not hide the question.
      await vscode.commands.executeCommand('notifications.clearAll');
      const before = api.shell.stateOf(cli(), snippet.id);
      void vscode.commands.executeCommand('runbook.runInTerminal', cli(), snippet.index);
      if (answer) {
        await driver.waitFor('.notifications-toasts', {
          text: "may still be running; shell integration is off, so its end can't be seen",
          timeoutMs: 10_000,
        });
        await driver.click('.notifications-toasts .monaco-button', { text: answer });
      }
      return waitFor(
        () => {
          const s = api.shell.stateOf(cli(), snippet.id);
          return s && s !== before && s.results.length >= count && s.status !== 'running' && s;
        },
        'the commands to be sent',
        20_000,
      );
    }

    it('sends one command, says exit codes are unknown, and waits before the next', async function () {
      await clickLens(blind().startLine, 'Run in Terminal');
      await driver.waitFor('.notifications-toasts', { text: 'Exit codes are unknown', timeoutMs: 20_000 });
      await waitFor(() => existsSync(marker('blind-first.marker')), 'the first command');
      await sleep(1500);
      assert.equal(existsSync(marker('blind-second.marker')), false, 'the second command waits');
      await driver.screenshot('terminal-no-shell-integration');
      await driver.click('.notifications-toasts .monaco-button', { text: 'Send Next Command' });
      await waitFor(() => existsSync(marker('blind-second.marker')), 'the second command after Send Next');
      const state = await waitFor(() => {
        const s = api.shell.stateOf(cli(), blind().id);
        return s && s.status !== 'running' && s;
      }, 'the run to end');
      assert.equal(state.status, 'unknown');
      assert.deepEqual(
        state.results.map((r) => [r.exitCode, r.ending, r.terminalName]),
        [
          [undefined, 'no-integration', 'fixture — Runbook'],
          [undefined, 'no-integration', 'fixture — Runbook'],
        ],
      );
    });

    it('asks before typing into a terminal whose last command may still run: a new terminal, send anyway, or cancel', async function () {
      const echo = snippetByLabel(/marker/);
      // The block before left its last command in "fixture — Runbook", unseen: the next run asks.
      void vscode.commands.executeCommand('runbook.runInTerminal', cli(), echo.index);
      await driver.waitFor('.notifications-toasts', {
        text: 'The last command sent to "fixture — Runbook" ("touch blind-second.marker") may still be running',
        timeoutMs: 10_000,
      });
      await driver.screenshot('terminal-unsure-question');
      await driver.click('.notifications-toasts .monaco-button', { text: 'Use a New Terminal' });
      const fresh = await waitFor(
        () => {
          const s = api.shell.stateOf(cli(), echo.id);
          return s && s.results.length > 0 && s.status !== 'running' && s;
        },
        'the command in a new terminal',
        20_000,
      );
      assert.equal(fresh.results[0].terminalName, 'fixture (2) — Runbook');

      // Both are unsure now; Send Anyway types into the one asked about.
      const anyway = await sent(echo, 1, 'Send Anyway');
      assert.equal(anyway.results[0].terminalName, 'fixture — Runbook');

      // Cancel sends nothing.
      const journalBefore = api.journal.size;
      const terminalsBefore = vscode.window.terminals.length;
      const previous = api.shell.stateOf(cli(), echo.id);
      await vscode.commands.executeCommand('notifications.clearAll');
      void vscode.commands.executeCommand('runbook.runInTerminal', cli(), echo.index);
      await driver.waitFor('.notifications-toasts', { text: 'may still be running', timeoutMs: 10_000 });
      await driver.click('.notifications-toasts .monaco-button', { text: 'Cancel' });
      const cancelled = await waitFor(() => {
        const s = api.shell.stateOf(cli(), echo.id);
        return s && s !== previous && s.status !== 'running' && s;
      }, 'the run to be cancelled');
      assert.deepEqual(
        [cancelled.status, cancelled.results.length, api.journal.size, vscode.window.terminals.length],
        ['stopped', 0, journalBefore, terminalsBefore],
      );
    });

    it('Stop sends Ctrl+C to a command sent without shell integration, even after its run has ended', async function () {
      const slow = snippetByLabel(/Waits five seconds/);
      const state = await sent(slow, 1, 'Use a New Terminal');
      const sentAt = Date.now();
      assert.equal(state.status, 'unknown');
      // Nobody saw the command end, so the block's lens still offers Stop.
      await openAt(slow.startLine);
      await driver.waitFor('.codelens-decoration', { text: 'exit code unknown', timeoutMs: 5_000 });
      await driver.waitFor('.codelens-decoration a', { text: 'Stop', timeoutMs: 5_000 });
      await driver.screenshot('terminal-no-integration-stop');
      await clickLens(slow.startLine, 'Stop');
      await waitFor(() => api.shell.stateOf(cli(), slow.id)?.status === 'stopped', 'the run to be stopped');
      assert.ok(
        Date.now() - sentAt < 4500,
        `Stop came ${Date.now() - sentAt} ms after the command was sent, too late to show it interrupted "sleep 5"`,
      );
      await sleep(Math.max(0, sentAt + 6500 - Date.now()));
      assert.equal(
        existsSync(marker('blind-late.marker')),
        false,
        'Ctrl+C interrupted the sleep, so the file was never touched',
      );
      assert.equal(api.shell.stateOf(cli(), slow.id)?.sentBlindTo.size, 0, 'the run no longer holds the terminal');
    });
  });

  it('a finished run keeps its outcome, not its terminal; the outcome goes when its snippet goes', async function () {
    const file = join(root(), 'runbooks', 'forget-me.md');
    writeFileSync(file, '# Forget me\n\n## Once\n\n```bash\n# Prints a lot\nseq 1 20000\n```\n');
    try {
      const uri = vscode.Uri.file(file);
      const entry = await waitFor(() => api.index.get(uri), 'the new runbook to be indexed');
      const snippet = entry.runbook.snippets[0];
      void vscode.commands.executeCommand('runbook.runInTerminal', uri, snippet.index);
      const state = await waitFor(
        () => {
          const s = api.shell.stateOf(uri, snippet.id);
          return s && s.status !== 'running' && s;
        },
        'the run to finish',
        30_000,
      );
      assert.equal(state.status, 'done');
      // The end of the output, capped; the terminal by name only.
      assert.ok(
        state.results[0].output.length <= KEPT_OUTPUT_CHARS + 1,
        `${state.results[0].output.length} characters kept`,
      );
      assert.match(state.results[0].output, /20000/);
      assert.deepEqual(
        Object.values(state.results[0]).filter((v) => typeof v === 'object'),
        [],
        'a result holds no object (no terminal)',
      );
      assert.deepEqual([state.runningIn.size, state.sentBlindTo.size], [0, 0]);
      rmSync(file);
      await waitFor(
        () => !api.index.get(uri) && api.shell.stateOf(uri, snippet.id) === undefined,
        "the outcome of the deleted runbook's snippet to be forgotten",
      );
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('on deactivation only idle terminals are closed; one running a command is left to the user', async function () {
    const terminals = new ProjectTerminals();
    const project = api.projects.all.find((p) => p.name === 'fixture')!;
    const shell = { path: '/bin/bash', name: 'bash' };
    const idle = terminals.obtain({
      project,
      env: {},
      cwd: undefined,
      shell,
      secretEnv: false,
      ownPurpose: 'idle check',
    }).terminal;
    const running = terminals.obtain({
      project,
      env: {},
      cwd: undefined,
      shell,
      secretEnv: false,
      ownPurpose: 'deploy check',
    }).terminal;
    terminals.markBusy(running, '"supabase functions deploy"');
    terminals.dispose();
    await waitFor(() => !vscode.window.terminals.includes(idle), 'the idle terminal to close');
    await sleep(500);
    assert.ok(vscode.window.terminals.includes(running), 'the busy terminal stays open');
    running.dispose();
  });

  it('the tree offers the actions that apply: Run, Line by Line, checklist, Stop while running', async function () {
    const nodeOf = (snippet: Snippet): PlaybookTreeNode => findSnippetNode(api, cli(), snippet.index);
    async function menuFor(snippet: Snippet): Promise<string[]> {
      await vscode.commands.executeCommand('workbench.view.extension.runbook');
      await api.treeView.reveal(nodeOf(snippet), { select: true, focus: true });
      await sleep(400);
      await driver.click('.pane-body .monaco-list-row.selected', { button: 'right' });
      await driver.waitFor('.context-view .action-label', { timeoutMs: 5_000 });
      const items = (await driver.query('.context-view .action-label'))
        .filter((i) => i.visible)
        .map((i) => i.text)
        .filter(Boolean);
      await driver.press('Escape');
      return items;
    }
    const single = await menuFor(snippetByLabel(/marker/));
    assert.ok(
      single.includes('Run Snippet in Terminal') &&
        !single.includes('Run Snippet Line by Line') &&
        single.includes('Copy Commands'),
      single.join(' | '),
    );
    assert.ok(!single.includes('Copy Snippet'), 'shell nodes copy their commands, not the raw block');
    const multi = await menuFor(snippetByLabel(/Three steps/));
    assert.ok(
      multi.includes('Run Snippet in Terminal') && multi.includes('Run Snippet Line by Line'),
      multi.join(' | '),
    );
    const prose = await menuFor(snippetByLabel(/When a key leaks/));
    assert.ok(
      prose.includes('Open Snippet as Checklist') && !prose.includes('Run Snippet in Terminal'),
      prose.join(' | '),
    );

    // While a run can be stopped, the node offers Stop; the tree node also runs the snippet.
    const follow = snippetByLabel(/until stopped/);
    void vscode.commands.executeCommand('runbook.runInTerminal', nodeOf(follow));
    await waitFor(
      () => api.shell.stateOf(cli(), follow.id)?.status === 'running',
      'the tail to run from the tree node',
    );
    const running = await menuFor(follow);
    assert.ok(running.includes('Stop Running Snippet'), running.join(' | '));
    await driver.screenshot('terminal-tree-stop');
    await vscode.commands.executeCommand('runbook.stopSnippet', nodeOf(follow));
    await waitFor(() => api.shell.stateOf(cli(), follow.id)?.status === 'stopped', 'the tail to stop');
  });

  it('offers numbered prose as a checklist and records each ticked step in the journal', async function () {
    const snippet = snippetByLabel(/leaks/);
    await clickLens(snippet.startLine, '3 steps to do by hand');
    await driver.waitFor('.quick-input-widget .monaco-list-row', { text: 'Revoke the leaked key', timeoutMs: 5_000 });
    await driver.screenshot('terminal-prose-checklist');
    await driver.click('.quick-input-widget .monaco-list-row', { text: 'Revoke the leaked key' });
    await driver.waitFor('.quick-input-widget', { text: '1 Selected', timeoutMs: 5_000 });
    await driver.press('Enter');
    const step = await waitFor(
      () => api.journal.entries().find((r) => r.kind === 'step' && r.snippetId === snippet.id),
      'the ticked step in the journal',
    );
    assert.deepEqual(
      [step.command, step.line, step.project],
      ['Revoke the leaked key at the provider', bodyLine(snippet, 'Revoke'), 'fixture'],
    );
  });

  it('stops a long-running command from its lens', async function () {
    const snippet = snippetByLabel(/until stopped/);
    const before = api.shell.stateOf(cli(), snippet.id);
    await clickLens(snippet.startLine, 'Run in Terminal');
    await driver.waitFor('.codelens-decoration a', { text: 'Stop', timeoutMs: 15_000 });
    await driver.screenshot('terminal-long-running');
    await clickLens(snippet.startLine, 'Stop');
    const state = await finished(snippet, before, 15_000);
    assert.equal(state.results[0].exitCode, 130, 'ended by Ctrl+C');
    assert.equal(state.status, 'stopped');
    assert.equal(
      state.results[0].terminalName,
      'fixture: tail /dev/null — Runbook',
      'it ran in a terminal of its own, named first by what tells it apart',
    );
  });
  it('never writes a secret placeholder value or the access token to runs.jsonl or the log file', async function () {
    // Earlier tests ran a command with the secret placeholder and commands with the access token in their terminal.
    const secrets = [SECRET_VALUE, TOKEN];
    const logFiles = (await filesUnder(api.logUri)).map((uri) => uri.fsPath);
    const logs = logFiles.map((file) => ({ file, text: readFileSync(file, 'utf8') }));
    assert.ok(
      logs.some((l) => /Count the characters of the new key/.test(l.text) && l.text.includes('RUNBOOK_SECRET_NEW_KEY')),
      `the log records the secret placeholder's run: ${logFiles.join(', ')}`,
    );
    const journals = (await journalFiles(api)).map((uri) => uri.fsPath);
    const journal = journals.map((file) => readFileSync(file, 'utf8')).join('\n');
    assert.ok(
      journal.includes(snippetByLabel(/characters of the new key/).id) && journal.includes('RUNBOOK_SECRET_NEW_KEY'),
      `runs.jsonl holds the secret placeholder's run: ${journals.join(', ') || 'none found'}`,
    );
    assert.ok(journal.includes('projects list'), 'runs.jsonl holds the run that had the access token');
    const leaks = [...logs.map((l) => [l.file, l.text]), ...journals.map((f) => [f, readFileSync(f, 'utf8')])].flatMap(
      ([file, text]) =>
        secrets.filter((secret) => text.includes(secret)).map((secret) => `${file} holds ${secret.slice(0, 6)}…`),
    );
    assert.deepEqual(leaks, []);
  });
});
