// Plain text of a line of inline markdown, for labels: emphasis, code ticks and link targets removed.
const MARKUP = /[*_`[!]|\s\s|^\s|\s$|[\t\n\r]/;

export function inlineToPlainText(markdown: string): string {
  // Most cells and headings are plain words: skip the regex passes for them (the model is built per keystroke).
  if (!MARKUP.test(markdown)) return markdown;
  return markdown
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__)(.+?)\1/g, '$2')
    .replace(/(^|[^\w*])[*_]([^*_\s][^*_]*?)[*_](?=[^\w*]|$)/g, '$1$2')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}
