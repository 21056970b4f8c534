// The nodes of the Playbooks tree: plain references into a runbook model, turned into TreeItems lazily.
import type { Section, Part, ContentNode, Snippet } from '../../core/model/types';
import type { IndexedRunbook } from '../runbooks/runbookIndex';

export type PlaybookTreeNode =
  | { type: 'runbook'; entry: IndexedRunbook }
  | { type: 'section'; entry: IndexedRunbook; section: Section }
  | { type: 'part'; entry: IndexedRunbook; section: Section; part: Part }
  | { type: 'content'; entry: IndexedRunbook; section: Section; content: ContentNode };

export function nodeLine(node: PlaybookTreeNode): number {
  switch (node.type) {
    case 'runbook':
      return node.entry.runbook.metadata.titleLine ?? 0;
    case 'section':
      return node.section.line;
    case 'part':
      return node.part.line;
    case 'content':
      return contentLine(node.entry, node.content);
  }
}

/** The snippet a node stands for, if it is a snippet node. */
export function snippetOf(node: PlaybookTreeNode): Snippet | undefined {
  return node.type === 'content' && node.content.kind === 'snippet'
    ? node.entry.runbook.snippets[node.content.snippetIndex]
    : undefined;
}

function contentLine(entry: IndexedRunbook, content: ContentNode): number {
  switch (content.kind) {
    case 'snippet':
      return entry.runbook.snippets[content.snippetIndex].startLine;
    case 'checklist':
      return content.item.line;
    case 'table':
      return entry.runbook.tables[content.tableIndex].line;
    default:
      return content.line;
  }
}

/** Items of a list nested in a step, bullet or checklist item. */
export function contentChildren(content: ContentNode): readonly ContentNode[] {
  return content.kind === 'step' || content.kind === 'bullet' || content.kind === 'checklist'
    ? (content.children ?? [])
    : [];
}

/** The content node that holds `target` among its children, searching `items` and what they nest. */
export function contentParent(items: readonly ContentNode[], target: ContentNode): ContentNode | undefined {
  for (const item of items) {
    const children = contentChildren(item);
    if (children.includes(target)) return item;
    const inner = contentParent(children, target);
    if (inner) return inner;
  }
  return undefined;
}
