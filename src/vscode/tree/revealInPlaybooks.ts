// Reveals and selects a node of the Playbooks view from a command (the health panel's playbook link). VS Code loses a
// reveal that reaches the view before it has drawn: it answers "Data tree node not found" and leaves the runbooks,
// which open by themselves, expanded and empty. So a hidden view is shown first and the reveal waits until VS Code
// has asked for the roots and for the target runbook's children; a reveal that still does not land is asked again.
import * as vscode from 'vscode';
import type { PlaybookTreeProvider } from './playbookTreeProvider';
import type { PlaybookTreeNode } from './treeNodes';

/** The longest wait for the view to draw (a runbook the user collapsed is never asked for), or for one reveal to show. */
const DRAW_WAIT_MS = 1500;
const SELECTION_WAIT_MS = 1500;
const ATTEMPTS = 3;

export async function revealInPlaybooks(
  view: vscode.TreeView<PlaybookTreeNode>,
  tree: PlaybookTreeProvider,
  node: PlaybookTreeNode,
  isNode: (candidate: PlaybookTreeNode) => boolean,
): Promise<boolean> {
  if (!view.visible) {
    const drawn = whenDrawn(tree, node);
    await vscode.commands.executeCommand('workbench.view.extension.runbook');
    await drawn;
  }
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const selected = whenSelected(view, isNode);
    try {
      await view.reveal(node, { select: true, focus: false, expand: true });
    } catch (error) {
      selected.cancel();
      if (attempt === ATTEMPTS) throw error;
      await whenDrawn(tree, node);
      continue;
    }
    if (view.selection.some(isNode) || (await selected.done)) return true;
  }
  return false;
}

/** Resolves once VS Code has asked for the roots and the children of the node's runbook, or after DRAW_WAIT_MS. */
function whenDrawn(tree: PlaybookTreeProvider, node: PlaybookTreeNode): Promise<void> {
  const waiting = new Set(['', node.entry.uri.toString()]);
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      listener.dispose();
      resolve();
    };
    const timer = setTimeout(finish, DRAW_WAIT_MS);
    const listener = tree.onDidServeChildren((node) => {
      if (!node) waiting.delete('');
      else if (node.type === 'runbook') waiting.delete(node.entry.uri.toString());
      if (waiting.size === 0) finish();
    });
  });
}

function whenSelected(
  view: vscode.TreeView<PlaybookTreeNode>,
  isNode: (candidate: PlaybookTreeNode) => boolean,
): { done: Promise<boolean>; cancel: () => void } {
  let cancel = () => {};
  const done = new Promise<boolean>((resolve) => {
    const finish = (landed: boolean) => {
      clearTimeout(timer);
      listener.dispose();
      resolve(landed);
    };
    const timer = setTimeout(() => finish(false), SELECTION_WAIT_MS);
    const listener = view.onDidChangeSelection(({ selection }) => {
      if (selection.some(isNode)) finish(true);
    });
    cancel = () => finish(false);
  });
  return { done, cancel };
}
