// A readable outline of the model for the command line.
import type { Runbook, Section, ContentNode } from './types';
import { placeholderAsWritten } from './placeholders';

export function formatOutline(runbook: Runbook, fileName: string): string {
  const out: string[] = [];
  const m = runbook.metadata;
  out.push(`${m.title ?? fileName}  (${runbook.lineCount} lines)`);
  if (m.lastUpdated) out.push(`  Last updated: ${m.lastUpdated}`);
  if (m.owner) out.push(`  Owner: ${m.owner}`);
  if (m.onCallEscalation) out.push(`  On-call escalation: ${m.onCallEscalation}`);
  out.push('');
  const walk = (sections: readonly Section[], depth: number) => {
    for (const s of sections) {
      const pad = '  '.repeat(depth);
      out.push(`${pad}${s.playbookId ? '▶ ' : ''}${s.title}  L${s.line + 1}-${s.endLine + 1}`);
      for (const node of s.items) out.push(...describeNode(runbook, node, depth + 1));
      for (const part of s.parts) {
        const role = part.role ? ` (${part.role})` : '';
        out.push(`${pad}  ${part.label}${role}${part.text ? `: ${part.text}` : ''}  L${part.line + 1}`);
        for (const node of part.items) out.push(...describeNode(runbook, node, depth + 2));
        walk(part.sections ?? [], depth + 2);
      }
      walk(s.children, depth + 1);
    }
  };
  walk(runbook.sections, 0);
  out.push('');
  out.push(
    `${runbook.playbooks.length} playbooks, ${runbook.snippets.length} code blocks, ${runbook.tables.length} tables (${typedTableNames(runbook).length} typed: ${typedTableNames(runbook).join(', ') || 'none'}), ${runbook.checklists.length} checklist items`,
  );
  for (const d of runbook.diagnostics) out.push(`! L${d.line + 1}: ${d.message}`);
  return out.join('\n');
}

function describeNode(runbook: Runbook, node: ContentNode, depth: number): string[] {
  const pad = '  '.repeat(depth);
  switch (node.kind) {
    case 'snippet': {
      const s = runbook.snippets[node.snippetIndex];
      const written = [...new Set(s.placeholders.map(placeholderAsWritten))];
      const ph = written.length ? `  placeholders: ${written.join(' ')}` : '';
      const kind = s.language === s.category || !s.language ? s.language || 'plain' : `${s.language}: ${s.category}`;
      const transcript = s.transcript ? `, ${s.transcript} session` : '';
      return [`${pad}[${kind}${transcript}] ${s.label}  L${s.startLine + 1}-${s.endLine + 1}${ph}`];
    }
    case 'checklist':
      return [
        `${pad}${node.item.checked ? '☑' : '☐'} ${node.item.text}  L${node.item.line + 1}`,
        ...describeChildren(runbook, node.children, depth),
      ];
    case 'step':
      return [
        `${pad}${node.ordinal !== undefined ? `${node.ordinal}.` : '→'} ${node.text}  L${node.line + 1}`,
        ...describeChildren(runbook, node.children, depth),
      ];
    case 'bullet':
      return [`${pad}• ${node.text}  L${node.line + 1}`, ...describeChildren(runbook, node.children, depth)];
    case 'table': {
      const t = runbook.tables[node.tableIndex];
      return [`${pad}▦ table ${t.header.join(' | ')} (${t.rows.length} rows)  L${t.line + 1}`];
    }
  }
}

function describeChildren(runbook: Runbook, children: readonly ContentNode[] | undefined, depth: number): string[] {
  return (children ?? []).flatMap((child) => describeNode(runbook, child, depth + 1));
}

export function typedTableNames(runbook: Runbook): string[] {
  return Object.keys(runbook.typed).filter(
    (k) => k !== 'problems' && (runbook.typed as unknown as Record<string, unknown>)[k] !== undefined,
  );
}
