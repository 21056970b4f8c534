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

/** `query`: a query for another system (PromQL), shown and copied, never run. */
export type SnippetCategory = 'sql' | 'shell' | 'query' | 'mermaid' | 'data' | 'code' | 'checklist' | 'text';

export interface Placeholder {
  /** The name the runners prompt for: `NAMESPACE` for `[NAMESPACE]`, `vm_name` for `<vm name>`. */
  name: string;
  /** 0-based line in the document. */
  line: number;
  /** 0-based column of the placeholder's first character in that line of the snippet source (fence indentation stripped). */
  column: number;
  /** How the runbook writes it, when not as `<name>`: `[NAMESPACE]`, `{BRANCH_SLUG}`, `${REGION}`, `<vm name>`. */
  written?: string;
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
  /**
   * What the runners run, line for line with `source`: a transcript's prompts become spaces and its output empty
   * lines (only the commands run), and every placeholder is spelled `<name>` (`[NAMESPACE]` as `<NAMESPACE>`), so the
   * SQL binder and the shell substitution prompt for and quote each one as they always have. Equal to `source` for
   * blocks that do not run.
   */
  body: string;
  /** The block as written in the runbook, for display and for anything that shows the text. */
  source: string;
  /** Set when the block is a transcript: `$ command` lines and their output, or `db=# select …;` and its result. */
  transcript?: 'shell' | 'psql';
  closed: boolean;
  label: string;
  /** The heading the block stands under: a section's id, or the id of a playbook part written as a heading. */
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

/**
 * What a part of a playbook is for, read from its label: what is wrong (Symptoms, Meaning, Impact), how to find out
 * (Diagnosis, Investigation, Possible checks), what to do (Mitigation, Resolution, Steps), who to call (Escalation)
 * and background (Possible causes, Prevention, Related alerts).
 */
export type PartRole = 'symptoms' | 'diagnosis' | 'mitigation' | 'escalation' | 'background';

/**
 * A group inside a section introduced by a bold label (`**Diagnosis:**`, also followed by text on the same
 * line) or, inside a playbook, by a sub-heading (`## Mitigation` under the alert's `# KubeDiskFull`).
 */
export interface Part {
  label: string;
  role?: PartRole;
  line: number;
  endLine: number;
  /** Text after the label on the same paragraph ("run the query below"). */
  text?: string;
  items: ContentNode[];
  /** Set for a part written as a heading: its slug, which the sections under it name as their parent. */
  id?: string;
  /** Headings under a part written as a heading (`### Data retention` under `## Mitigation`). */
  sections?: Section[];
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

/**
 * How a playbook was recognised: a prefixed title (`Playbook:`, `Alert:`, …); sub-headings or bold labels that name
 * its parts; or a problem with checks or fixes under a group heading (Troubleshooting, Known issues, Alerts, …).
 */
export type PlaybookShape = 'prefixed' | 'parts' | 'group';

export interface Playbook {
  id: string;
  name: string;
  sectionId: string;
  line: number;
  endLine: number;
  foundBy: PlaybookShape;
  symptoms?: Part;
  diagnosis?: Part;
  mitigation?: Part;
  escalation?: Part;
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
