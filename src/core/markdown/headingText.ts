// The words of a heading: an explicit id or attribute list at its end (`## Overview {#overview}`, `{: .note}`, as
// Hugo, Jekyll and Docusaurus write them) is an anchor, not words, and inline markup goes as in any label.
import { inlineToPlainText } from './inlineText';

// Matched on the text from the last `{` only, so a long heading is never rescanned from every space.
const ATTRIBUTES = /^\{\s*(?:#[\w-]+|:?\s*[.#][\w-][^{}]*|:[^{}]*)\}\s*$/;

export function headingText(markdown: string): string {
  const open = markdown.lastIndexOf('{');
  const words = open !== -1 && ATTRIBUTES.test(markdown.slice(open)) ? markdown.slice(0, open) : markdown;
  return inlineToPlainText(words);
}
