// What the extension exports from activate(): used by the integration tests and by other extensions.
import type * as vscode from 'vscode';
import type { RunbookIndex } from './runbooks/runbookIndex';
import type { PlaybookTreeProvider } from './tree/playbookTreeProvider';
import type { PlaybookTreeNode } from './tree/treeNodes';

export interface RunbookCompanionApi {
  readonly index: RunbookIndex;
  readonly tree: PlaybookTreeProvider;
  readonly treeView: vscode.TreeView<PlaybookTreeNode>;
  /** Milliseconds activate() took. */
  readonly activationMs: number;
}
