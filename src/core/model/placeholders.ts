import type { Placeholder } from './types';

// `<org_id>`, `<function_name>`, `<migration-name>`: a name in angle brackets. Operators such as `<>`, `<=`
// and `a < b` never match because a name must follow `<` directly and `>` must close it.
const PLACEHOLDER = /<([A-Za-z_][A-Za-z0-9_-]*)>/g;

export function findPlaceholders(body: string, firstLine: number): Placeholder[] {
  const found: Placeholder[] = [];
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (text.indexOf('<') === -1) continue;
    PLACEHOLDER.lastIndex = 0;
    for (let m = PLACEHOLDER.exec(text); m; m = PLACEHOLDER.exec(text)) {
      found.push({ name: m[1], line: firstLine + i, column: m.index });
    }
  }
  return found;
}

export function uniquePlaceholderNames(placeholders: readonly Placeholder[]): string[] {
  return [...new Set(placeholders.map((p) => p.name))];
}
