// Builds the runbook model from markdown in one pass over markdown-it's block tokens. Any input gives a
// model: malformed markdown becomes diagnostics, never an exception.
import type {
  Runbook,
  Section,
  Snippet,
  Table,
  ChecklistItem,
  Part,
  ContentNode,
  ParseDiagnostic,
  RunbookMetadata,
  MermaidBlock,
  ListItemNode,
  ChecklistNode,
} from './types';
import { createBlockParser, type Token } from './markdownParser';
import { SlugRegistry } from './slug';
import { inlineToPlainText } from '../markdown/inlineText';
import { headingText } from '../markdown/headingText';
import { languageOf } from './languages';
import { snippetLabel, HAS_WORD } from './snippetLabel';
import { countRawCells } from './tableCells';
import { stripFrontMatter } from './frontMatter';
import { stripQuoteMarkers } from './quoteMarkers';
import { isClosingFence } from './closingFence';
import { readCheckbox } from './checkboxes';
import { readBoldLabel, partRole, isActionLabel, isInlinePartLabel } from './partLabels';
import { readSnippetText, rememberTranscript, finishRunnableText } from './snippetText';
import { recognisePlaybooks } from './playbookShapes';
import { recogniseTables } from '../tables/recogniseTables';

const parser = createBlockParser();
// A table-of-contents entry is navigation, not a step.
const NAVIGATION_ITEM = /^\[[^\]]*\]\(#[^)]*\)$/;
const HTML_COMMENT = /^\s*<!--\s*([\s\S]*?)\s*-->\s*$/;
const MAX_INTRO = 100;

interface SectionFrame {
  section: Section;
  part?: Part;
}

export function parseRunbook(source: string): Runbook {
  const eol: '\n' | '\r\n' = source.includes('\r\n') ? '\r\n' : '\n';
  const front = stripFrontMatter(source);
  const text = front.text;
  const lines = text.includes('\r') ? text.split(/\r\n|\r|\n/) : text.split('\n');
  // "a\n" is one line: the final line break ends it rather than starting an empty one.
  const lineCount = text.length === 0 ? 0 : lines[lines.length - 1] === '' ? lines.length - 1 : lines.length;
  const lastLine = Math.max(0, lineCount - 1);
  const diagnostics: ParseDiagnostic[] = [];

  let tokens: Token[];
  try {
    tokens = parser.parse(text, {});
  } catch (error) {
    // markdown-it has no known throwing input; should one appear, an outline-less model beats a crash.
    tokens = [];
    diagnostics.push({
      line: 0,
      code: 'markdown-error',
      message: `Markdown could not be parsed: ${(error as Error).message}`,
    });
  }

  const slugs = new SlugRegistry();
  const root: Section = { id: '', title: '', level: 0, line: 0, endLine: lastLine, children: [], items: [], parts: [] };
  const stack: SectionFrame[] = [{ section: root }];
  const snippets: Snippet[] = [];
  const tables: Table[] = [];
  const checklists: ChecklistItem[] = [];
  const mermaid: MermaidBlock[] = [];
  const ordinals = new Map<string, number>();
  const metadata: RunbookMetadata = { fields: { ...front.fields } };
  if (front.fields.title) {
    metadata.title = inlineToPlainText(front.fields.title);
    if (front.titleLine !== undefined) metadata.titleLine = front.titleLine;
  }
  let hasH1 = false;

  const top = () => stack[stack.length - 1];
  // Code, tables and checklists inside a list item belong to that item (a step's command, a sub-step's query).
  const addItem = (node: ContentNode) => {
    const item = lists.length > 0 ? nearestItem() : undefined;
    if (item) {
      (item.children ??= []).push(node);
      return;
    }
    const frame = top();
    (frame.part ? frame.part.items : frame.section.items).push(node);
  };
  const addChecklistItem = (item: ChecklistItem): ChecklistNode => {
    checklists.push(item);
    return { kind: 'checklist', item };
  };

  const lists: Array<{ ordered: boolean; next: number }> = [];
  // One entry per open list item: the node it became, or undefined when it is not shown (navigation, quotes).
  const openItems: Array<ListItemNode | ChecklistNode | undefined> = [];
  const nearestItem = () => {
    for (let k = openItems.length - 1; k >= 0; k--) if (openItems[k]) return openItems[k];
    return undefined;
  };
  let quoteDepth = 0;
  let firstH2Line = Infinity;

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    switch (token.type) {
      case 'heading_open': {
        const level = token.tag.charCodeAt(1) - 48;
        const line = token.map?.[0] ?? 0;
        const inline = tokens[i + 1];
        const title = headingText(inline?.type === 'inline' ? inline.content : '');
        if (!title) diagnostics.push({ line, code: 'empty-heading', message: 'Heading without text' });
        if (level === 1 && title) {
          hasH1 = true;
          if (metadata.title === undefined) {
            metadata.title = title;
            metadata.titleLine = line;
          }
        }
        if (level === 2 && firstH2Line === Infinity) firstH2Line = line;
        if (lists.length > 0 || quoteDepth > 0) break;
        while (stack.length > 1 && top().section.level >= level) closeSection(stack.pop()!.section, line - 1);
        const frame = top();
        const id = slugs.unique(title || 'untitled');
        if (frame.part) {
          frame.part.endLine = line - 1;
          frame.part = undefined;
        }
        const section: Section = {
          id,
          title: title || '(untitled heading)',
          level,
          line,
          endLine: root.endLine,
          children: [],
          items: [],
          parts: [],
        };
        if (frame.section !== root) section.parentId = frame.section.id;
        frame.section.children.push(section);
        stack.push({ section });
        break;
      }
      case 'paragraph_open': {
        // A list item's own text is read with the item.
        if (lists.length > 0) break;
        const inline = tokens[i + 1];
        if (inline?.type !== 'inline') break;
        readParagraph(inline.content, token.map?.[0] ?? 0);
        break;
      }
      case 'blockquote_open':
        quoteDepth++;
        break;
      case 'blockquote_close':
        quoteDepth--;
        break;
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: token.type === 'ordered_list_open', next: Number(token.attrGet('start') ?? 1) });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        break;
      case 'list_item_open':
        openItems.push(readListItem(token, i));
        break;
      case 'list_item_close':
        openItems.pop();
        break;
      case 'fence':
      case 'code_block': {
        const intro = lists.length === 0 ? introductionAbove(tokens, i) : undefined;
        const snippet = buildSnippet(
          token,
          snippets.length,
          top(),
          ordinals,
          lines,
          lastLine,
          quoteDepth,
          intro,
          diagnostics,
        );
        snippets.push(snippet);
        const items = snippet.category === 'text' ? checklistLines(snippet) : [];
        if (items.length > 0) {
          snippet.category = 'checklist';
          for (const item of items) addItem(addChecklistItem(item));
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
        const table = collectTable(tokens, i, tables.length, top().section, lines, quoteDepth);
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
  const playbooks = recognisePlaybooks(root, snippets, lines, {
    slugs,
    ...(hasH1 || metadata.title === undefined
      ? {}
      : { documentTitle: metadata.title, titleLine: metadata.titleLine ?? 0 }),
  });
  finishRunnableText(snippets);

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

  // A paragraph may open parts (`**Diagnosis:** …`, also one per line: writers put `**Symptoms:** …` and
  // `**Diagnosis:** …` on consecutive lines, which markdown joins) and may hold checklist lines (`□ Tests pass`).
  function readParagraph(content: string, line: number): void {
    const frame = top();
    const paragraphLines = content.split('\n');
    const mayOpenParts = quoteDepth === 0 && frame.section !== root;
    let text: string[] = [];
    // Plain text once per flush, appended: never the part's whole text again for each line.
    const flushText = () => {
      if (frame.part && text.length) {
        const plain = inlineToPlainText(text.join(' '));
        if (plain) frame.part.text = frame.part.text ? `${frame.part.text} ${plain}` : plain;
      }
      text = [];
    };
    for (let k = 0; k < paragraphLines.length; k++) {
      const raw = paragraphLines[k];
      const label = mayOpenParts ? readBoldLabel(raw) : undefined;
      // A bold paragraph of its own is a label ("**Prepare Green Environment**"); bold words leading a longer
      // paragraph ("**Warning**" then prose) only when they name a part.
      if (label && (isInlinePartLabel(label.label) || paragraphLines.length === 1)) {
        flushText();
        if (frame.part) frame.part.endLine = line + k - 1;
        frame.part = newPart(label.label, line + k, frame.section.endLine);
        frame.section.parts.push(frame.part);
        if (label.text) text.push(label.text);
        continue;
      }
      const box = readCheckbox(raw);
      if (box)
        addItem(
          addChecklistItem({
            text: inlineToPlainText(box.text),
            checked: box.checked,
            line: line + k,
            sectionId: frame.section.id,
          }),
        );
      else if (frame.part && frame.part.line >= line) text.push(raw);
    }
    flushText();
  }

  function readListItem(token: Token, index: number): ListItemNode | ChecklistNode | undefined {
    const list = lists[lists.length - 1];
    const ordinal = list?.ordered ? list.next++ : undefined;
    const inline = findItemInline(tokens, index);
    const content = inline?.content ?? '';
    const lineBreak = content.indexOf('\n');
    const raw = lineBreak === -1 ? content : content.slice(0, lineBreak);
    if (NAVIGATION_ITEM.test(raw.trim())) return undefined;
    const line = token.map?.[0] ?? 0;
    const parent = nearestItem();
    const attach = (node: ContentNode) => {
      if (parent) (parent.children ??= []).push(node);
      else addItem(node);
    };
    const box = readCheckbox(raw);
    if (box) {
      const node = addChecklistItem({
        text: inlineToPlainText(box.text),
        checked: box.checked,
        line,
        sectionId: top().section.id,
      });
      attach(node);
      return node;
    }
    // Lists in a quote are asides (notes, warnings); only their checkboxes are things to tick.
    if (quoteDepth > 0) return undefined;
    const part = top().part;
    const isStep =
      ordinal !== undefined || parent?.kind === 'step' || (part !== undefined && isActionLabel(part.label));
    const text = inlineToPlainText(raw) || (ordinal !== undefined ? `Step ${ordinal}` : '');
    if (!text) return undefined;
    // markdown-it counts the blank line after an item of a loose list as the item's; the reader does not.
    let endLine = Math.min((token.map?.[1] ?? line + 1) - 1, lastLine);
    while (endLine > line && lines[endLine].trim() === '') endLine--;
    const node: ListItemNode = { kind: isStep ? 'step' : 'bullet', text, line, endLine };
    if (ordinal !== undefined) node.ordinal = ordinal;
    attach(node);
    return node;
  }
}

export function newPart(label: string, line: number, endLine: number): Part {
  const part: Part = { label, line, endLine, items: [] };
  const role = partRole(label);
  if (role) part.role = role;
  return part;
}

// A document with one H1 uses it as its title: its H2s are the runbook's top sections. The H1 stays when
// it holds content of its own, so nothing disappears from the tree, and when it is a playbook (an alert's runbook).
function unwrapTitleHeading(sections: Section[]): Section[] {
  if (sections.length !== 1) return sections;
  const only = sections[0];
  if (
    only.level !== 1 ||
    only.playbookId ||
    only.items.length > 0 ||
    only.parts.length > 0 ||
    only.children.length === 0
  )
    return sections;
  for (const child of only.children) delete child.parentId;
  return only.children;
}

function closeSection(section: Section, endLine: number): void {
  section.endLine = Math.max(section.line, endLine);
  for (const part of section.parts) part.endLine = Math.max(part.line, Math.min(part.endLine, section.endLine));
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

/**
 * What introduces the block at `index`: an HTML comment, or a sentence ending in ':' ("Find blocked
 * queries:"), on its own at most one blank line above the fence. A part label is a heading, not an introduction.
 */
function introductionAbove(tokens: Token[], index: number): string | undefined {
  const start = tokens[index].map?.[0] ?? 0;
  const previous = tokens[index - 1];
  if (previous?.type === 'html_block') {
    if ((previous.map?.[1] ?? 0) < start - 1) return undefined;
    const comment = HTML_COMMENT.exec(previous.content);
    const words = comment?.[1].replace(/\s+/g, ' ');
    return words && words.length <= MAX_INTRO && HAS_WORD.test(words) ? words : undefined;
  }
  if (previous?.type !== 'paragraph_close' || tokens[index - 3]?.type !== 'paragraph_open') return undefined;
  if ((tokens[index - 3].map?.[1] ?? 0) < start - 1) return undefined;
  const content = tokens[index - 2].content;
  const last = content.slice(content.lastIndexOf('\n') + 1).trim();
  if (!last.endsWith(':') || last.length > MAX_INTRO || readBoldLabel(last)) return undefined;
  const words = inlineToPlainText(last.slice(0, -1));
  return HAS_WORD.test(words) ? words : undefined;
}

function buildSnippet(
  token: Token,
  index: number,
  frame: SectionFrame,
  ordinals: Map<string, number>,
  lines: string[],
  lastLine: number,
  quoteDepth: number,
  intro: string | undefined,
  diagnostics: ParseDiagnostic[],
): Snippet {
  const start = token.map?.[0] ?? 0;
  const mapEnd = Math.min((token.map?.[1] ?? start + 1) - 1, lastLine);
  const isFence = token.type === 'fence';
  const source = token.content.endsWith('\n') ? token.content.slice(0, -1) : token.content;
  let closed = true;
  if (isFence) {
    closed = mapEnd > start && isClosingFence(lines[mapEnd] ?? '', token.markup, quoteDepth);
    if (!closed)
      diagnostics.push({
        line: start,
        code: 'unclosed-fence',
        message: `Code fence opened here is never closed; it runs to line ${mapEnd + 1}`,
      });
  }
  const info = isFence ? token.info.trim() : '';
  const language = languageOf(info);
  const { category, transcript, commandText } = readSnippetText(source, language);
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
    endLine: Math.max(start, mapEnd),
    bodyStartLine,
    body: source,
    source,
    closed,
    label: snippetLabel(commandText, {
      category,
      language,
      proseAbove: intro,
      sectionTitle: section.title || undefined,
    }),
    sectionId: section.id,
    // Found once the whole runbook is read (finishRunnableText), which also sets `body`.
    placeholders: [],
  };
  rememberTranscript(snippet, transcript);
  if (frame.part) snippet.partLabel = frame.part.label;
  return snippet;
}

function checklistLines(snippet: Snippet): ChecklistItem[] {
  const items: ChecklistItem[] = [];
  const bodyLines = snippet.body.split('\n');
  let other = 0;
  for (let k = 0; k < bodyLines.length; k++) {
    const box = readCheckbox(bodyLines[k]);
    if (box) {
      items.push({
        text: box.text,
        checked: box.checked,
        line: Math.min(snippet.bodyStartLine + k, snippet.endLine),
        sectionId: snippet.sectionId,
        snippetIndex: snippet.index,
      });
    } else if (bodyLines[k].trim()) {
      other++;
    }
  }
  // A block is a checklist when its lines are checkboxes; one stray box in a diagram is not.
  return items.length > 0 && items.length >= other ? items : [];
}

function collectTable(
  tokens: Token[],
  start: number,
  index: number,
  section: Section,
  lines: string[],
  quoteDepth: number,
): Table {
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
    } else if (t.type === 'inline' && current) current.push(t.content);
    else if (t.type === 'tr_close' && current) {
      if (inHead) header.push(...current);
      else
        rows.push({
          cells: current,
          rawCellCount: countRawCells(stripQuoteMarkers(lines[currentLine] ?? '', quoteDepth)),
          line: currentLine,
        });
      current = undefined;
    }
  }
  return { index, line, endLine, header, rows, sectionId: section.id, title: section.title };
}

const META_FIELD = /^\s*>?\s*\*\*([^*]+?)\*\*\s*:\s*(.*?)\s*$/;

function readPreambleMetadata(lines: string[], metadata: RunbookMetadata, until: number): void {
  const limit = Math.min(until, lines.length, 200);
  for (let i = 0; i < limit; i++) {
    if (lines[i].indexOf('**') === -1) continue;
    const m = META_FIELD.exec(lines[i]);
    if (!m || !m[2]) continue;
    const key = m[1].trim();
    const value = inlineToPlainText(m[2]);
    metadata.fields[key] = value;
    const k = key.toLowerCase();
    if (k === 'last updated') metadata.lastUpdated = value;
    else if (k === 'owner') metadata.owner = value;
    else if (k === 'on-call escalation' || k === 'on call escalation' || k === 'escalation')
      metadata.onCallEscalation = value;
  }
  const f = metadata.fields;
  metadata.owner ??= f.owner;
  metadata.lastUpdated ??= f.last_updated ?? f.lastUpdated ?? f.updated;
}
