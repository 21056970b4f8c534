// The Playbooks tree as the view shows it: the tree provider's items, with shell snippet nodes told apart so that
// their menus offer only what applies: `snippet.shell.single` (one command), `snippet.shell.multi` (several: Line by
// Line), `snippet.shell.prose` (steps for a person only: the checklist, no Run), `snippet.shell.output` (a transcript
// without prompts), `.steps` when a runnable block also has steps, and `.running` while a run can be stopped.
import * as vscode from 'vscode';
import type { PlaybookTreeProvider } from '../tree/playbookTreeProvider';
import { snippetOf, type PlaybookTreeNode } from '../tree/treeNodes';
import { canStop, type ShellRunStates } from './shellRunStates';
import { loadShellSnippetOffers } from './loadShellSnippetOffers';
import { Disposable } from '../../core/lifecycle/disposable';

export class ShellTreeContext extends Disposable implements vscode.TreeDataProvider<PlaybookTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<PlaybookTreeNode | undefined | void>());
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly tree: PlaybookTreeProvider,
    private readonly runs: ShellRunStates,
  ) {
    super();
    let running = this.runningKey();
    this._register(tree.onDidChangeTreeData((node) => this.changed.fire(node)));
    // Only a run starting or ending changes what a node offers.
    this._register(
      runs.onDidChange(() => {
        const now = this.runningKey();
        if (now !== running) {
          running = now;
          this.changed.fire();
        }
      }),
    );
  }

  getTreeItem(node: PlaybookTreeNode): vscode.TreeItem | Promise<vscode.TreeItem> {
    const item = this.tree.getTreeItem(node);
    const snippet = snippetOf(node);
    if (snippet?.category !== 'shell') return item;
    // Which commands the block holds decides its menu; that reading loads with the first shell snippet shown.
    return loadShellSnippetOffers().then(({ shellContextValue }) => {
      const state = this.runs.get(node.entry.uri, snippet.id);
      const running = state !== undefined && canStop(state);
      item.contextValue = shellContextValue(snippet) + (running ? '.running' : '');
      return item;
    });
  }

  private runningKey(): string {
    return this.runs.stoppableKeys().join('\n');
  }

  getChildren(node?: PlaybookTreeNode): PlaybookTreeNode[] {
    return this.tree.getChildren(node);
  }

  getParent(node: PlaybookTreeNode): PlaybookTreeNode | undefined {
    return this.tree.getParent(node);
  }
}
