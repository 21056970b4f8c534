// The "Playbooks" tree: runbooks, their sections, playbook parts, snippets, steps and checklist items.
import * as vscode from 'vscode';
import type { Section, ContentNode, Snippet, Part } from '../../core/model/types';
import type { RunbookIndex, IndexedRunbook } from '../runbooks/runbookIndex';
import { type PlaybookTreeNode, nodeLine, contentChildren, contentParent } from './treeNodes';
import { placeholderAsWritten } from '../../core/model/placeholders';
import { findPartHolder, findSection } from '../../core/model/sections';
import { Disposable } from '../../core/lifecycle/disposable';
import { COMMANDS } from '../commands/commandIds';

const HIDDEN_SECTIONS = /^(table of contents|contents|toc)$/i;

export class PlaybookTreeProvider extends Disposable implements vscode.TreeDataProvider<PlaybookTreeNode> {
  private readonly changed = this._register(new vscode.EventEmitter<PlaybookTreeNode | undefined>());
  readonly onDidChangeTreeData = this.changed.event;
  private readonly served = this._register(new vscode.EventEmitter<PlaybookTreeNode | undefined>());
  /** VS Code asked for a node's children (undefined: the roots): the view is drawing them. */
  readonly onDidServeChildren = this.served.event;

  constructor(private readonly index: RunbookIndex) {
    super();
    this._register(index.onDidChange(() => this.changed.fire(undefined)));
  }

  getChildren(element?: PlaybookTreeNode): PlaybookTreeNode[] {
    const children = this.childrenOf(element);
    // After the answer is returned, so that a listener sees VS Code holding these children.
    queueMicrotask(() => this.served.fire(element));
    return children;
  }

  private childrenOf(element?: PlaybookTreeNode): PlaybookTreeNode[] {
    if (!element) {
      return this.index.all.map((entry) => ({ type: 'runbook', entry }));
    }
    switch (element.type) {
      case 'runbook':
        return this.sectionNodes(element.entry, element.entry.runbook.sections);
      case 'section': {
        const { entry, section } = element;
        return [
          ...section.items.map((content): PlaybookTreeNode => ({ type: 'content', entry, section, content })),
          ...section.parts.map((part): PlaybookTreeNode => ({ type: 'part', entry, section, part })),
          ...this.sectionNodes(entry, section.children),
        ];
      }
      case 'part':
        return [
          ...element.part.items.map((content): PlaybookTreeNode => ({
            type: 'content',
            entry: element.entry,
            section: element.section,
            content,
          })),
          ...this.sectionNodes(element.entry, element.part.sections ?? []),
        ];
      case 'content':
        return contentChildren(element.content).map((content) => ({
          type: 'content',
          entry: element.entry,
          section: element.section,
          content,
        }));
    }
  }

  getParent(element: PlaybookTreeNode): PlaybookTreeNode | undefined {
    switch (element.type) {
      case 'runbook':
        return undefined;
      case 'section':
        return this.sectionParent(element.entry, element.section);
      case 'part':
        return { type: 'section', entry: element.entry, section: element.section };
      case 'content': {
        const { entry, section, content } = element;
        const holder = contentParent([...section.items, ...section.parts.flatMap((p) => p.items)], content);
        if (holder) return { type: 'content', entry, section, content: holder };
        // contentParent has already looked below every item, so only a part's own items are left.
        const part = section.parts.find((p) => p.items.includes(content));
        if (part) return { type: 'part', entry, section, part };
        return { type: 'section', entry, section };
      }
    }
  }

  getTreeItem(node: PlaybookTreeNode): vscode.TreeItem {
    const item = this.describe(node);
    item.id = nodeId(node);
    item.command = { command: COMMANDS.revealLine, title: 'Open at Line', arguments: [node.entry.uri, nodeLine(node)] };
    if (!item.tooltip) item.tooltip = `${vscode.workspace.asRelativePath(node.entry.uri)}:${nodeLine(node) + 1}`;
    // Screen readers hear the label and what kind of node it is, not the tooltip.
    const text = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    item.accessibilityInformation = {
      label: [text, typeof item.description === 'string' ? item.description : ''].filter(Boolean).join(', '),
    };
    return item;
  }

