// "Run" lenses above runnable code blocks of a runbook, and above single lines inside them. Each category registers
// its own actions, so SQL and shell snippets (and later features) share one provider and one refresh signal.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { Snippet } from '../../core/model/types';
import type { LinkedProject } from '../../core/projects/linkedProject';

export interface SnippetLensContext {
  uri: vscode.Uri;
  snippet: Snippet;
  project: LinkedProject | undefined;
  trusted: boolean;
}

/** A lens above one line of the snippet (a command inside a block) rather than above its fence. */
export interface LineLens {
  line: number;
  command: vscode.Command;
}

export type SnippetLensFactory = (context: SnippetLensContext) => Array<vscode.Command | LineLens>;

function isLineLens(lens: vscode.Command | LineLens): lens is LineLens {
  return typeof (lens as LineLens).line === 'number' && typeof (lens as LineLens).command === 'object';
}

export class SnippetCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly factories = new Map<Snippet['category'], SnippetLensFactory>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly index: RunbookIndex, private readonly activeProject: () => LinkedProject | undefined, signals: Array<vscode.Event<unknown>>) {
    this.subscriptions = [index.onDidChange(() => this.refresh()), vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()), ...signals.map((s) => s(() => this.refresh()))];
  }

  register(category: Snippet['category'], factory: SnippetLensFactory): void {
    this.factories.set(category, factory);
    this.refresh();
  }

  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  /** Coalesces bursts of changes: every refresh replaces the lenses, and a click on a replaced lens is lost. */
  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => { this.refreshTimer = undefined; this.changed.fire(); }, 100);
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // Only runbooks get lenses; other markdown files are left alone.
    if (!this.index.get(document.uri)) return [];
    const { runbook } = this.index.modelFor(document);
    const project = this.activeProject();
    const lenses: vscode.CodeLens[] = [];
    for (const snippet of runbook.snippets) {
      const factory = this.factories.get(snippet.category);
      if (!factory) continue;
      const range = new vscode.Range(snippet.startLine, 0, snippet.startLine, 0);
      for (const lens of factory({ uri: document.uri, snippet, project, trusted: vscode.workspace.isTrusted })) {
        if (isLineLens(lens)) lenses.push(new vscode.CodeLens(new vscode.Range(lens.line, 0, lens.line, 0), lens.command));
        else lenses.push(new vscode.CodeLens(range, lens));
      }
    }
    return lenses;
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
  }
}

export function restrictedModeLens(): vscode.Command {
  return { title: '$(shield) Running is disabled in Restricted Mode', command: 'workbench.trust.manage', tooltip: 'Trust this workspace to run runbook snippets' };
}
