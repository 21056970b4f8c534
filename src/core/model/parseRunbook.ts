// Builds the runbook model from markdown in one pass over markdown-it's tokens. Any input gives a
// model: malformed markdown becomes diagnostics, never an exception.
import MarkdownIt from 'markdown-it';
type Token = ReturnType<ReturnType<typeof MarkdownIt>['parse']>[number];
import type {
  Runbook, Section, Snippet, Table, ChecklistItem, Playbook, Part, ContentNode, ParseDiagnostic, RunbookMetadata, MermaidBlock,
} from './types';
import { SlugRegistry } from './slug';
import { inlineToPlainText } from './inlineText';
import { findPlaceholders } from './placeholders';
import { categoryOf, languageOf } from './languages';
import { snippetLabel } from './snippetLabel';
import { countRawCells } from './tableCells';
import { stripFrontMatter } from './frontMatter';
import { recogniseTables } from '../tables/recogniseTables';

/** The markdown-it configuration the model and the benchmark share. */
export function createMarkdownParser(): ReturnType<typeof MarkdownIt> {
  return new MarkdownIt({ html: true, linkify: false, typographer: false });
}

const md = createMarkdownParser();

const PLAYBOOK_TITLE = /^playbook\s*[:\-–—]\s*(.+)$/i;
const PART_LABEL = /^\*\*([^*]+?)\*\*\s*:?\s*$|^__([^_]+?)__\s*:?\s*$/;
const CHECKBOX_LINE = /^\s*(?:[-*]\s*)?([□☐☑✓✔✅]|\[[ xX]\])\s+(.*\S)\s*$/;
// A table-of-contents entry is navigation, not a step.
const NAVIGATION_ITEM = /^\[[^\]]*\]\(#[^)]*\)$/;
const TASK_ITEM = /^\[([ xX])\]\s+(.*)$/;

interface SectionFrame {
  section: Section;
  part?: Part;
}

export function parseRunbook(source: string): Runbook {
  const eol: '\n' | '\r\n' = source.includes('\r\n') ? '\r\n' : '\n';
  const front = stripFrontMatter(source);
  const text = front.text;
  const lines = text.split(/\r\n|\r|\n/);
  const lineCount = text.length === 0 ? 0 : lines.length;
  const diagnostics: ParseDiagnostic[] = [];

  let tokens: Token[];
  try {
    tokens = md.parse(text, {});
  } catch (error) {
    // markdown-it has no known throwing input; should one appear, an outline-less model beats a crash.
    tokens = [];
    diagnostics.push({ line: 0, code: 'unparsed-json', message: `Markdown could not be parsed: ${(error as Error).message}` });
  }

  const slugs = new SlugRegistry();
  const root: Section = { id: '', title: '', level: 0, line: 0, endLine: Math.max(0, lineCount - 1), children: [], items: [], parts: [] };
  const stack: SectionFrame[] = [{ section: root }];
  const snippets: Snippet[] = [];
  const tables: Table[] = [];
  const checklists: ChecklistItem[] = [];
  const mermaid: MermaidBlock[] = [];
  const playbooks: Playbook[] = [];
  const playbookSections = new Map<string, Section>();
  const ordinals = new Map<string, number>();
  const metadata: RunbookMetadata = { fields: { ...front.fields } };
  if (front.fields.title) metadata.title = front.fields.title;

  const top = () => stack[stack.length - 1];
  const addItem = (node: ContentNode) => {
    const frame = top();
    (frame.part ? frame.part.items : frame.section.items).push(node);
  };

  // List nesting: only the items of an outermost list become tree nodes.
  const lists: Array<{ ordered: boolean; next: number }> = [];
  let blockquoteDepth = 0;
  let firstH2Line = Infinity;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'heading_open': {
        const level = Number(token.tag.slice(1));
        const line = token.map?.[0] ?? 0;
        const inline = tokens[i + 1];
        const rawTitle = inline?.type === 'inline' ? inline.content : '';
        const title = inlineToPlainText(rawTitle);
        if (!title) diagnostics.push({ line, code: 'empty-heading', message: 'Heading without text' });
        if (level === 1 && metadata.title === undefined && title) {
          metadata.title = title;
          metadata.titleLine = line;
        }
        if (level === 2 && firstH2Line === Infinity) firstH2Line = line;
        if (lists.length > 0 || blockquoteDepth > 0) break;
        while (stack.length > 1 && top().section.level >= level) closeSection(stack.pop()!.section, line - 1);
        const parent = top().section;
        if (top().part) top().part!.endLine = line - 1;
        const section: Section = {
          id: slugs.unique(title || 'untitled'),
          title: title || '(untitled heading)',
          level,
          line,
          endLine: root.endLine,
          children: [],
          items: [],
          parts: [],
        };
        if (parent !== root) section.parentId = parent.id;
        parent.children.push(section);
        stack.push({ section });
        const pb = PLAYBOOK_TITLE.exec(title);
        if (pb) {
          const playbook: Playbook = { id: section.id, name: pb[1].trim(), sectionId: section.id, line, endLine: section.endLine };
          section.playbookId = playbook.id;
          playbooks.push(playbook);
          playbookSections.set(playbook.id, section);
        }
        break;
      }
      case 'paragraph_open': {
        if (lists.length > 0 || blockquoteDepth > 0) break;
        const inline = tokens[i + 1];
        const label = inline?.type === 'inline' ? PART_LABEL.exec(inline.content.trim()) : null;
        if (!label) break;
        const frame = top();
        if (frame.section === root) break;
        const line = token.map?.[0] ?? 0;
        if (frame.part) frame.part.endLine = line - 1;
        const part: Part = { label: (label[1] ?? label[2]).replace(/:\s*$/, '').trim(), line, endLine: frame.section.endLine, items: [] };
        frame.section.parts.push(part);
        frame.part = part;
        break;
      }
      case 'blockquote_open':
        blockquoteDepth++;
        break;
      case 'blockquote_close':
        blockquoteDepth--;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open': {
        if (lists.length !== 1 || blockquoteDepth > 0) break;
        const list = lists[0];
        const inline = findItemInline(tokens, i);
        const raw = inline?.content.split('\n', 1)[0] ?? '';
        const line = token.map?.[0] ?? 0;
        const endLine = (token.map?.[1] ?? line + 1) - 1;
        if (NAVIGATION_ITEM.test(raw.trim())) break;
        const task = TASK_ITEM.exec(raw);
        const sectionId = top().section.id;
        if (task) {
          const item: ChecklistItem = { text: inlineToPlainText(task[2]), checked: task[1] !== ' ', line, sectionId };
          checklists.push(item);
          addItem({ kind: 'checklist', item });
        } else if (list.ordered) {
          addItem({ kind: 'step', text: inlineToPlainText(raw) || `Step ${list.next}`, line, endLine, ordinal: list.next });
        } else if (top().part) {
          addItem({ kind: 'bullet', text: inlineToPlainText(raw), line, endLine });
        }
        if (list.ordered) list.next++;
        break;
      }
      case 'fence':
      case 'code_block': {
        const snippet = buildSnippet(token, snippets.length, top(), ordinals, lines, lineCount, diagnostics);
        snippets.push(snippet);
        const items = snippet.category === 'text' ? checklistLines(snippet, lines) : [];
        if (items.length > 0) {
          snippet.category = 'checklist';
          for (const item of items) {
            checklists.push(item);
            addItem({ kind: 'checklist', item });
          }
        } else {
          addItem({ kind: 'snippet', snippetIndex: snippet.index });
        }
        if (snippet.category === 'mermaid') {
          const first = snippet.body.trim().split(/\s/, 1)[0] ?? '';
          mermaid.push({ snippetIndex: snippet.index, line: snippet.startLine, diagramType: first });
        }
        break;
      }
      case 'table_open': {
        const table = collectTable(tokens, i, tables.length, top().section, lines);
        tables.push(table);
        addItem({ kind: 'table', tableIndex: table.index });
        break;
      }
      default:
        break;
    }
  }
  while (stack.length > 1) closeSection(stack.pop()!.section, root.endLine);

  readPreambleMetadata(lines, metadata, Math.min(firstH2Line, lineCount));
  for (const playbook of playbooks) {
    const section = playbookSections.get(playbook.id);
    if (!section) continue;
    playbook.endLine = section.endLine;
    for (const part of section.parts) {
      const key = part.label.toLowerCase();
      if (key.startsWith('symptom')) playbook.symptoms ??= part;
      else if (key.startsWith('diagnos')) playbook.diagnosis ??= part;
      else if (key.startsWith('mitigat') || key.startsWith('resolution') || key.startsWith('remediat')) playbook.mitigation ??= part;
    }
  }

  return {
    lineCount,
    eol,
    metadata,
    sections: unwrapTitleHeading(root.children),
    playbooks,
    snippets,
    tables,
    typed: recogniseTables(tables, snippets),
    checklists,
    mermaid,
    diagnostics,
  };
}

