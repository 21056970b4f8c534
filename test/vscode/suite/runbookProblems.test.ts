// The runbook's structural problems in the Problems panel of a real VS Code, at the lines `check` reports.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, workspaceUri } from '../extensionApi';
import { waitFor } from '../../helpers/wait';

const BROKEN_RUNBOOK = [
  '# Broken Runbook', // 0
  '',
  '## Playbook: Half Written', // 2: says what is wrong, not what to do
  '',
  '**Symptoms:**',
  '- Checkout hangs',
  '',
  '| Metric | Limit |', // 7
  '|---|---|',
  '| p95 | 2s | extra |', // 9: three cells
  '',
  '```sql', // 11: never closed
  'SELECT 1;',
  '',
].join('\n');

function runbookDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'Runbook');
}

describe('Runbook problems', function () {
  before(async function () {
    await activateExtension();
  });

  it("shows a broken runbook's problems at the right lines, with severity, and clears them when fixed", async function () {
    const uri = workspaceUri('runbooks', 'broken.md');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(BROKEN_RUNBOOK));
    try {
      const found = await waitFor(() => {
        const d = runbookDiagnostics(uri);
        return d.length >= 3 && d;
      }, 'diagnostics on the broken runbook');
      const summary = found.map((d) => [d.code, d.range.start.line, d.severity]);
      assert.deepEqual(summary, [
        ['playbook-missing-mitigation', 2, vscode.DiagnosticSeverity.Error],
        ['table-column-count', 9, vscode.DiagnosticSeverity.Error],
        ['unclosed-fence', 11, vscode.DiagnosticSeverity.Error],
      ]);
      const mitigation = found[0];
      // The problem in a few words; the explanation is the related information the hover and the panel show.
      assert.equal(mitigation.message, 'Playbook "Half Written" does not say what to do');
      assert.match(mitigation.relatedInformation?.[0]?.message ?? '', /has no Mitigation part: add one/);
      assert.deepEqual(
        [mitigation.range.start.character, mitigation.range.end.line, mitigation.range.end.character],
        [0, 2, '## Playbook: Half Written'.length],
      );

      if (driver.available) {
        await vscode.commands.executeCommand('vscode.open', uri);
        await vscode.commands.executeCommand('workbench.actions.view.problems');
        // Other runbooks have problems too; narrow the panel to this file so its rows are in view.
        await driver.click('.markers-panel-container .viewpane-filter input, .panel .viewpane-filter input');
        await driver.type('**/broken.md');
        await driver.waitFor('.markers-panel .monaco-list-row', { text: 'does not say what to do' });
        const rows = (await driver.query('.markers-panel .monaco-list-row'))
          .filter((r) => r.visible)
          .map((r) => r.text);
        assert.ok(
          rows.some((r) => r.includes('broken.md')),
          `Problems panel rows: ${rows.join(' | ')}`,
        );
        assert.ok(
          rows.some((r) => /Row has 3 cells, the header has 2/.test(r) && /\[Ln 10/.test(r)),
          `Problems panel rows: ${rows.join(' | ')}`,
        );
        await driver.screenshot('problems-panel');
        await driver.press('Control+A');
        await driver.press('Backspace');
      }

      // Fixed on disk: the problems go away.
      const fixed = BROKEN_RUNBOOK.replace('| p95 | 2s | extra |', '| p95 | 2s |')
        .replace('```sql', '**Diagnosis:**\n```sql')
        .replace('SELECT 1;\n', 'SELECT 1;\n```\n\n**Mitigation:**\n1. Roll back\n');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(fixed));
      await waitFor(() => runbookDiagnostics(uri).length === 0, 'the problems to clear');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
    await waitFor(() => vscode.languages.getDiagnostics(uri).length === 0, 'no diagnostics for a deleted runbook');
  });

  it('follows typing: a problem appears while the runbook is edited', async function () {
    const uri = workspaceUri('runbooks', 'payments.md');
    const document = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(document);
    assert.ok(
      !runbookDiagnostics(uri).some((d) => /Typed Just Now/.test(d.message)),
      'no such problem before the edit',
    );
    const end = document.lineAt(document.lineCount - 1).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, '\n\n### Playbook: Typed Just Now\n')));
    try {
      // The lenses ask for the model before the debounced reparse runs (as VS Code does for a visible editor);
      // the problems must follow all the same.
      await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
      const added = await waitFor(
        () =>
          runbookDiagnostics(uri).find(
            (d) => /Typed Just Now/.test(d.message) && d.code === 'playbook-missing-mitigation',
          ),
        'the new problem',
      );
      assert.equal(added.range.start.line, document.getText().split('\n').indexOf('### Playbook: Typed Just Now'));
    } finally {
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('vscode.executeCodeLensProvider', uri);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    }
    await waitFor(
      () => !runbookDiagnostics(uri).some((d) => /Typed Just Now/.test(d.message)),
      'the problem to go with the reverted edit',
    );
  });

  it('the workspace runbook copied from our sample has no structural errors; its errors are the stale CLI commands it shares with the seed', async function () {
    const runbook = await vscode.workspace.openTextDocument(workspaceUri('RUNBOOK.md'));
    const diagnostics = runbookDiagnostics(runbook.uri);
    assert.ok(diagnostics.length > 0, 'the sample has advice (deprecated flags)');
    const errors = diagnostics.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    // Like the seed, the sample still says `supabase functions logs` (twice) and `supabase db remote status`.
    assert.deepEqual(
      errors.map((d) => [d.code, runbook.lineAt(d.range.start.line).text.trim().split(' ').slice(0, 3).join(' ')]),
      [
        ['cli-unknown-command', 'supabase functions logs'],
        ['cli-unknown-command', 'supabase functions logs'],
        ['cli-unknown-command', 'supabase db remote'],
      ],
    );
  });

  it('a stale Supabase CLI command gets a Quick Fix that puts the working command in its place', async function () {
    const uri = workspaceUri('runbooks', 'stale-commands.md');
    const text = [
      '# Stale Commands', // 0
      '',
      '## Logs',
      '',
      '```bash',
      '# Follow the function logs',
      'supabase functions logs generate-content --tail', // 6
      '```',
      '',
      '## Database',
      '',
      '```bash',
      'supabase db remote status', // 12
      '```',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      const stale = await waitFor(() => {
        const found = runbookDiagnostics(uri).filter((d) => d.code === 'cli-unknown-command');
        return found.length === 2 && found;
      }, 'the two stale commands in the Problems panel');
      assert.deepEqual(
        stale.map((d) => [d.range.start.line, d.message]),
        [
          [6, '`supabase functions logs` no longer exists in Supabase CLI 3.1'],
          [12, '`supabase db remote` no longer exists in Supabase CLI 3.1'],
        ],
      );
      assert.match(stale[0].relatedInformation?.[0]?.message ?? '', /supabase logs --remote --service functions/);
      // Code actions are asked of an open document, as VS Code does for the editor in view.
      const document = await vscode.workspace.openTextDocument(uri);
      const actionsAt = (line: number) =>
        vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          new vscode.Range(line, 0, line, 0),
          vscode.CodeActionKind.QuickFix.value,
        );
      const statusFixes = await actionsAt(12);
      assert.deepEqual(
        statusFixes.map((a) => a.title),
        [
          'Replace with `supabase migration list --remote` (the migrations the hosted database has)',
          "Replace with `supabase inspect db db-stats --remote` (the hosted database's health)",
        ],
      );

      const editor = await vscode.window.showTextDocument(document);
      const logsTitle =
        "Replace with `supabase logs --remote --service functions` (every function's logs; press L in the viewer for newer ones)";
      if (driver.available) {
        // As a user does it: the cursor on the command, Ctrl+. and the fix chosen in the menu.
        editor.selection = new vscode.Selection(6, 3, 6, 3);
        await vscode.commands.executeCommand('editor.action.quickFix');
        await driver.waitFor('.action-widget .monaco-list-row', { text: 'supabase logs --remote --service functions' });
        await driver.waitFor('.action-widget .monaco-list-row', {
          text: 'Tail the logs of generate-content in VS Code',
        });
        await driver.screenshot('quick-fix-stale-command');
        // The first fix (selected) tails the logs in VS Code; the second rewrites the line: Down, then Enter.
        await driver.press('ArrowDown');
        await driver.press('Enter');
      } else {
        const fix = (await actionsAt(6)).find((a) => a.title === logsTitle);
        assert.ok(fix?.edit && (await vscode.workspace.applyEdit(fix.edit)));
      }
      await waitFor(
        () => document.lineAt(6).text === 'supabase logs --remote --service functions',
        `the fixed line (is ${JSON.stringify(document.lineAt(6).text)})`,
      );
      const status = statusFixes[0];
      assert.ok(status.edit && (await vscode.workspace.applyEdit(status.edit)));
      assert.equal(document.lineAt(12).text, 'supabase migration list --remote');
      await waitFor(
        () => !runbookDiagnostics(uri).some((d) => d.code === 'cli-unknown-command'),
        'the stale-command problems to go once fixed',
      );
      if (driver.available) await driver.screenshot('quick-fix-applied');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it("offers the extension's own function log tail as the fix for `supabase functions logs`", async function () {
    const uri = workspaceUri('runbooks', 'function-logs.md');
    await vscode.workspace.fs.writeFile(
      uri,
      new TextEncoder().encode(
        '# Logs\n\n## Follow\n\n```bash\nsupabase functions logs <function_name> --tail\n```\n\n' +
          '## One function\n\n```bash\nsupabase functions logs generate-content\n```\n',
      ),
    );
    try {
      const diagnostics = await waitFor(() => {
        const found = runbookDiagnostics(uri).filter((d) => d.code === 'cli-unknown-command');
        return found.length === 2 && found.sort((a, b) => a.range.start.line - b.range.start.line);
      }, 'the two stale commands');
      await vscode.workspace.openTextDocument(uri);
      const fixesFor = (diagnostic: vscode.Diagnostic) =>
        vscode.commands.executeCommand<vscode.CodeAction[]>(
          'vscode.executeCodeActionProvider',
          uri,
          diagnostic.range,
          vscode.CodeActionKind.QuickFix.value,
        );
      const placeholder = await fixesFor(diagnostics[0]);
      assert.deepEqual(
        placeholder.map((a) => [a.title, a.isPreferred ?? false]),
        [
          ["Tail a function's logs in VS Code (pick the function)", true],
          [
            "Replace with `supabase logs --remote --service functions` (every function's logs; press L in the viewer for newer ones)",
            false,
          ],
        ],
      );
      // A placeholder is never passed on as a function name: the tail lists the deployed functions instead.
      assert.equal(placeholder[0].command?.command, 'runbook.tailFunctionLogs');
      assert.deepEqual(placeholder[0].command?.arguments, [undefined, undefined]);
      const named = await fixesFor(diagnostics[1]);
      assert.equal(named[0].title, 'Tail the logs of generate-content in VS Code');
      assert.deepEqual(named[0].command?.arguments, [undefined, 'generate-content']);
      assert.ok(
        (await vscode.commands.getCommands(true)).includes(named[0].command!.command),
        'the Quick Fix runs a command the extension registers',
      );
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });

  it('a large runbook is parsed and checked in the model worker, and its problems follow typing', async function () {
    const api = await activateExtension();
    const uri = workspaceUri('runbooks', 'large.md');
    // About 150 KiB of playbooks, above the size the worker takes over from the main thread.
    const unit = (k: number) =>
      `## Playbook: Queue stuck ${k}\n\n**Symptoms:** jobs wait.\n\n**Diagnosis:**\n\n\`\`\`sql\nselect count(*) from jobs where queue = '<queue_name>';\n\`\`\`\n\n**Mitigation:**\n\n1. Restart the workers.\n\n`;
    const text = `# Large Runbook\n\n${Array.from({ length: 800 }, (_, k) => unit(k)).join('')}`;
    assert.ok(text.length > 140 * 1024);
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    try {
      const entry = await waitFor(() => api.index.get(uri), 'the large runbook in the index');
      assert.equal(entry.runbook.playbooks.length, 800);
      assert.ok(entry.problems, 'its problems came from the worker with its model');
      const document = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(document);
      const end = document.lineAt(document.lineCount - 1).range.end;
      assert.ok(await editor.edit((b) => b.insert(end, '\n## Playbook: Typed Into A Large One\n')));
      const added = await waitFor(
        () => runbookDiagnostics(uri).find((d) => /Typed Into A Large One/.test(d.message)),
        'the problem typed into the large runbook',
      );
      assert.equal(added.code, 'playbook-missing-mitigation');
      assert.ok(api.index.get(uri)!.problems, 'still from the worker');
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      await vscode.workspace.fs.delete(uri);
    }
  });
});
