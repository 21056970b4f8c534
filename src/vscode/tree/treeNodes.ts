// The nodes of the Playbooks tree: plain references into a runbook model, turned into TreeItems lazily.
import type * as vscode from 'vscode';
import type { Section, Part, ContentNode, Snippet } from '../../core/model/types';
import type { IndexedRunbook } from '../runbooks/runbookIndex';

export type PlaybookTreeNode =
  | { type: 'runbook'; entry: IndexedRunbook }
  | { type: 'section'; entry: IndexedRunbook; section: Section }
  | { type: 'part'; entry: IndexedRunbook; section: Section; part: Part }
  | { type: 'content'; entry: IndexedRunbook; section: Section; content: ContentNode };

export function nodeLine(node: PlaybookTreeNode): number {
  switch (node.type) {
    case 'runbook': return node.entry.runbook.metadata.titleLine ?? 0;
    case 'section': return node.section.line;
    case 'part': return node.part.line;
    case 'content': return contentLine(node.entry, node.content);
  }
}

export function contentLine(entry: IndexedRunbook, content: ContentNode): number {
  switch (content.kind) {
    case 'snippet': return entry.runbook.snippets[content.snippetIndex].startLine;
    case 'checklist': return content.item.line;
    case 'table': return entry.runbook.tables[content.tableIndex].line;
    default: return content.line;
  }
}

export function snippetOf(node: PlaybookTreeNode): Snippet | undefined {
  return node.type === 'content' && node.content.kind === 'snippet' ? node.entry.runbook.snippets[node.content.snippetIndex] : undefined;
}

export function nodeUri(node: PlaybookTreeNode): vscode.Uri {
  return node.entry.uri;
}
