// Labels that open a part of a playbook (`**Diagnosis:**`, `## Meaning`, `#### What to do about it`) and the role each
// part plays, read from the wording public runbooks use: alert runbooks (Meaning, Impact, Diagnosis, Mitigation),
// troubleshooting guides (Symptoms, Possible causes, Possible checks, Resolution), ops manuals (Investigation,
// Recovery, Escalation) and support articles (Confirm the cause, Resolve, Verify, Escalate).
import type { PartRole } from './types';

// Anchored at the start of the label, after any numbering ("2. Diagnosis", "Step 3 -"), case-insensitive.
const ROLES: ReadonlyArray<readonly [PartRole, RegExp]> = [
  [
    'symptoms',
    /^(symptoms?|signs?|indicators?|detection|meaning|impact|user impact|business impact|what (is|'s) (wrong|happening)|what happened|how (it|this) (looks|shows)|alert details?|error messages?)\b/i,
  ],
  [
    'diagnosis',
    /^(diagnos[a-z]*|investigat[a-z]*|triage|troubleshoot[a-z]*|debug[a-z]*|possible checks|checks?|health checks?|confirm( the)? (cause|problem|issue)|confirm|identify( the)? (cause|problem)|find(ing)? (the )?(cause|out)|how to (check|find out|tell|investigate|diagnose|debug)|analy[sz]e|analysis|inspect[a-z]*|initial checks|first checks|quick diagnosis)\b/i,
  ],
  [
    'mitigation',
    /^(mitigat[a-z]*|resolution|resolv[a-z]*|remediat[a-z]*|fix(es)?|immediate (fix|actions?|steps)|recover[a-z]*|workarounds?|solutions?|what to do( about it)?|how to (fix|resolve|recover|mitigate)|detailed steps|steps?( \d+)?|procedures?|actions?|response|restore|repair|possible (resolutions|fixes|solutions)|quick fix|handling)\b/i,
  ],
  [
    'escalation',
    /^(escalat[a-z]*|who to (call|contact|page)|contacts?|on[- ]?call|getting help|support|paging|owners?)\b/i,
  ],
  [
    'background',
    /^(background|context|overview|summary|description|about|possible causes|causes?|root causes?|why( it)? happens|prevention|preventing|avoid(ing)? (it|this)|related( alerts| runbooks| links| dashboards)?|references?|see also|further (reading|information)|more information|additional (information|resources|notes)|notes?|dashboards?|links|metrics|alert behaviou?r|severit(y|ies)|services|dependencies|recent changes|faq|glossary|prerequisites)\b/i,
  ],
];

// Parts whose list items are things to do, so an unordered list there is a list of steps.
const OTHER_ACTIONS =
  /^(next steps|steps?|actions?|procedures?|roll ?back|verif[a-z]*|validat[a-z]*|escalat[a-z]*|post[- ]incident|follow[- ]up|clean ?up)\b/i;

// "2. Diagnosis", "Step 3 — Mitigation", "🔍 Diagnosis", "(a) Checks": the numbering and symbols before the words.
const LEADING_NUMBERING = /^(?:[^\p{L}\p{N}]*\d+[.):]?\s+|\(?[a-z]\)\s+|[^\p{L}\p{N}(]+)/iu;

function wordsOf(label: string): string {
  return label.replace(LEADING_NUMBERING, '').trim();
}

// Labels repeat across a runbook (every playbook has its Diagnosis): each is read once.
const roleOf = new Map<string, PartRole | null>();

export function partRole(label: string): PartRole | undefined {
  let role = roleOf.get(label);
  if (role === undefined) {
    const words = wordsOf(label);
    role = ROLES.find(([, pattern]) => pattern.test(words))?.[0] ?? null;
    if (roleOf.size > 2000) roleOf.clear();
    roleOf.set(label, role);
  }
  return role ?? undefined;
}

/** A part whose items are things to do: the role is finding out or fixing, or the label names steps or actions. */
export function isActionLabel(label: string): boolean {
  const role = partRole(label);
  return role === 'diagnosis' || role === 'mitigation' || OTHER_ACTIONS.test(wordsOf(label));
}

/** A part that says what to do about the problem (the part a playbook cannot do without). */
export function isRemedyLabel(label: string): boolean {
  return partRole(label) === 'mitigation' || OTHER_ACTIONS.test(wordsOf(label));
}

const known = new Map<string, boolean>();

/** A label a playbook part is known by: a role, or a list of actions. */
export function isKnownPartLabel(label: string): boolean {
  let answer = known.get(label);
  if (answer === undefined) {
    answer = partRole(label) !== undefined || OTHER_ACTIONS.test(wordsOf(label));
    if (known.size > 2000) known.clear();
    known.set(label, answer);
  }
  return answer;
}

// Known labels that are also everyday words of prose ("**Note:** the pool restarts", "**Summary:** …"): they open a
// part as a heading or as a bold paragraph of their own, never as bold words leading a sentence.
const EVERYDAY_WORDS =
  /^(notes?|summary|description|overview|context|about|links|metrics|services|dependencies|severit(y|ies)|faq|glossary|prerequisites|support|owners?|contacts?|checks?|health checks?|response|handling|restore|repair|confirm|analy[sz]e|analysis|dashboards?|references?|see also|recent changes|alert behaviou?r|more information|further [a-z]+|additional [a-z]+)\b/i;

/** A label that opens a part even with text after it on the same line (`**Diagnosis:** run the query below`). */
export function isInlinePartLabel(label: string): boolean {
  return isKnownPartLabel(label) && !EVERYDAY_WORDS.test(wordsOf(label));
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
  return hasColon && isInlinePartLabel(label) ? { label, text } : undefined;
}
