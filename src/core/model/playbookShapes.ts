// Which sections are incident playbooks, recognised by shape rather than by one word, the way public runbooks are
// written:
// - a prefixed title: `Playbook:`, `Runbook:`, `Alert:`, `Incident:`, `Problem:`, `Issue 3:`;
// - sub-headings that name a playbook's parts (`# KubeDiskFull` with `## Meaning`, `## Impact`, `## Diagnosis`,
//   `## Mitigation`: one alert per file), or bold labels that do (`**Symptoms:**`, `**Fix:**`);
// - a problem with its own checks or fixes under a group heading (`## Troubleshooting`, `## Known issues`,
//   `## Incident handling`, `## Alerts` and its `###` per alert).
// The innermost section that qualifies wins: a runbook of playbooks is not itself one. A playbook's sub-headings
// become its parts, in document order, each with its role.
import type { ContentNode, Part, PartRole, Playbook, PlaybookShape, Section, Snippet } from './types';
import type { SlugRegistry } from './slug';
import { isActionLabel, isKnownPartLabel, isRemedyLabel, partRole } from './partLabels';

const PREFIX = /^(?:playbook|runbook|alert|incident|problem|issue)(?:\s*#?\d+)?\s*[:\-–—]\s*(.+)$/i;
// Groups whose every sub-heading is a problem (an alert, a known issue), and groups whose sub-headings are problems
// when they have the shape of one (`## Incident Response Playbooks` also holds `### Severity Definitions`).
const PROBLEM_GROUP =
  /\b(?:troubleshoot(?:ing)?|known (?:issues|problems|errors|bugs)|common (?:issues|problems|errors|failures)|alerts|alerting rules|faq|failure (?:modes|scenarios))\b/i;
const MIXED_GROUP = /\b(?:incidents?|playbooks|runbooks|problems|issues)\b/i;

export interface PlaybookOptions {
  slugs: SlugRegistry;
  /** A title with no H1 to carry it (front matter): the document itself may be the playbook. */
  documentTitle?: string;
  titleLine?: number;
}

interface Found {
  section: Section;
  foundBy: PlaybookShape;
  name: string;
}

/** Marks the playbook sections of the tree under `root`, turns their sub-headings into parts, and lists them. */
export function recognisePlaybooks(
  root: Section,
  snippets: Snippet[],
  lines: readonly string[],
  options: PlaybookOptions,
): Playbook[] {
  if (options.documentTitle && partsShape(root.children.map((c) => c.title))) wrapDocument(root, options);
  const found: Found[] = [];
  // Sections that are, or hold, a playbook.
  const holding = new Set<Section>();
  const runnable = (node: ContentNode) =>
    node.kind === 'snippet' &&
    (snippets[node.snippetIndex].category === 'sql' || snippets[node.snippetIndex].category === 'shell');
  const visit = (section: Section): boolean => {
    let inner = false;
    for (const child of section.children) inner = visit(child) || inner;
    const every = section.level > 0 && section.children.length > 0 && PROBLEM_GROUP.test(section.title);
    if (every || (section.level > 0 && section.children.length > 0 && MIXED_GROUP.test(section.title))) {
      for (const child of section.children) {
        if (holding.has(child)) continue;
        if (problemShaped(child, every, runnable, lines)) {
          found.push({ section: child, foundBy: 'group', name: child.title });
          holding.add(child);
          inner = true;
        }
      }
    }
    if (inner) holding.add(section);
    if (section.level === 0 || inner) return inner;
    const prefix = PREFIX.exec(section.title);
    const labelled = !isKnownPartLabel(section.title) && partsShape(section.parts.map((p) => p.label));
    const shape: PlaybookShape | undefined = prefix
      ? 'prefixed'
      : partsShape(section.children.map((c) => c.title)) || labelled
        ? 'parts'
        : undefined;
    if (!shape) return false;
    found.push({ section, foundBy: shape, name: prefix ? prefix[1].trim() : section.title });
    holding.add(section);
    return true;
  };
  visit(root);
  return found.map((f) => toPlaybook(f, snippets)).sort((a, b) => a.line - b.line);
}

// A support article: front-matter title, no H1, and the parts as `##` headings. Its sections go under one made for it.
function wrapDocument(root: Section, options: PlaybookOptions): void {
  const title = options.documentTitle!;
  const document: Section = {
    id: options.slugs.unique(title),
    title,
    level: 1,
    line: options.titleLine ?? 0,
    endLine: root.endLine,
    children: root.children,
    items: root.items,
    parts: [],
  };
  for (const child of document.children) child.parentId = document.id;
  root.children = [document];
  root.items = [];
}

/** Labels of parts that make a playbook: what is wrong or how to find out, and how to find out or what to do. */
function partsShape(labels: readonly string[]): boolean {
  const known = labels.filter((label) => isKnownPartLabel(label));
  if (known.length < 2 || known.length * 2 < labels.length) return false;
  const roles = new Set<PartRole | 'remedy'>();
  for (const label of known) {
    const role = partRole(label);
    if (role) roles.add(role);
    if (isRemedyLabel(label) || role === 'escalation') roles.add('remedy');
  }
  return (
    (roles.has('symptoms') && (roles.has('diagnosis') || roles.has('remedy'))) ||
    (roles.has('diagnosis') && roles.has('remedy'))
  );
}

/**
 * Under a group heading: a problem with parts, or with commands or steps to check or fix it; in a group of problems
 * (Alerts, Known issues, Troubleshooting), any sub-heading with something written under it.
 */
function problemShaped(
  section: Section,
  everyOne: boolean,
  runnable: (node: ContentNode) => boolean,
  lines: readonly string[],
): boolean {
  if (isKnownPartLabel(section.title)) return false;
  if (section.parts.some((p) => p.role)) return true;
  if (hasActionContent(section, runnable)) return true;
  return everyOne && (section.items.length + section.parts.length > 0 || hasOwnText(section, lines));
}

/** Whether anything is written between the heading and its first sub-heading (prose is not a content node). */
function hasOwnText(section: Section, lines: readonly string[]): boolean {
  const end = section.children.length ? section.children[0].line - 1 : section.endLine;
  for (let l = section.line + 1; l <= end && l < lines.length; l++) if (lines[l].trim() !== '') return true;
  return false;
}

function hasActionContent(section: Section, runnable: (node: ContentNode) => boolean): boolean {
  const isAction = (node: ContentNode): boolean =>
    node.kind === 'step' ||
    runnable(node) ||
    (node.kind !== 'snippet' && node.kind !== 'table' && (node.children ?? []).some(isAction));
  const nodes = [...section.items, ...section.parts.flatMap((p) => p.items)];
  return nodes.some(isAction) || section.children.some((child) => hasActionContent(child, runnable));
}

function toPlaybook({ section, foundBy, name }: Found, snippets: Snippet[]): Playbook {
  const parts: Part[] = [...section.parts];
  for (const child of section.children) {
    const part: Part = {
      label: child.title,
      line: child.line,
      endLine: child.endLine,
      items: child.items,
      id: child.id,
    };
    const role = partRole(child.title);
    if (role) part.role = role;
    if (child.children.length) part.sections = child.children;
    // A heading part that says what to do lists steps, as a bold label's part does.
    if (isActionLabel(child.title)) bulletsToSteps(part.items);
    parts.push(part, ...child.parts);
  }
  section.parts = parts.sort((a, b) => a.line - b.line);
  section.children = [];
  section.playbookId = section.id;
  const playbook: Playbook = {
    id: section.id,
    name,
    sectionId: section.id,
    line: section.line,
    endLine: section.endLine,
    foundBy,
  };
  for (const part of section.parts) {
    if (part.role === 'symptoms') playbook.symptoms ??= part;
    else if (part.role === 'diagnosis') playbook.diagnosis ??= part;
    else if (part.role === 'mitigation') playbook.mitigation ??= part;
    else if (part.role === 'escalation') playbook.escalation ??= part;
  }
  const mark = (nodes: readonly ContentNode[], partLabel: string | undefined) =>
    forEachSnippet(nodes, (index) => {
      const snippet = snippets[index];
      snippet.playbookId = section.id;
      if (partLabel) snippet.partLabel = partLabel;
    });
  mark(section.items, undefined);
  for (const part of section.parts) {
    mark(part.items, part.label);
    for (const inner of part.sections ?? []) forEachSectionContent(inner, (nodes) => mark(nodes, part.label));
  }
  return playbook;
}

function bulletsToSteps(nodes: readonly ContentNode[]): void {
  for (const node of nodes) {
    if (node.kind === 'bullet') (node as { kind: 'step' | 'bullet' }).kind = 'step';
    if (node.kind === 'step' || node.kind === 'checklist') bulletsToSteps(node.children ?? []);
  }
}

function forEachSnippet(nodes: readonly ContentNode[], visit: (snippetIndex: number) => void): void {
  for (const node of nodes) {
    if (node.kind === 'snippet') visit(node.snippetIndex);
    else if (node.kind !== 'table') forEachSnippet(node.children ?? [], visit);
  }
}

function forEachSectionContent(section: Section, visit: (nodes: readonly ContentNode[]) => void): void {
  visit(section.items);
  for (const part of section.parts) visit(part.items);
  for (const child of section.children) forEachSectionContent(child, visit);
}
