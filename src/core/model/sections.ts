import type { Section } from './types';

export function findSection(sections: readonly Section[], id: string): Section | undefined {
  for (const s of sections) {
    if (s.id === id) return s;
    const inner = findSection(s.children, id);
    if (inner) return inner;
  }
  return undefined;
}

/** Every section, depth first, in document order. */
export function allSections(sections: readonly Section[]): Section[] {
  const out: Section[] = [];
  const walk = (list: readonly Section[]) => {
    for (const s of list) {
      out.push(s);
      walk(s.children);
    }
  };
  walk(sections);
  return out;
}
