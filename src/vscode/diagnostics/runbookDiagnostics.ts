// The runbook's structural problems (what `runbook-companion check` reports) in the Problems panel and as
// squiggles on the markdown, kept current with the index: as the runbook is typed, saved, added or removed.
import * as vscode from 'vscode';
import { checkRunbook, type ProblemChecker } from '../../core/check/checkRunbook';
import type { RunbookIndex, IndexedRunbook } from '../runbooks/runbookIndex';
import { problemDiagnostic } from './problemDiagnostic';
import { Disposable } from '../../core/lifecycle/disposable';

export class RunbookDiagnostics extends Disposable {
  private readonly collection = this._register(vscode.languages.createDiagnosticCollection('runbook'));
  // The index replaces an entry when its runbook changes, so an unchanged entry keeps its diagnostics.
  private checked = new WeakMap<IndexedRunbook, vscode.Diagnostic[]>();

  /** `checkers` add problems from other features (stale Supabase CLI commands, …) to the structural ones. */
  constructor(
    private readonly index: RunbookIndex,
    private readonly checkers: readonly ProblemChecker[] = [],
  ) {
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
        // A large runbook's problems come from the worker with its model; a small one's are found here.
        const problems = entry.problems ?? checkRunbook(entry.runbook, entry.text, this.checkers);
        diagnostics = problems.map((problem) => problemDiagnostic(problem, lines, entry.uri));
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
