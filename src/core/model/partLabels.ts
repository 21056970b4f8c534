// Labels that open a part of a section (`**Diagnosis:**`, `**Mitigation**: restart the pooler`, `#### Symptoms`
// under a playbook) and the role each part plays, read from the wording teams actually use.
import type { PartRole } from './types';

const ROLES: ReadonlyArray<readonly [PartRole, RegExp]> = [
  ['symptoms', /^(symptoms?|signs?|indicators?|detection)\b/i],
  ['diagnosis', /^(diagnos[a-z]*|investigat[a-z]*|triage|troubleshoot[a-z]*)\b/i],
  ['mitigation', /^(mitigat[a-z]*|resolution|resolv[a-z]*|remediat[a-z]*|fix(es)?|recover[a-z]*|workarounds?)\b/i],
];

// Parts whose list items are things to do, so an unordered list there is a list of steps.
const OTHER_ACTIONS = /^(next steps|steps?|actions?|procedures?|roll ?back|verif[a-z]*|validat[a-z]*|escalat[a-z]*)\b/i;

export function partRole(label: string): PartRole | undefined {
  for (const [role, pattern] of ROLES) if (pattern.test(label)) return role;
  return undefined;
}

export function isActionLabel(label: string): boolean {
  const role = partRole(label);
  return role === 'diagnosis' || role === 'mitigation' || OTHER_ACTIONS.test(label);
}

/** A label a playbook part is known by: a role, or a list of actions. */
export function isKnownPartLabel(label: string): boolean {
  return partRole(label) !== undefined || OTHER_ACTIONS.test(label);
}

const BOLD_LABEL = /^(?:\*\*([^*]+?)\*\*|__([^_]+?)__)[ \t]*(:?)[ \t]*(.*)$/;

export interface LabelLine {
  label: string;
  /** What follows the label on the same line, '' when nothing does. */
  text: string;
}

/**
 * Reads the first line of a paragraph as a part label. A bold paragraph on its own is a label
 * (`**Prepare Green Environment**`); bold words followed by text are only a label when they end in a colon
 * and name a known part (`**Diagnosis:** run the query below`), so `**Important:** never …` stays prose.
 */
export function readBoldLabel(line: string): LabelLine | undefined {
  const first = line.charCodeAt(0);
  if (first !== 42 /* * */ && first !== 95 /* _ */) return undefined;
  const m = BOLD_LABEL.exec(line.trim());
  if (!m) return undefined;
  const raw = (m[1] ?? m[2]).trim();
  const label = raw.replace(/:\s*$/, '').trim();
  if (!label) return undefined;
  const text = m[4].trim();
  if (!text) return { label, text };
  const hasColon = raw.endsWith(':') || m[3] === ':';
  return hasColon && isKnownPartLabel(label) ? { label, text } : undefined;
}
