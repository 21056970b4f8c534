import type { Placeholder } from './types';
import { takesPlaceholders } from './languages';

// `<org_id>`, `<function_name>`, `<migration-name>`: a name in angle brackets. Operators such as `<>`, `<=`
// and `a < b` never match because a name must follow `<` directly and `>` must close it.
/** A placeholder's name, for every feature that finds placeholders (SQL, shell, the runbook check). */
export const PLACEHOLDER_NAME = '[A-Za-z_][A-Za-z0-9_-]*';
const PLACEHOLDER = new RegExp(`<(${PLACEHOLDER_NAME})>`, 'g');
const LETTER_OR_DIGIT = /[A-Za-z0-9]/;

/**
 * The placeholders of a runnable block (see `takesPlaceholders`). Not a placeholder: a name glued to a word
 * before it (`cat<in>out` is two redirections, `Array<T>` a generic), or a tag the block also closes
 * (`<div>…</div>` in a here-doc).
 */
export function findPlaceholders(body: string, firstLine: number, language: string): Placeholder[] {
  if (!takesPlaceholders(language) || body.indexOf('<') === -1) return [];
  const found: Placeholder[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (text.indexOf('<') === -1) continue;
    PLACEHOLDER.lastIndex = 0;
    for (let m = PLACEHOLDER.exec(text); m; m = PLACEHOLDER.exec(text)) {
      if (m.index > 0 && LETTER_OR_DIGIT.test(text[m.index - 1])) continue;
      if (body.includes(`</${m[1]}>`)) continue;
      found.push({ name: m[1], line: firstLine + i, column: m.index });
    }
  }
  return found;
}

export function uniquePlaceholderNames(placeholders: readonly Placeholder[]): string[] {
  return [...new Set(placeholders.map((p) => p.name))];
}
