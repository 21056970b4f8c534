// The markdown-it configurations: the full parser (what any markdown consumer pays, the benchmark's
// baseline) and the block-only parser the model uses. The model reads headings, paragraphs, lists, fences
// and tables from block tokens and inline text from their raw `content`, never from inline child tokens,
// so running markdown-it's inline rules for every keystroke would be work thrown away.
import MarkdownIt from 'markdown-it';

export type MarkdownParser = ReturnType<typeof MarkdownIt>;
export type Token = ReturnType<MarkdownParser['parse']>[number];

export function createMarkdownParser(): MarkdownParser {
  return new MarkdownIt({ html: true, linkify: false, typographer: false });
}

export function createBlockParser(): MarkdownParser {
  const parser = createMarkdownParser();
  // Reference definitions are block syntax; stripping them keeps them out of the paragraphs the model reads.
  parser.core.ruler.enableOnly(['normalize', 'block', 'strip_references']);
  return parser;
}
