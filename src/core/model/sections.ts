import type { Part, Section } from './types';

/** The section with this id, also among the headings under a playbook's parts. */
export function findSection(sections: readonly Section[], id: string): Section | undefined {
  for (const s of sections) {
    if (s.id === id) return s;
    const inner =
      findSection(s.children, id) ??
      findSection(
        s.parts.flatMap((p) => p.sections ?? []),
        id,
      );
    if (inner) return inner;
  }
  return undefined;
}

/** The playbook part written as a heading with this id (`## Mitigation` of an alert's runbook), and its section. */
export function findPartHolder(
  sections: readonly Section[],
  partId: string,
): { section: Section; part: Part } | undefined {
  for (const section of allSections(sections)) {
    const part = section.parts.find((p) => p.id === partId);
    if (part) return { section, part };
  }
  return undefined;
}

/** Every section, depth first, in document order, the headings under a playbook's parts included. */
export function allSections(sections: readonly Section[]): Section[] {
  const out: Section[] = [];
  const walk = (list: readonly Section[]) => {
    for (const s of list) {
      out.push(s);
      for (const part of s.parts) walk(part.sections ?? []);
      walk(s.children);
    }
  };
  walk(sections);
  return out;
}
