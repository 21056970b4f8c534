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

/** A list item: `step` when it is something to do (numbered, or in a Mitigation-like part), else `bullet`. */
export interface ListItemNode {
  kind: 'step' | 'bullet';
  text: string;
  line: number;
  endLine: number;
  ordinal?: number;
  /** Items of a list nested in this one. */
  children?: ContentNode[];
}

export interface ChecklistNode {
  kind: 'checklist';
  item: ChecklistItem;
  children?: ContentNode[];
}

export type ContentNode =
  { kind: 'snippet'; snippetIndex: number } | ChecklistNode | ListItemNode | { kind: 'table'; tableIndex: number };

/** What a part of a playbook is for, read from its label ("Diagnosis", "Resolution", …). */
export type PartRole = 'symptoms' | 'diagnosis' | 'mitigation';

/**
 * A group inside a section introduced by a bold label (`**Diagnosis:**`, also followed by text on the same
 * line) or, inside a playbook, by a sub-heading such as `#### Diagnosis`.
 */
export interface Part {
  label: string;
  role?: PartRole;
  line: number;
  endLine: number;
  /** Text after the label on the same paragraph ("run the query below"). */
  text?: string;
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
  /** Cells written on the raw line, split as markdown-it splits them; it pads or cuts rows to the header width. */
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
  code: 'unclosed-fence' | 'empty-heading' | 'markdown-error';
}

export interface Runbook {
  /** Lines of the document; a final line break ends the last line rather than starting another. */
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
