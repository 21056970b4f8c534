// A readable projection of a runbook model for golden files: 1-based lines ("L242-257") so a reviewer can
// check each entry against the markdown, and one line of text per tree node.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { Runbook, Section, Part, ContentNode } from '../../../src/core/model/types';
import { typedTableNames } from '../../../src/core/model/outline';
import { PROJECT_ROOT } from '../../helpers/seed';

type GoldenNode = string | { node: string; children: GoldenNode[] };

const lines = (from: number, to: number) => (from === to ? `L${from + 1}` : `L${from + 1}-${to + 1}`);

export function goldenOf(runbook: Runbook): unknown {
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
        text = `${lines(s.startLine, s.endLine)} ${s.category === 'checklist' ? 'checklist block' : s.language || 'text'} "${s.label}"`;
        break;
      }
      case 'table': {
        const t = runbook.tables[content.tableIndex];
        text = `${lines(t.line, t.endLine)} table ${typedKinds.get(t.index) ?? 'untyped'} (${t.rows.length} rows)`;
        break;
      }
      case 'checklist':
        text = `L${content.item.line + 1} ${content.item.checked ? '[x]' : '[ ]'} ${content.item.text}`;
        children = content.children ?? [];
        break;
      case 'step':
      case 'bullet':
        text = `${lines(content.line, content.endLine)} ${content.kind} ${content.ordinal !== undefined ? `${content.ordinal}. ` : ''}${content.text}`;
        children = content.children ?? [];
        break;
    }
    return children.length ? { node: text, children: children.map(node) } : text;
  };
  const part = (p: Part) => ({
    part: p.label,
    ...(p.role ? { role: p.role } : {}),
    lines: lines(p.line, p.endLine),
    ...(p.text ? { text: p.text } : {}),
    content: p.items.map(node),
  });
  const section = (s: Section): unknown => ({
    title: s.title,
    id: s.id,
    level: s.level,
    lines: lines(s.line, s.endLine),
    ...(s.items.length ? { content: s.items.map(node) } : {}),
    ...(s.parts.length ? { parts: s.parts.map(part) } : {}),
    ...(s.children.length ? { sections: s.children.map(section) } : {}),
  });
  const partLines = (p: Part | undefined) => (p ? `${p.label} ${lines(p.line, p.endLine)}` : null);
  return {
    lineCount: runbook.lineCount,
    metadata: { ...runbook.metadata, titleLine: runbook.metadata.titleLine === undefined ? undefined : runbook.metadata.titleLine + 1 },
    sections: runbook.sections.map(section),
    playbooks: runbook.playbooks.map((p) => ({
      name: p.name, section: p.sectionId, lines: lines(p.line, p.endLine),
      symptoms: partLines(p.symptoms), diagnosis: partLines(p.diagnosis), mitigation: partLines(p.mitigation),
    })),
    snippets: runbook.snippets.map((s) => ({
      index: s.index,
      id: s.id,
      lines: lines(s.startLine, s.endLine),
      language: s.language,
      category: s.category,
      label: s.label,
      ...(s.playbookId ? { playbook: s.playbookId, part: s.partLabel } : {}),
      ...(s.placeholders.length ? { placeholders: s.placeholders.map((p) => `<${p.name}> L${p.line + 1}:${p.column + 1}`) } : {}),
      ...(s.closed ? {} : { closed: false }),
    })),
    tables: runbook.tables.map((t) => ({ index: t.index, lines: lines(t.line, t.endLine), section: t.title, header: t.header, rows: t.rows.length })),
    typed: Object.fromEntries(typedTableNames(runbook).map((kind) => {
      const value = (runbook.typed as unknown as Record<string, { rows?: unknown[]; tableIndex?: number; line: number }>)[kind];
      return [kind, value.rows ? { table: value.tableIndex, rows: value.rows.length } : { line: value.line + 1 }];
    })),
    typedProblems: runbook.typed.problems.map((p) => `L${p.line + 1} ${p.message}`),
    checklists: runbook.checklists.map((c) => `L${c.line + 1} ${c.checked ? '[x]' : '[ ]'} ${c.text}`),
    mermaid: runbook.mermaid.map((m) => `L${m.line + 1} ${m.diagramType} (snippet #${m.snippetIndex})`),
    diagnostics: runbook.diagnostics.map((d) => `L${d.line + 1} ${d.code}: ${d.message}`),
  };
}

/**
 * Compares the model with a reviewed golden file under test/fixtures/golden. With RUNBOOK_UPDATE_GOLDEN=1 it
 * writes the file instead and skips: the new file must then be read against the runbook before it is committed.
 */
export function assertGolden(t: TestContext, name: string, runbook: Runbook): void {
  const file = join(PROJECT_ROOT, 'test', 'fixtures', 'golden', `${name}.json`);
  const actual = JSON.parse(JSON.stringify(goldenOf(runbook))) as unknown;
  if (process.env.RUNBOOK_UPDATE_GOLDEN === '1') {
    writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
    t.skip(`wrote ${file}; review it against the runbook before committing`);
    return;
  }
  assert.ok(existsSync(file), `golden file ${file} is missing; create it with RUNBOOK_UPDATE_GOLDEN=1 and review it`);
  assert.deepEqual(actual, JSON.parse(readFileSync(file, 'utf8')));
}
