import { stripQuoteMarkers } from './quoteMarkers';

/**
 * Whether a raw line closes a fence opened with `markup` (at least as many of the same character, nothing
 * else). Blockquote markers and list-item indentation in front of it do not count.
 */
export function isClosingFence(line: string, markup: string, quoteDepth: number): boolean {
  const text = stripQuoteMarkers(line, quoteDepth).trim();
  if (text.length < markup.length) return false;
  const fenceChar = markup[0];
  for (let i = 0; i < text.length; i++) if (text[i] !== fenceChar) return false;
  return true;
}
