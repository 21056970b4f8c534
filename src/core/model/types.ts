// The runbook model: plain data with 0-based line numbers. Only src/vscode turns it into Ranges and TreeItems.
import type { TypedTables } from '../tables/typedTableTypes';

export interface RunbookMetadata {
  title?: string;
  titleLine?: number;
  lastUpdated?: string;
  owner?: string;
  onCallEscalation?: string;
  /** Every `**Key**: value` line of the preamble and every front-matter key, as written. */
  fields: Record<string, string>;
}

export type SnippetCategory = 'sql' | 'shell' | 'mermaid' | 'data' | 'code' | 'checklist' | 'text';

export interface Placeholder {
  name: string;
  /** 0-based line in the document. */
  line: number;
  /** 0-based column of the `<` in that line of the snippet body (fence indentation stripped). */
  column: number;
}

export interface Snippet {
  /** Stable while the snippet stays in its section: `<sectionId>/<ordinal in section>`. */
  id: string;
  index: number;
  kind: 'fence' | 'indented';
  /** Lower-cased first word of the info string, '' when the fence has none. */
  language: string;
  info: string;
  category: SnippetCategory;
  /** The opening fence line (or first line of an indented block). */
  startLine: number;
  /** The closing fence line, or the last line of the block when the fence is never closed. */
  endLine: number;
  /** First line of the body; equals endLine + 1 for an empty block. */
  bodyStartLine: number;
  body: string;
  closed: boolean;
  label: string;
  sectionId: string;
  playbookId?: string;
  partLabel?: string;
  placeholders: Placeholder[];
}

export interface ChecklistItem {
  text: string;
  checked: boolean;
  line: number;
  sectionId: string;
  /** Set when the item is a `□` line inside a fenced block. */
  snippetIndex?: number;
}

export interface ListItemNode {
  kind: 'step' | 'bullet';
  text: string;
  line: number;
  endLine: number;
  ordinal?: number;
}

export type ContentNode =
  | { kind: 'snippet'; snippetIndex: number }
  | { kind: 'checklist'; item: ChecklistItem }
  | ListItemNode
  | { kind: 'table'; tableIndex: number };

/** A group inside a section introduced by a bold label paragraph such as `**Diagnosis:**`. */
export interface Part {
  label: string;
  line: number;
  endLine: number;
  items: ContentNode[];
}

export interface Section {
  id: string;
  title: string;
  level: number;
  line: number;
  endLine: number;
  parentId?: string;
  children: Section[];
  /** Content before the first part, then parts in order. */
  items: ContentNode[];
  parts: Part[];
  playbookId?: string;
}

export interface Playbook {
  id: string;
  name: string;
  sectionId: string;
  line: number;
  endLine: number;
  symptoms?: Part;
  diagnosis?: Part;
  mitigation?: Part;
}

export interface TableRow {
  cells: string[];
  /** Cells counted on the raw line; markdown-it pads or cuts rows to the header width. */
  rawCellCount: number;
  line: number;
}

export interface Table {
  index: number;
  line: number;
  endLine: number;
  header: string[];
  rows: TableRow[];
  sectionId: string;
  /** Title of the section the table stands in. */
  title: string;
}

export interface MermaidBlock {
  snippetIndex: number;
  line: number;
  diagramType: string;
}

export interface ParseDiagnostic {
  line: number;
  message: string;
  code: 'unclosed-fence' | 'empty-heading' | 'front-matter' | 'unparsed-json';
}

export interface Runbook {
  lineCount: number;
  eol: '\n' | '\r\n';
  metadata: RunbookMetadata;
  sections: Section[];
  playbooks: Playbook[];
  snippets: Snippet[];
  tables: Table[];
  typed: TypedTables;
  checklists: ChecklistItem[];
  mermaid: MermaidBlock[];
  diagnostics: ParseDiagnostic[];
}
