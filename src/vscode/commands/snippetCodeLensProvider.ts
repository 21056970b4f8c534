// "Run" lenses above runnable code blocks of a runbook, and above single lines inside them. Each category registers
// its own actions, so SQL and shell snippets (and later features) share one provider and one refresh signal.
// Every redraw replaces the lenses, and VS Code releases the arguments of replaced lenses: a click on one of them is
// lost ("Actual command not found"). So refresh signals are coalesced, the lenses are redrawn only when what they
// would show (titles, tooltips, commands, lines) differs from what VS Code last got for an open document,
// and the commands they carry have no arguments (see LensCommands), which VS Code never releases.
import * as vscode from 'vscode';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { Snippet } from '../../core/model/types';
import type { LinkedProject } from '../../core/projects/linkedProject';
import { Disposable } from '../../core/lifecycle/disposable';

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

/** A category's lenses for one snippet; a promise when the code that works them out loads on first use. */
export type SnippetLensFactory = (
  context: SnippetLensContext,
) => Array<vscode.Command | LineLens> | Promise<Array<vscode.Command | LineLens>>;

function isLineLens(lens: vscode.Command | LineLens): lens is LineLens {
  return typeof (lens as LineLens).line === 'number' && typeof (lens as LineLens).command === 'object';
}

export class SnippetCodeLensProvider extends Disposable implements vscode.CodeLensProvider {
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly factories = new Map<Snippet['category'], SnippetLensFactory>();
  /** What each document's lenses showed when VS Code last asked, by document URI. */
  private readonly shown = new Map<string, string>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly commands = this._register(new LensCommands());

  constructor(
    private readonly index: RunbookIndex,
    private readonly activeProject: () => LinkedProject | undefined,
    signals: Array<vscode.Event<unknown>>,
  ) {
    super();
    for (const subscription of [
      index.onDidChange(() => this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      vscode.workspace.onDidCloseTextDocument((d) => this.shown.delete(d.uri.toString())),
      ...signals.map((s) => s(() => this.refresh())),
    ])
      this._register(subscription);
  }

  register(category: Snippet['category'], factory: SnippetLensFactory): void {
    this.factories.set(category, factory);
    this.refresh();
  }

  /** Asks for a redraw; bursts are coalesced, and nothing is redrawn when no open runbook's lenses would change. */
  refresh(): void {
    if (this.isDisposed) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.anyLensChanged().then(
        (changed) => {
          if (changed && !this.isDisposed) this.changed.fire();
        },
        () => undefined, // only when the model code cannot load, which the index reports: the lenses stay as drawn
      );
    }, 100);
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const lenses = await this.lensesFor(document);
    this.shown.set(document.uri.toString(), lensKey(lenses));
    return lenses;
  }

  private async anyLensChanged(): Promise<boolean> {
    // Before VS Code has asked for anything, nothing is drawn that could be stale.
    if (this.shown.size === 0) return this.factories.size > 0;
    const open = new Map(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => [d.uri.toString(), d]));
    let changed = false;
    for (const [uri, key] of this.shown) {
      const document = open.get(uri);
      if (!document) {
        this.shown.delete(uri);
        continue;
      }
      const now = lensKey(await this.lensesFor(document));
      // Taken as drawn: VS Code asks again for the visible editors now, and for the others when they are shown.
      if (now !== key) {
        changed = true;
        this.shown.set(uri, now);
      }
    }
    return changed;
  }

  private async lensesFor(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    // Only runbooks get lenses; other markdown files are left alone.
    if (!this.index.get(document.uri)) return [];
    const { runbook } = await this.index.modelFor(document);
    const project = this.activeProject();
    const lenses: vscode.CodeLens[] = [];
    for (const snippet of runbook.snippets) {
      const factory = this.factories.get(snippet.category);
      if (!factory) continue;
      const range = new vscode.Range(snippet.startLine, 0, snippet.startLine, 0);
      for (const lens of await factory({ uri: document.uri, snippet, project, trusted: vscode.workspace.isTrusted })) {
        if (isLineLens(lens))
          lenses.push(
            new vscode.CodeLens(new vscode.Range(lens.line, 0, lens.line, 0), this.commands.argumentFree(lens.command)),
          );
        else lenses.push(new vscode.CodeLens(range, this.commands.argumentFree(lens)));
      }
    }
    return lenses;
  }

  protected override onDispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
  }
}

/**
 * VS Code passes a lens's arguments through a cache that lives as long as the lens list they came in. It requests
 * lenses again by itself (when the editor gets focus, when a provider is registered), and a lens out of view keeps
 * the commands of an older list until it is scrolled into view and resolved again: a click on it in that moment finds
 * its arguments released and does nothing. A command without arguments is sent by its id and is never released, so
 * each distinct command-with-arguments a lens carries gets an argument-free command that runs it, kept for the
 * session (the oldest go first beyond a bound).
 */
class LensCommands extends Disposable {
  private static readonly KEPT = 2000;
  private readonly registered = new Map<string, { id: string; registration: vscode.Disposable }>();
  private counter = 0;

  argumentFree(command: vscode.Command): vscode.Command {
    if (!command.command || !command.arguments?.length) return command;
    const { command: target, arguments: args } = command;
    const key = JSON.stringify([target, args.map((a: unknown) => (a instanceof vscode.Uri ? a.toString() : a))]);
    let entry = this.registered.get(key);
    if (entry) {
      this.registered.delete(key);
    } else {
      const id = `runbook.lens.${++this.counter}`;
      entry = {
        id,
        registration: vscode.commands.registerCommand(id, () => vscode.commands.executeCommand(target, ...args)),
      };
      for (const [oldKey, old] of this.registered) {
        if (this.registered.size < LensCommands.KEPT) break;
        old.registration.dispose();
        this.registered.delete(oldKey);
      }
    }
    this.registered.set(key, entry);
    const { arguments: _dropped, ...rest } = command;
    return { ...rest, command: entry.id };
  }

  protected override onDispose(): void {
    for (const { registration } of this.registered.values()) registration.dispose();
    this.registered.clear();
  }
}

/** Everything a drawn lens shows or does, as one string (its command carries no arguments: see LensCommands). */
function lensKey(lenses: readonly vscode.CodeLens[]): string {
  return JSON.stringify(
    lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.tooltip, l.command?.command]),
  );
}

/**
 * The lens a snippet shows instead of Run in Restricted Mode; it opens the trust settings. A feature may say which
 * kind of snippet is held back (`{ title: 'SQL does not run in Restricted Mode', tooltip: … }`).
 */
export function restrictedModeLens(
  wording: { title: string; tooltip: string } = {
    title: 'Running is disabled in Restricted Mode',
    tooltip: 'Trust this workspace to run runbook snippets',
  },
): vscode.Command {
  return { title: `$(shield) ${wording.title}`, command: 'workbench.trust.manage', tooltip: wording.tooltip };
}
