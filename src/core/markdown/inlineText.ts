// Plain text of a line of inline markdown, for labels: inline HTML, emphasis, code ticks and link targets removed.
// Every pass is one left-to-right scan that looks ahead through tables of "next position of this character", so the
// time is linear in the text whatever it holds: a heading of 200 KB of `[a](` or a paragraph of `[` lines took
// minutes with the backtracking regular expressions these passes replace (each `[` scanned to the end of the text).
import { removeInlineHtml } from './inlineHtml';

const MARKUP = /[*_`[!<&]|\s\s|^\s|\s$|[\t\n\r]/;

export function inlineToPlainText(markdown: string): string {
  // Most cells and headings are plain words: skip the passes for them (the model is built per keystroke).
  if (!MARKUP.test(markdown)) return markdown;
  let text = removeInlineHtml(markdown);
  text = removeLinks(text);
  text = removeStrongEmphasis(text);
  text = removeEmphasis(text);
  text = removeCodeTicks(text);
  return text.replace(/\s+/g, ' ').trim();
}

/** For each position, the index of the next `char` at or after it (text.length when none). */
function nextIndexOf(text: string, test: (code: number) => boolean): Int32Array {
  const next = new Int32Array(text.length + 1);
  let at = text.length;
  next[text.length] = at;
  for (let i = text.length - 1; i >= 0; i--) {
    if (test(text.charCodeAt(i))) at = i;
    next[i] = at;
  }
  return next;
}

const BANG = 33;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const OPEN_PAREN = 40;
const CLOSE_PAREN = 41;
const STAR = 42;
const UNDERSCORE = 95;

/** `[text](target)` and `![alt](src)` become their text (the first `]` closes the text, the first `)` the target). */
function removeLinks(text: string): string {
  if (text.indexOf('[') === -1) return text;
  const closeBracket = nextIndexOf(text, (c) => c === CLOSE_BRACKET);
  const closeParen = nextIndexOf(text, (c) => c === CLOSE_PAREN);
  const n = text.length;
  let out = '';
  let copied = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let open: number;
    if (c === OPEN_BRACKET) open = i;
    else if (c === BANG && text.charCodeAt(i + 1) === OPEN_BRACKET) open = i + 1;
    else continue;
    const close = closeBracket[open + 1 <= n ? open + 1 : n];
    if (close >= n || text.charCodeAt(close + 1) !== OPEN_PAREN) continue;
    const end = close + 2 <= n ? closeParen[close + 2] : n;
    if (end >= n) continue;
    out += text.slice(copied, i) + text.slice(open + 1, close);
    copied = end + 1;
    i = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function isLineTerminator(code: number): boolean {
  return code === 10 || code === 13 || code === 0x2028 || code === 0x2029;
}

/**
 * `**strong**` and `__strong__` become their text: the nearest closing pair on the same line, at least one character
 * in. The search for a closer stops at the next pair of the same kind, which is the next opener to try, so each
 * character is looked at a bounded number of times.
 */
function removeStrongEmphasis(text: string): string {
  if (text.indexOf('**') === -1 && text.indexOf('__') === -1) return text;
  const n = text.length;
  let out = '';
  let copied = 0;
  for (let i = 0; i + 1 < n; i++) {
    const c = text.charCodeAt(i);
    if ((c !== STAR && c !== UNDERSCORE) || text.charCodeAt(i + 1) !== c) continue;
    const pair = c === STAR ? '**' : '__';
    const close = text.indexOf(pair, i + 3);
    if (close === -1) {
      // No closer of this kind after here: no later opener of this kind can close either.
      if (pair === '**' ? text.indexOf('__', i) === -1 : text.indexOf('**', i) === -1) break;
      continue;
    }
    if (hasLineTerminator(text, i + 2, close)) continue;
    out += text.slice(copied, i) + text.slice(i + 2, close);
    copied = close + 2;
    i = close + 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function hasLineTerminator(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (isLineTerminator(text.charCodeAt(k))) return true;
  return false;
}

function isWordOrStar(code: number): boolean {
  return (
    code === STAR ||
    code === UNDERSCORE ||
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122)
  );
}

const WHITESPACE = /\s/;

/**
 * `*em*` and `_em_` become their text. The opening mark starts the text or follows a character that is neither a word
 * character nor `*`; the text starts with a non-space and holds no `*` or `_`; the closing mark is not followed by
 * a word character or `*`. The closer is the next mark, so each stretch between two marks is read once.
 */
function removeEmphasis(text: string): string {
  if (text.indexOf('*') === -1 && text.indexOf('_') === -1) return text;
  const n = text.length;
  const isMark = (i: number) => {
    const c = text.charCodeAt(i);
    return c === STAR || c === UNDERSCORE;
  };
  const closeAt = (open: number): number => {
    if (open + 1 >= n || isMark(open + 1) || WHITESPACE.test(text[open + 1])) return -1;
    let close = open + 2;
    while (close < n && !isMark(close)) close++;
    if (close >= n) return -1;
    return close + 1 >= n || !isWordOrStar(text.charCodeAt(close + 1)) ? close : -1;
  };
  let out = '';
  let copied = 0;
  for (let i = 0; i < n; i++) {
    let open = -1;
    let close = -1;
    if (i === 0 && isMark(0)) {
      close = closeAt(0);
      if (close !== -1) open = 0;
    }
    if (open === -1 && i + 1 < n && !isWordOrStar(text.charCodeAt(i)) && isMark(i + 1)) {
      close = closeAt(i + 1);
      if (close !== -1) open = i + 1;
    }
    if (open === -1) continue;
    out += text.slice(copied, open) + text.slice(open + 1, close);
    copied = close + 1;
    i = close;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** `` `code` `` becomes its text: each backtick pairs with the next one. */
function removeCodeTicks(text: string): string {
  if (text.indexOf('`') === -1) return text;
  let out = '';
  let copied = 0;
  for (let open = text.indexOf('`'); open !== -1;) {
    const close = text.indexOf('`', open + 1);
    if (close === -1) break;
    out += text.slice(copied, open) + text.slice(open + 1, close);
    copied = close + 1;
    open = text.indexOf('`', close + 1);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
