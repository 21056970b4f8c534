// POSIX single quoting: inside '…' every character is literal, so the only thing to handle is the quote itself.

/** Quotes a value as one shell word: `it's` gives `'it'\''s'`. The result never expands or splits. */
export function quoteShellWord(value: string): string {
  if (value.includes('\0')) throw new Error('A shell word cannot contain a NUL character.');
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

// Characters that never need quoting in any POSIX shell context (no `=`: a first word with `=` is an assignment).
const PLAIN_WORD = /^[A-Za-z0-9_@%+:,./-]+$/;

/** Quotes only when needed, so that paths such as `node_modules/.bin/supabase` stay readable. */
export function quoteShellWordIfNeeded(value: string): string {
  return PLAIN_WORD.test(value) ? value : quoteShellWord(value);
}