// A document with one H1 uses it as its title: its H2s are the runbook's top sections. The H1 stays when
// it holds content of its own, so nothing disappears from the tree.
function unwrapTitleHeading(sections: Section[]): Section[] {
  if (sections.length !== 1) return sections;
  const only = sections[0];
  if (only.level !== 1 || only.items.length > 0 || only.parts.length > 0 || only.children.length === 0) return sections;
  for (const child of only.children) delete child.parentId;
  return only.children;
}

function closeSection(section: Section, endLine: number): void {
  section.endLine = Math.max(section.line, endLine);
  const lastPart = section.parts[section.parts.length - 1];
  if (lastPart) lastPart.endLine = Math.max(lastPart.line, Math.min(lastPart.endLine, section.endLine));
  for (const part of section.parts) part.endLine = Math.min(part.endLine, section.endLine);
}

function findItemInline(tokens: Token[], start: number): Token | undefined {
  const level = tokens[start].level;
  for (let j = start + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.type === 'list_item_close' && t.level === level) return undefined;
    if (t.type === 'inline') return t;
    if (t.type === 'fence' || t.type === 'code_block') return undefined;
  }
  return undefined;
}

function buildSnippet(
  token: Token, index: number, frame: SectionFrame, ordinals: Map<string, number>, lines: string[], lineCount: number, diagnostics: ParseDiagnostic[],
): Snippet {
  const start = token.map?.[0] ?? 0;
  const mapEnd = (token.map?.[1] ?? start + 1) - 1;
  const isFence = token.type === 'fence';
  const body = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
  let closed = true;
  let endLine = mapEnd;
  if (isFence) {
    const closing = lines[mapEnd]?.trim() ?? '';
    closed = mapEnd > start && closing.startsWith(token.markup) && closing.replace(/[`~]/g, '').trim() === '';
    if (!closed) {
      endLine = Math.min(mapEnd, Math.max(0, lineCount - 1));
      diagnostics.push({ line: start, code: 'unclosed-fence', message: `Code fence opened here is never closed; it runs to line ${endLine + 1}` });
    }
  }
  const info = isFence ? token.info.trim() : '';
  const language = languageOf(info);
  const category = categoryOf(language);
  const section = frame.section;
  const ordinal = ordinals.get(section.id) ?? 0;
  ordinals.set(section.id, ordinal + 1);
  const bodyStartLine = isFence ? start + 1 : start;
  const snippet: Snippet = {
    id: `${section.id || 'preamble'}/${ordinal}`,
    index,
    kind: isFence ? 'fence' : 'indented',
    language,
    info,
    category,
    startLine: start,
    endLine,
    bodyStartLine,
    body,
    closed,
    label: snippetLabel(body, category, language),
    sectionId: section.id,
    placeholders: findPlaceholders(body, bodyStartLine),
  };
  if (section.playbookId) snippet.playbookId = section.playbookId;
  if (frame.part) snippet.partLabel = frame.part.label;
  return snippet;
}

function checklistLines(snippet: Snippet, lines: string[]): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const bodyLines = snippet.body.split('\n');
  let other = 0;
  for (let k = 0; k < bodyLines.length; k++) {
    const m = CHECKBOX_LINE.exec(bodyLines[k]);
    if (m) {
      const line = snippet.bodyStartLine + k;
      const checked = /[☑✓✔✅]|\[[xX]\]/.test(m[1]);
      items.push({ text: m[2], checked, line: lines[line] !== undefined ? line : snippet.bodyStartLine, sectionId: snippet.sectionId, snippetIndex: snippet.index });
    } else if (bodyLines[k].trim()) {
      other++;
    }
  }
  // A block is a checklist when its lines are checkboxes; one stray box in a diagram is not.
  return items.length > 0 && items.length >= other ? items : [];
}

function collectTable(tokens: Token[], start: number, index: number, section: Section, lines: string[]): Table {
  const open = tokens[start];
  const line = open.map?.[0] ?? 0;
  const endLine = (open.map?.[1] ?? line + 1) - 1;
  const header: string[] = [];
  const rows: Table['rows'] = [];
  let inHead = false;
  let current: string[] | undefined;
  let currentLine = 0;
  for (let j = start + 1; j < tokens.length; j++) {
    const t = tokens[j];
    if (t.type === 'table_close') break;
    if (t.type === 'thead_open') inHead = true;
    else if (t.type === 'thead_close') inHead = false;
    else if (t.type === 'tr_open') {
      current = [];
      currentLine = t.map?.[0] ?? line;
    } else if (t.type === 'inline' && current) current.push(t.content.trim());
    else if (t.type === 'tr_close' && current) {
      if (inHead) header.push(...current);
      else rows.push({ cells: current, rawCellCount: countRawCells(lines[currentLine] ?? ''), line: currentLine });
      current = undefined;
    }
  }
  return { index, line, endLine, header, rows, sectionId: section.id, title: section.title };
}

const META_FIELD = /^\s*>?\s*\*\*([^*]+?)\*\*\s*:\s*(.*?)\s*$/;

function readPreambleMetadata(lines: string[], metadata: RunbookMetadata, until: number): void {
  const limit = Math.min(until, lines.length, 200);
  for (let i = 0; i < limit; i++) {
    const m = META_FIELD.exec(lines[i]);
    if (!m || !m[2]) continue;
    const key = m[1].trim();
    const value = inlineToPlainText(m[2]);
    metadata.fields[key] = value;
    const k = key.toLowerCase();
    if (k === 'last updated') metadata.lastUpdated = value;
    else if (k === 'owner') metadata.owner = value;
    else if (k === 'on-call escalation' || k === 'on call escalation' || k === 'escalation') metadata.onCallEscalation = value;
  }
  const f = metadata.fields;
  metadata.owner ??= f.owner;
  metadata.lastUpdated ??= f.last_updated ?? f.lastUpdated ?? f.updated;
}

export function findSection(sections: readonly Section[], id: string): Section | undefined {
  for (const s of sections) {
    if (s.id === id) return s;
    const inner = findSection(s.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Every section, depth first, in document order. */
export function allSections(sections: readonly Section[]): Section[] {
  const out: Section[] = [];
  const walk = (list: readonly Section[]) => { for (const s of list) { out.push(s); walk(s.children); } };
  walk(sections);
  return out;
}