  private describe(node: PlaybookTreeNode): vscode.TreeItem {
    const Collapsed = vscode.TreeItemCollapsibleState.Collapsed;
    const Expanded = vscode.TreeItemCollapsibleState.Expanded;
    const None = vscode.TreeItemCollapsibleState.None;
    switch (node.type) {
      case 'runbook': {
        const r = node.entry.runbook;
        const item = new vscode.TreeItem(r.metadata.title ?? baseName(node.entry.uri), Expanded);
        item.description = node.entry.isSample ? 'sample' : vscode.workspace.asRelativePath(node.entry.uri);
        item.iconPath = new vscode.ThemeIcon('book');
        item.contextValue = 'runbook';
        item.tooltip = new vscode.MarkdownString(
          [
            `**${r.metadata.title ?? baseName(node.entry.uri)}**`,
            r.metadata.lastUpdated ? `Last updated: ${r.metadata.lastUpdated}` : '',
            r.metadata.owner ? `Owner: ${r.metadata.owner}` : '',
            r.metadata.onCallEscalation ? `On-call escalation: ${r.metadata.onCallEscalation}` : '',
            `${r.playbooks.length} playbooks · ${r.snippets.length} snippets`,
          ]
            .filter(Boolean)
            .join('  \n'),
        );
        return item;
      }
      case 'section': {
        const s = node.section;
        const hasChildren = s.items.length + s.parts.length + s.children.length > 0;
        const playbook = s.playbookId ? node.entry.runbook.playbooks.find((p) => p.id === s.playbookId) : undefined;
        // On first open the playbooks are in view: every section that holds one is open (VS Code keeps what the
        // user opens or closes afterwards), while each playbook waits for its click.
        const state = !hasChildren ? None : !playbook && holdsPlaybook(s) ? Expanded : Collapsed;
        // The name alone, so it fits the sidebar; the flame says it is a playbook, the tooltip says the rest.
        const item = new vscode.TreeItem(playbook ? playbook.name : s.title, state);
        item.iconPath = new vscode.ThemeIcon(playbook ? 'flame' : s.level <= 2 ? 'symbol-namespace' : 'symbol-field');
        item.contextValue = playbook ? 'playbook' : 'section';
        if (playbook) item.tooltip = playbookTooltip(node.entry, playbook.name, s);
        return item;
      }
      case 'part': {
        const hasChildren = node.part.items.length + (node.part.sections?.length ?? 0) > 0;
        const item = new vscode.TreeItem(node.part.label, hasChildren ? Expanded : None);
        item.iconPath = new vscode.ThemeIcon(partIcon(node.part));
        item.contextValue = 'part';
        if (node.part.text) item.description = node.part.text;
        return item;
      }
      case 'content':
        return this.describeContent(node.entry, node.content);
    }
  }

  private describeContent(entry: IndexedRunbook, content: ContentNode): vscode.TreeItem {
    const item = this.describeContentItem(entry, content);
    const children = contentChildren(content);
    if (children.length > 0) {
      // A checklist's sub-items are part of the list to tick, and a step's own command is run from the step: both
      // open. Other details of a step open on demand.
      const open = content.kind === 'checklist' || children.some((c) => c.kind === 'snippet');
      item.collapsibleState = open
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    }
    return item;
  }

  private describeContentItem(entry: IndexedRunbook, content: ContentNode): vscode.TreeItem {
    const None = vscode.TreeItemCollapsibleState.None;
    switch (content.kind) {
      case 'snippet': {
        const s = entry.runbook.snippets[content.snippetIndex];
        const item = new vscode.TreeItem(s.label, None);
        item.description = s.language || 'text';
        item.iconPath = new vscode.ThemeIcon(snippetIcon(s));
        item.contextValue = `snippet.${s.category}`;
        item.tooltip = snippetTooltip(s);
        return item;
      }
      case 'checklist': {
        const item = new vscode.TreeItem(content.item.text, None);
        item.iconPath = new vscode.ThemeIcon(content.item.checked ? 'pass-filled' : 'circle-large-outline');
        item.contextValue = 'checklistItem';
        return item;
      }
      case 'step': {
        const item = new vscode.TreeItem(`${content.ordinal ?? ''}. ${content.text}`.replace(/^\. /, ''), None);
        item.iconPath = new vscode.ThemeIcon('debug-step-over');
        item.contextValue = 'step';
        // A long step is cut at the sidebar's edge: the tooltip has all of it.
        item.tooltip = `${content.text}\n${vscode.workspace.asRelativePath(entry.uri)}:${content.line + 1}`;
        return item;
      }
      case 'bullet': {
        const item = new vscode.TreeItem(content.text, None);
        item.iconPath = new vscode.ThemeIcon('circle-small-filled');
        item.contextValue = 'bullet';
        item.tooltip = `${content.text}\n${vscode.workspace.asRelativePath(entry.uri)}:${content.line + 1}`;
        return item;
      }
      case 'table': {
        const t = entry.runbook.tables[content.tableIndex];
        const item = new vscode.TreeItem(t.header.join(' · '), None);
        item.description = `${t.rows.length} rows`;
        item.iconPath = new vscode.ThemeIcon('table');
        item.contextValue = 'table';
        return item;
      }
    }
  }

