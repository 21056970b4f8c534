// The runbook's structural problems in the Problems panel of a real VS Code, at the lines `check` reports.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { driver } from '../driver';
import { activateExtension, workspaceUri } from '../extensionApi';
import { waitFor } from '../../helpers/wait';

const BROKEN_RUNBOOK = [
  '# Broken Runbook', // 0
  '',
  '## Playbook: Half Written', // 2: no Diagnosis, no Mitigation
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
        return d.length >= 4 && d;
      }, 'diagnostics on the broken runbook');
      const summary = found.map((d) => [d.code, d.range.start.line, d.severity]);
      assert.deepEqual(summary, [
        ['playbook-missing-diagnosis', 2, vscode.DiagnosticSeverity.Warning],
        ['playbook-missing-mitigation', 2, vscode.DiagnosticSeverity.Error],
        ['table-column-count', 9, vscode.DiagnosticSeverity.Error],
        ['unclosed-fence', 11, vscode.DiagnosticSeverity.Error],
      ]);
      const mitigation = found[1];
      assert.match(mitigation.message, /Playbook "Half Written" has no Mitigation part/);
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
        await driver.waitFor('.markers-panel .monaco-list-row', { text: 'has no Mitigation part' });
        const rows = (await driver.query('.markers-panel .monaco-list-row'))
          .filter((r) => r.visible)
          .map((r) => r.text);
        assert.ok(
          rows.some((r) => r.includes('broken.md')),
          `Problems panel rows: ${rows.join(' | ')}`,
        );
        assert.ok(
          rows.some((r) => /row has 3 cells, the header has 2/.test(r) && /\[Ln 10/.test(r)),
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
    assert.ok(diagnostics.length > 0, 'the sample has advice (fences without a language)');
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
});
