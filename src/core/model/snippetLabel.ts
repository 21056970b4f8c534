// The tree label of a code block, in this order: the block's own leading comment; the sentence introducing it
// just above the fence ("Find the blocked queries:") or an HTML comment there; for data, diagrams and
// checklists-in-diagrams the heading the block illustrates; else the first meaningful line of code.
import type { SnippetCategory } from './types';

export interface SnippetLabelContext {
  category: SnippetCategory;
  language: string;
  /** The introduction just above the fence, already reduced to plain text. */
  proseAbove?: string;
  /** Title of the section the block stands in. */
  sectionTitle?: string;
}

const MAX_LABEL = 72;
const SQL_COMMENT = /^(?:--|\/\*+)\s*(.*?)\s*(?:\*+\/)?$/;
const HASH_COMMENT = /^#(?![!{])\s*(.*?)\s*$/;
const SLASH_COMMENT = /^(?:\/\/|\/\*+)\s*(.*?)\s*(?:\*+\/)?$/;
const MERMAID_COMMENT = /^%%\s*(.*?)\s*$/;
const MARKUP_COMMENT = /^<!--\s*(.*?)\s*(?:-->)?$/;
const C_FAMILY = new Set(['c', 'cpp', 'c++', 'h', 'hpp', 'objc', 'objective-c', 'cs', 'csharp']);
/** Text with at least one letter or digit in any script (not only punctuation or box drawing). */
export const HAS_WORD = /[\p{L}\p{N}]/u;
const BOX_DRAWING = /[\u2500-\u257F\u2580-\u259F\u25B2-\u25C4]/;
const BOX_DRAWING_ALL = /[\u2500-\u257F\u2580-\u259F\u25B2-\u25C4|+]/g;

export function snippetLabel(body: string, context: SnippetLabelContext): string {
  const lines = firstLines(body, 60);
  let firstIndex = lines.findIndex((l) => l.trim() !== '');
  // A shebang says which interpreter, not what the script does.
  if (firstIndex !== -1 && lines[firstIndex].startsWith('#!'))
    firstIndex = lines.findIndex((l, i) => i > firstIndex && l.trim() !== '');
  if (firstIndex === -1) return context.language ? `Empty ${context.language} block` : 'Empty block';

  const comment = commentText(lines[firstIndex].trim(), context);
  if (comment) return tidy(comment);
  if (context.proseAbove) return tidy(context.proseAbove);
  if (context.sectionTitle && illustratesSection(body, context.category)) return tidy(context.sectionTitle);
  const first = firstMeaningfulLine(lines, firstIndex, context.category);
  if (first) return tidy(first);
  return context.sectionTitle ? tidy(context.sectionTitle) : `${context.language || 'text'} block`;
}

function commentText(line: string, { category, language }: SnippetLabelContext): string | undefined {
  const patterns: RegExp[] = [];
  if (category === 'sql') patterns.push(SQL_COMMENT);
  else if (category === 'shell' || category === 'query' || category === 'data' || category === 'text')
    patterns.push(HASH_COMMENT, SLASH_COMMENT);
  else if (category === 'mermaid') patterns.push(MERMAID_COMMENT);
  else {
    patterns.push(SLASH_COMMENT, MARKUP_COMMENT);
    if (!C_FAMILY.has(language)) patterns.push(HASH_COMMENT);
    if (language === 'lua' || language === 'haskell') patterns.push(SQL_COMMENT);
  }
  for (const pattern of patterns) {
    const m = pattern.exec(line);
    if (m) return m[1] && HAS_WORD.test(m[1]) ? m[1] : undefined;
  }
  return undefined;
}

// A JSON or YAML document, a diagram: its first line says little ("{", "graph TD", a box); the heading says what it is.
function illustratesSection(body: string, category: SnippetCategory): boolean {
  return category === 'data' || category === 'mermaid' || (category === 'text' && BOX_DRAWING.test(body));
}

/** The first `count` lines of `text`, without splitting the rest of a large block. */
function firstLines(text: string, count: number): string[] {
  let end = -1;
  for (let k = 0; k < count; k++) {
    end = text.indexOf('\n', end + 1);
    if (end === -1) return text.split('\n');
  }
  return text.slice(0, end).split('\n');
}

function firstMeaningfulLine(lines: readonly string[], from: number, category: SnippetCategory): string | undefined {
  // Box drawing is a diagram's frame; in a command, `|` and `+` are part of what is written (`ps … | wc -l`).
  const diagram = category === 'text' || category === 'checklist';
  for (let i = from; i < lines.length; i++) {
    const text = (diagram ? lines[i].replace(BOX_DRAWING_ALL, ' ') : lines[i]).replace(/\s+/g, ' ').trim();
    if (!text || !HAS_WORD.test(text)) continue;
    if (category === 'checklist' || category === 'text') return text.replace(/^[□☐☑✓✔✅]\s*/, '');
    // A statement split over lines ("SELECT" / "  tablename,"): read on until the label has some substance.
    if (category === 'sql') return sqlStatementStart(lines, i);
    return text;
  }
  return undefined;
}

function sqlStatementStart(lines: readonly string[], from: number): string {
  let text = '';
  for (let i = from; i < lines.length && text.length < MAX_LABEL; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('--')) break;
    text = text ? `${text} ${line}` : line;
    if (line.endsWith(';')) break;
  }
  return text;
}

function tidy(text: string): string {
  const trimmed = text.replace(/\s*:\s*$/, '').trim();
  return trimmed.length > MAX_LABEL ? `${trimmed.slice(0, MAX_LABEL - 1)}…` : trimmed;
}