  private sectionNodes(entry: IndexedRunbook, sections: readonly Section[]): PlaybookTreeNode[] {
    return sections
      .filter(
        (section) =>
          !(
            HIDDEN_SECTIONS.test(section.title) &&
            section.items.every((i) => i.kind !== 'snippet') &&
            section.children.length === 0
          ),
      )
      .map((section) => ({ type: 'section', entry, section }));
  }

  private sectionParent(entry: IndexedRunbook, section: Section): PlaybookTreeNode | undefined {
    if (!section.parentId) return { type: 'runbook', entry };
    const parent = findSection(entry.runbook.sections, section.parentId);
    if (parent) return { type: 'section', entry, section: parent };
    // A heading under a playbook's part (`### Rebuild the replica` under `## Mitigation`) belongs to that part.
    const holder = findPartHolder(entry.runbook.sections, section.parentId);
    return holder ? { type: 'part', entry, section: holder.section, part: holder.part } : undefined;
  }
}

function holdsPlaybook(section: Section): boolean {
  return section.children.some((child) => child.playbookId !== undefined || holdsPlaybook(child));
}

function playbookTooltip(entry: IndexedRunbook, name: string, section: Section): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`$(flame) **${escapeMarkdown(name)}**  \n`);
  const parts = section.parts.map((p) => p.label).filter(Boolean);
  if (parts.length) md.appendMarkdown(`${parts.map(escapeMarkdown).join(' · ')}  \n`);
  md.appendMarkdown(`${escapeMarkdown(vscode.workspace.asRelativePath(entry.uri))}:${section.line + 1}`);
  md.supportThemeIcons = true;
  return md;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}

function nodeId(node: PlaybookTreeNode): string {
  const base = node.entry.uri.toString();
  switch (node.type) {
    case 'runbook':
      return base;
    case 'section':
      return `${base}#${node.section.id}`;
    // By line: a playbook may have two parts with one label (a **Diagnosis:** label and a #### Diagnosis heading).
    case 'part':
      return `${base}#${node.section.id}/part:${node.part.line}`;
    case 'content': {
      const c = node.content;
      const key =
        c.kind === 'snippet'
          ? `snippet:${node.entry.runbook.snippets[c.snippetIndex].id}`
          : c.kind === 'table'
            ? `table:${c.tableIndex}`
            : c.kind === 'checklist'
              ? `check:${c.item.line}`
              : `${c.kind}:${c.line}`;
      return `${base}#${node.section.id}/${key}`;
    }
  }
}

function partIcon(part: Part): string {
  switch (part.role) {
    case 'symptoms':
      return 'pulse';
    case 'diagnosis':
      return 'search';
    case 'mitigation':
      return 'tools';
    default:
      return 'list-unordered';
  }
}

function snippetIcon(s: Snippet): string {
  switch (s.category) {
    case 'sql':
      return 'database';
    case 'shell':
      return 'terminal';
    case 'query':
      return 'graph-line';
    case 'mermaid':
      return 'type-hierarchy';
    case 'data':
      return 'json';
    case 'checklist':
      return 'checklist';
    case 'text':
      return 'note';
    default:
      return 'code';
  }
}

function snippetTooltip(s: Snippet): vscode.MarkdownString {
  // The block as written (a transcript with its output), not what the runner gets.
  const lines = s.source.split('\n');
  const md = new vscode.MarkdownString();
  md.appendCodeblock(lines.slice(0, 12).join('\n') + (lines.length > 12 ? '\n…' : ''), s.language || 'text');
  if (s.category === 'query') md.appendMarkdown('\nA query for another system: copy it, it does not run here.');
  if (s.transcript)
    md.appendMarkdown(
      `\nA ${s.transcript === 'psql' ? 'psql' : 'terminal'} session: only its commands run, never its output.`,
    );
  if (s.placeholders.length)
    md.appendMarkdown(
      `\nPlaceholders: ${[...new Set(s.placeholders.map((p) => `\`${placeholderAsWritten(p)}\``))].join(', ')}`,
    );
  return md;
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? uri.path;
}
