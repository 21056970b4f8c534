// The Query Results panel's protocol: what the extension sends its page, what the page sends back, and what the
// page keeps across a window reload. Plain JSON; no secret ever crosses (values are masked before they are sent).
import type { PanelProtocol } from '../webview/protocol';

/** The panel's view type: package.json activates the extension on `onWebviewPanel:runbook.queryResults`. */
export const RESULTS_VIEW_TYPE = 'runbook.queryResults';

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
  /**
   * Only in a state restored after a reload whose rows were cut to keep the saved state small: how many rows
   * the run showed (`rows` holds the first of them).
   */
  rowsBeforeRestore?: number;
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

/** A placeholder's value as the run used it; a secret one's value is the mask (••••), never the secret. */
export interface PlaceholderValueView {
  name: string;
  value: string;
  secret: boolean;
}

export interface RunHeader {
  runId: number;
  title: string;
  /** The project as the user reads it everywhere (projectLabel): "staging", "production", "acme (production)". */
  project: string;
  production: boolean;
  mode: 'read' | 'write';
  source: string;
  /** The values the block's placeholders took, in order of appearance, so "0 rows" says for which org. */
  placeholders?: PlaceholderValueView[];
}

export interface RunningMessage {
  type: 'running';
  header: RunHeader;
  statementCount: number;
}

export interface FinishedMessage {
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
}

export type ToWebview = RunningMessage | FinishedMessage;

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

/**
 * What the page keeps across a window reload (setState), and VS Code hands back to it and to the panel's
 * serializer: the last run it showed, finished or still running when the window went away. Versioned, so a
 * state saved by another version of the extension is dropped rather than misread.
 */
export interface ResultsState {
  version: 1;
  shown: ToWebview;
}

export interface ResultsProtocol extends PanelProtocol {
  toPage: ToWebview;
  fromPage: FromWebview;
  state: ResultsState;
}
