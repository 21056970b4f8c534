// The runbook's structural problems (what `runbook-companion check` reports) in the Problems panel and as
// squiggles on the markdown, kept current with the index: as the runbook is typed, saved, added or removed.
import * as vscode from 'vscode';
import type { RunbookIndex, IndexedRunbook } from '../runbooks/runbookIndex';
import { problemDiagnostic } from './problemDiagnostic';
import { Disposable } from '../../core/lifecycle/disposable';

export class RunbookDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('runbook'));
  // The index replaces an entry when its runbook changes, so an unchanged entry keeps its diagnostics.
  private checked = new WeakMap<IndexedRunbook, vscode.Diagnostic[]>();

  /** The index finds each runbook's problems with its model (src/node/model/parseAndCheck.ts names the checkers). */
  constructor(private readonly index: RunbookIndex) {
    super();
    this._register(index.onDidChange(() => this.refresh()));
    this.refresh();
  }

  private refresh(): void {
    const current = new Set<string>();
    for (const entry of this.index.all) {
      // The sample ships with the extension: nothing for the user to fix there.
      if (entry.isSample) continue;
      current.add(entry.uri.toString());
      let diagnostics = this.checked.get(entry);
      if (!diagnostics) {
        const lines = entry.text.split(/\r\n|\r|\n/);
        diagnostics = entry.problems.map((problem) => problemDiagnostic(problem, lines, entry.uri));
        this.checked.set(entry, diagnostics);
      }
      this.collection.set(entry.uri, diagnostics);
    }
    const stale: vscode.Uri[] = [];
    this.collection.forEach((uri) => {
      if (!current.has(uri.toString())) stale.push(uri);
    });
    for (const uri of stale) this.collection.delete(uri);
  }

  protected override onDispose(): void {
    this.checked = new WeakMap();
  }
}
