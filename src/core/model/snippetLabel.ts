import type { SnippetCategory } from './types';

const COMMENT = /^\s*(?:--|#(?!!)|\/\/)\s*(.*?)\s*$/;
const MAX_LABEL = 72;

/** The tree label of a snippet: its first comment, else its first meaningful line. */
export function snippetLabel(body: string, category: SnippetCategory, language: string): string {
  if (category === 'mermaid') {
    const first = firstMeaningfulLine(body);
    return first ? `Diagram: ${first}` : 'Diagram';
  }
  for (const line of body.split('\n', 50)) {
    const m = COMMENT.exec(line);
    if (m && m[1] && /[\p{L}\p{N}]/u.test(m[1])) return truncate(m[1]);
  }
  const first = firstMeaningfulLine(body);
  if (first) return truncate(first);
  return language ? `Empty ${language} block` : 'Empty block';
}

const BOX_DRAWING = /[\u2500-\u257F\u2580-\u259F\u25B2-\u25C4|+]/g;

function firstMeaningfulLine(body: string): string | undefined {
  for (const line of body.split('\n', 50)) {
    const t = line.replace(BOX_DRAWING, ' ').replace(/\s+/g, ' ').trim();
    if (t && /[\p{L}\p{N}]/u.test(t)) return t.replace(/^[□☐✓✔]\s*/, '');
  }
  return undefined;
}

function truncate(text: string): string {
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}
