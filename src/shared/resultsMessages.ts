// Messages between the extension and the Query Results webview. Plain JSON; no secrets ever cross.
export interface ResultColumnView {
  name: string;
  typeName: string;
}

export interface QueryTargetView {
  /** "Simple SELECT: 4 ms, target < 10 ms" */
  text: string;
  status: 'within-target' | 'over-target' | 'over-alert';
}

export interface ResultSetView {
  statementIndex: number;
  /** First line of the statement, for the set's heading. */
  statement: string;
  command: string;
  columns: ResultColumnView[];
  /** Display strings; null is SQL NULL, distinct from the text 'NULL'. */
  rows: Array<Array<string | null>>;
  rowCount: number | null;
  capped: boolean;
  maxRows: number;
  durationMs: number;
  target?: QueryTargetView;
}

export interface ErrorView {
  kind: string;
  title: string;
  message: string;
  /** A SQLSTATE (five characters, such as 42703) or a Node error code (ECONNREFUSED). */
  code?: string;
  position?: string;
  detail?: string;
  hint?: string;
  advice?: string;
  statementIndex?: number;
  /** The failing statement's text with a caret line under the error position, when known. */
  excerpt?: string;
}

export interface RunHeader {
  runId: number;
  title: string;
  /** The project as the user reads it everywhere (projectLabel): "staging", "production", "acme (production)". */
  project: string;
  production: boolean;
  mode: 'read' | 'write';
  source: string;
}

export type ToWebview =
  | { type: 'running'; header: RunHeader; statementCount: number }
  | {
      type: 'finished';
      header: RunHeader;
      status: 'ok' | 'error' | 'cancelled';
      sets: ResultSetView[];
      totalMs: number;
      committed: boolean;
      error?: ErrorView;
      /** For a run the user cancelled: how long it ran and what that left behind, shown as a notice, not an error. */
      notice?: string;
      /** performance.timeOrigin + performance.now() in the extension host when it posted this message. */
      postedAt?: number;
    };

export type CopyFormat = 'csv' | 'markdown' | 'json';

export type FromWebview =
  | { type: 'ready' }
  | { type: 'cancel'; runId: number }
  | { type: 'copy'; runId: number; setIndex: number; format: CopyFormat; rowOrder: number[] }
  /** The extension asks for the format (and where) itself. */
  | { type: 'save'; runId: number; setIndex: number; rowOrder: number[] }
  /**
   * The grid has been painted. `ms`: from the extension's postMessage to after the first frame that
   * shows the rows (both clocks are epoch-based, on the same machine); `buildMs`: building the DOM.
   */
  | { type: 'rendered'; runId: number; ms: number; buildMs: number; rows: number };
