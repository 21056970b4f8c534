// Snippet commands are invoked from a CodeLens (uri, index) or from a tree node; both resolve here.
import * as vscode from 'vscode';
import type { PlaybookTreeNode } from '../tree/treeNodes';
import type { RunbookIndex } from '../runbooks/runbookIndex';
import type { Snippet, Runbook } from '../../core/model/types';

export interface SnippetTarget {
  uri: vscode.Uri;
  document: vscode.TextDocument;
  runbook: Runbook;
  snippet: Snippet;
}

export async function resolveSnippetTarget(index: RunbookIndex, args: unknown[]): Promise<SnippetTarget | undefined> {
  let uri: vscode.Uri | undefined;
  let snippetIndex: number | undefined;
  const [first, second] = args;
  if (first instanceof vscode.Uri && typeof second === 'number') {
    uri = first;
    snippetIndex = second;
  } else if (first && typeof first === 'object' && (first as PlaybookTreeNode).type === 'content') {
    const node = first as PlaybookTreeNode & { type: 'content' };
    if (node.content.kind === 'snippet') {
      uri = node.entry.uri;
      snippetIndex = node.content.snippetIndex;
    }
  } else {
    // From the command palette: the snippet under the cursor.
    const editor = vscode.window.activeTextEditor;
    if (editor && editor.document.languageId === 'markdown') {
      const { runbook } = await index.currentModel(editor.document);
      const line = editor.selection.active.line;
      const found = runbook.snippets.find((s) => line >= s.startLine && line <= s.endLine);
      if (found) {
        uri = editor.document.uri;
        snippetIndex = found.index;
      }
    }
  }
  if (!uri || snippetIndex === undefined) {
    void vscode.window.showInformationMessage(
      'Put the cursor in a code block of a runbook, or use the Run lens above it.',
    );
    return undefined;
  }
  const document = await vscode.workspace.openTextDocument(uri);
  // What runs is read from the text as it is now, even while a large runbook's worker is still parsing an edit.
  const { runbook } = await index.currentModel(document);
  const snippet = runbook.snippets[snippetIndex];
  if (!snippet) {
    void vscode.window.showWarningMessage(
      'That code block is no longer in the runbook; it was edited since the lens was shown.',
    );
    return undefined;
  }
  return { uri, document, runbook, snippet };
}
