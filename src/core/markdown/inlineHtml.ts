// Inline HTML in headings, cells and list items (`<br>`, `<sup>1</sup>`, `<span class="x">`) is markup, not words:
// labels show its text. Only the tags of HTML's own vocabulary go, so a `<namespace>` written in prose stays.
// Entities for spaces and the characters markdown escapes are decoded. Code spans are left as written.

const HTML_TAGS = new Set(
  (
    'a abbr b bdi bdo big br center cite code del details dfn div em font hr i img ins kbd mark nobr p q s samp ' +
    'small span strike strong sub summary sup time tt u var wbr'
  ).split(' '),
);
// `<br>`, `</span>`, `<br/>`, `<span class="x" id='y'>`: a tag name, then attributes without angle brackets.
const TAG = /<\/?([A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?\/?>/y;
const ENTITY = /&(nbsp|amp|lt|gt|quot|apos|#39|#x27|ensp|emsp|thinsp);/y;
const ENTITY_TEXT: Record<string, string> = {
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  '#39': "'",
  '#x27': "'",
};
// Tags that separate words when removed.
const BREAKING = new Set(['br', 'hr', 'p', 'div', 'wbr', 'details', 'summary']);

/** The text without HTML tags of the HTML vocabulary (a line break becomes a space) and with common entities decoded. */
export function removeInlineHtml(text: string): string {
  if (text.indexOf('<') === -1 && text.indexOf('&') === -1) return text;
  let out = '';
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '`') {
      // A code span shows its content as written.
      const close = text.indexOf('`', i + 1);
      if (close === -1) break;
      i = close;
      continue;
    }
    if (c === '<') {
      TAG.lastIndex = i;
      const m = TAG.exec(text);
      if (!m || !HTML_TAGS.has(m[1].toLowerCase())) continue;
      out += text.slice(copied, i) + (BREAKING.has(m[1].toLowerCase()) ? ' ' : '');
      copied = i + m[0].length;
      i = copied - 1;
    } else if (c === '&') {
      ENTITY.lastIndex = i;
      const m = ENTITY.exec(text);
      if (!m) continue;
      out += text.slice(copied, i) + ENTITY_TEXT[m[1]];
      copied = i + m[0].length;
      i = copied - 1;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
