// A readable projection of a runbook model for golden files: 1-based lines ("L242-257") so a reviewer can
// check each entry against the markdown, and one line of text per tree node.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Runbook, Section, Part, ContentNode } from '../../../src/core/model/types';
import { typedTableNames } from '../../../src/core/model/outline';
import { PROJECT_ROOT } from '../../helpers/seed';

type GoldenNode = string | { node: string; children: GoldenNode[] };

const lines = (from: number, to: number) => (from === to ? `L${from + 1}` : `L${from + 1}-${to + 1}`);

/** How free text (titles, labels, steps, metadata) appears in a golden file: as written, or as a hash. */
export type GoldenText = (text: string) => string;
const asWritten: GoldenText = (text) => text;
/** The seed is the team's document, not ours: its golden file keeps the structure and a hash of each text. */
export const hashed: GoldenText = (text) => `#${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;

export function goldenOf(runbook: Runbook, txt: GoldenText = asWritten): unknown {
  const typedKinds = new Map<number, string>();
  for (const kind of typedTableNames(runbook)) {
    const value = (runbook.typed as unknown as Record<string, { tableIndex?: number }>)[kind];
    if (value.tableIndex !== undefined) typedKinds.set(value.tableIndex, kind);
  }
  const node = (content: ContentNode): GoldenNode => {
    let text: string;
    let children: readonly ContentNode[] = [];
    switch (content.kind) {
      case 'snippet': {
        const s = runbook.snippets[content.snippetIndex];
        text = `${lines(s.startLine, s.endLine)} ${s.category === 'checklist' ? 'checklist block' : s.language || 'text'} "${txt(s.label)}"`;
        break;
      }
      case 'table': {
        const t = runbook.tables[content.tableIndex];
        text = `${lines(t.line, t.endLine)} table ${typedKinds.get(t.index) ?? 'untyped'} (${t.rows.length} rows)`;
        break;
      }
      case 'checklist':
        text = `L${content.item.line + 1} ${content.item.checked ? '[x]' : '[ ]'} ${txt(content.item.text)}`;
        children = content.children ?? [];
        break;
      case 'step':
      case 'bullet':
        text = `${lines(content.line, content.endLine)} ${content.kind} ${content.ordinal !== undefined ? `${content.ordinal}. ` : ''}${txt(content.text)}`;
        children = content.children ?? [];
        break;
    }
    return children.length ? { node: text, children: children.map(node) } : text;
  };
  const part = (p: Part) => ({
    part: p.label,
    ...(p.role ? { role: p.role } : {}),
    lines: lines(p.line, p.endLine),
    ...(p.text ? { text: txt(p.text) } : {}),
    content: p.items.map(node),
    ...(p.sections?.length ? { sections: p.sections.map(section) } : {}),
  });
  const section = (s: Section): unknown => ({
    title: txt(s.title),
    id: txt(s.id),
    level: s.level,
    lines: lines(s.line, s.endLine),
    ...(s.items.length ? { content: s.items.map(node) } : {}),
    ...(s.parts.length ? { parts: s.parts.map(part) } : {}),
    ...(s.children.length ? { sections: s.children.map(section) } : {}),
  });
  const partLines = (p: Part | undefined) => (p ? `${p.label} ${lines(p.line, p.endLine)}` : null);
  return {
    lineCount: runbook.lineCount,
    metadata: {
      fields: Object.fromEntries(Object.entries(runbook.metadata.fields).map(([k, v]) => [k, txt(v)])),
      title: runbook.metadata.title === undefined ? undefined : txt(runbook.metadata.title),
      titleLine: runbook.metadata.titleLine === undefined ? undefined : runbook.metadata.titleLine + 1,
      lastUpdated: runbook.metadata.lastUpdated,
      owner: runbook.metadata.owner === undefined ? undefined : txt(runbook.metadata.owner),
      onCallEscalation:
        runbook.metadata.onCallEscalation === undefined ? undefined : txt(runbook.metadata.onCallEscalation),
    },
    sections: runbook.sections.map(section),
    playbooks: runbook.playbooks.map((p) => ({
      name: txt(p.name),
      section: txt(p.sectionId),
      lines: lines(p.line, p.endLine),
      foundBy: p.foundBy,
      symptoms: partLines(p.symptoms),
      diagnosis: partLines(p.diagnosis),
      mitigation: partLines(p.mitigation),
      ...(p.escalation ? { escalation: partLines(p.escalation) } : {}),
    })),
    snippets: runbook.snippets.map((s) => ({
      index: s.index,
      id: txt(s.id),
      lines: lines(s.startLine, s.endLine),
      language: s.language,
      category: s.category,
      label: txt(s.label),
      ...(s.playbookId ? { playbook: txt(s.playbookId), part: s.partLabel } : {}),
      ...(s.placeholders.length
        ? {
            placeholders: s.placeholders.map(
              (p) => `<${p.name}>${p.written ? ` as ${p.written}` : ''} L${p.line + 1}:${p.column + 1}`,
            ),
          }
        : {}),
      ...(s.transcript ? { transcript: s.transcript } : {}),
      // What the runner gets, where it differs from the block as written: the commands of a transcript, placeholders
      // spelled <name>. One entry per line that is not empty, with its line.
      ...(s.body !== s.source
        ? {
            runs: s.body
              .split('\n')
              .map((text, k) => [text.trim(), k] as const)
              .filter(([text]) => text !== '')
              .map(([text, k]) => `L${s.bodyStartLine + k + 1} ${txt(text)}`),
          }
        : {}),
      ...(s.closed ? {} : { closed: false }),
    })),
    tables: runbook.tables.map((t) => ({
      index: t.index,
      lines: lines(t.line, t.endLine),
      section: t.title === undefined ? undefined : txt(t.title),
      header: t.header.map(txt),
      rows: t.rows.length,
    })),
    typed: Object.fromEntries(
      typedTableNames(runbook).map((kind) => {
        const value = (
          runbook.typed as unknown as Record<string, { rows?: unknown[]; tableIndex?: number; line: number }>
        )[kind];
        return [kind, value.rows ? { table: value.tableIndex, rows: value.rows.length } : { line: value.line + 1 }];
      }),
    ),
    typedProblems: runbook.typed.problems.map((p) => `L${p.line + 1} ${txt(p.message)}`),
    checklists: runbook.checklists.map((c) => `L${c.line + 1} ${c.checked ? '[x]' : '[ ]'} ${txt(c.text)}`),
    mermaid: runbook.mermaid.map((m) => `L${m.line + 1} ${m.diagramType} (snippet #${m.snippetIndex})`),
    diagnostics: runbook.diagnostics.map((d) => `L${d.line + 1} ${d.code}: ${txt(d.message)}`),
  };
}

/**
 * Compares the model with a reviewed golden file under test/fixtures/golden. With RUNBOOK_UPDATE_GOLDEN=1 it
 * writes the file instead and skips: the new file must then be read against the runbook before it is committed.
 */
export function assertGolden(t: TestContext, name: string, runbook: Runbook, txt: GoldenText = asWritten): void {
  const file = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', `${name}.json`);
  const actual = JSON.parse(JSON.stringify(goldenOf(runbook, txt))) as unknown;
  if (process.env.RUNBOOK_UPDATE_GOLDEN === '1') {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    t.skip(`wrote ${file}; review it against the runbook before committing`);
    return;
  }
  assert.ok(existsSync(file), `golden file ${file} is missing; create it with RUNBOOK_UPDATE_GOLDEN=1 and review it`);
  assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
}
