// The "Query Results" panel: the first user of the webview host (src/vscode/webview). One panel, reused, kept alive
// while hidden so a big grid keeps its sort, filter and scroll; after a window reload VS Code brings it back with
// the last results its page saved (already masked), and copy and save work on them again.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import {
  RESULTS_VIEW_TYPE,
  type CopyFormat,
  type FromWebview,
  type PlaceholderValueView,
  type ResultSetView,
  type ResultsProtocol,
  type ToWebview,
} from '../../shared/results/protocol';
import { readResultsState } from '../../shared/results/state';
import { countOf } from '../../shared/format/count';
import { toCsv, toJson, toMarkdown } from '../../core/sql/formatResults';
import { MASK } from '../../core/secrets/maskSecrets';
import { Disposable } from '../../core/lifecycle/disposable';
import type { PanelDefinition, WebviewPanelHost } from '../webview/panelHost';

export interface ResultsPanelEvents {
  onCancel(runId: number): void;
}

export const RESULTS_PANEL: PanelDefinition<ResultsProtocol> = {
  viewType: RESULTS_VIEW_TYPE,
  title: 'Query Results',
  entry: 'results',
  styles: ['results.css'],
  icon: 'runbook.svg',
  column: vscode.ViewColumn.Beside,
  retainContextWhenHidden: true,
  emptyText: 'Run a SQL snippet from the runbook to see its results here.',
  restoreState: readResultsState,
};

const FORMATS: Record<CopyFormat, { label: string; extension: string }> = {
  csv: { label: 'CSV', extension: 'csv' },
  markdown: { label: 'Markdown', extension: 'md' },
  json: { label: 'JSON', extension: 'json' },
};

/** The values a run's placeholders took, for its header: a secret one shows as the mask, never as typed. */
export function placeholderValuesView(
  placeholders: ReadonlyArray<{ name: string; secret: boolean }>,
  values: ReadonlyMap<string, string>,
): PlaceholderValueView[] {
  return placeholders
    .filter((p) => values.has(p.name))
    .map((p) => ({ name: p.name, value: p.secret ? MASK : values.get(p.name)!, secret: p.secret }));
}

export class ResultsPanel extends Disposable {
  private lastSets: ResultSetView[] = [];
  private lastSaveFormat: CopyFormat = 'csv';
  /**
   * The webview's report on the last finished results (for benchmarks): `ms` from the extension's
   * postMessage to after the first frame showing them was painted, `buildMs` building the DOM.
   */
  lastRender: { ms: number; buildMs: number; rows: number } | undefined;
  private renderWaiters: Array<{ resolve: (ms: number) => void; reject: (error: Error) => void }> = [];

  constructor(
    private readonly host: WebviewPanelHost<ResultsProtocol>,
    private readonly events: ResultsPanelEvents,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    super();
    this._register(host.onDidReceiveMessage((message) => void this.handle(message)));
    this._register(
      host.onDidClose(() =>
        this.settleWaiters({ error: new Error('The Query Results panel was closed before the results were painted.') }),
      ),
    );
    // After a reload the page redraws what it saved; copy and save need the same rows here.
    this._register(
      host.onDidRestore((state) => (this.lastSets = state.shown.type === 'finished' ? state.shown.sets : [])),
    );
  }

  /**
   * Shows a message in the panel, opening it when needed. Never waits forever: a panel closed
   * before its page loaded is opened again for finished results, and a page that never loads is
   * closed and given up (once: retrying would wait on the same page again).
   */
  async show(message: ToWebview): Promise<void> {
    if (this.isDisposed) return;
    if (message.type === 'finished') this.lastSets = message.sets;
    // "Running…" for a panel the user closed is stale by now; finished results are worth a new panel.
    const shown = await this.host.post(stamped(message), { reopen: message.type === 'finished' });
    if (!shown && message.type === 'finished')
      this.log?.warn('The Query Results panel did not load; the results are in the run journal only.');
  }

  /** Resolves with the render time of the next finished result set; rejects if the panel closes first. */
  nextRender(): Promise<number> {
    return new Promise((resolve, reject) => this.renderWaiters.push({ resolve, reject }));
  }

  /** Settles every nextRender() waiting: with the render time, or with why none will come. */
  private settleWaiters(outcome: { ms: number } | { error: Error }): void {
    const waiters = this.renderWaiters;
    this.renderWaiters = [];
    for (const waiter of waiters) {
      if ('ms' in outcome) waiter.resolve(outcome.ms);
      else waiter.reject(outcome.error);
    }
  }

  get visible(): boolean {
    return this.host.visible;
  }

  /** The webview's HTML as set, for checks of its Content Security Policy. */
  get html(): string | undefined {
    return this.host.html;
  }

  /** Closes the panel (as the user would with its tab's close button). */
  close(): void {
    this.host.close();
  }

  /**
   * Saves a result set of the last run. Without `format` the user picks one; without `target` the
   * save dialog asks where. Returns the file written, if any.
   */
  async save(
    setIndex = 0,
    rowOrder?: number[],
    format?: CopyFormat,
    target?: vscode.Uri,
  ): Promise<vscode.Uri | undefined> {
    const set = this.lastSets[setIndex];
    if (!set) {
      void vscode.window.showInformationMessage('There are no query results to save yet.');
      return undefined;
    }
    const order = rowOrder ?? set.rows.map((_, i) => i);
    let chosen = format ?? (target ? formatOfPath(target.path) : await this.pickFormat());
    if (!chosen) return undefined;
    if (!target) {
      const { label, extension } = FORMATS[chosen];
      target = await vscode.window.showSaveDialog({
        title: `Save Query Results as ${label}`,
        defaultUri: vscode.Uri.joinPath(
          vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()),
          `query-results.${extension}`,
        ),
        filters: { [label]: [extension] },
      });
      if (!target) return undefined;
      // A name typed with another known extension says what the user wants.
      chosen = formatOfPath(target.path) ?? chosen;
    }
    this.lastSaveFormat = chosen;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(this.format(setIndex, chosen, order)!));
    void vscode.window.showInformationMessage(
      `Saved ${countOf(order.length, 'row')} as ${FORMATS[chosen].label} to ${vscode.workspace.asRelativePath(target)}`,
    );
    return target;
  }

  private async pickFormat(): Promise<CopyFormat | undefined> {
    const formats = (Object.keys(FORMATS) as CopyFormat[]).sort(
      (a, b) => Number(b === this.lastSaveFormat) - Number(a === this.lastSaveFormat),
    );
    const choice = await vscode.window.showQuickPick(
      formats.map((format) => ({ label: FORMATS[format].label, description: `.${FORMATS[format].extension}`, format })),
      {
        title: 'Save Query Results',
        placeHolder: 'Save the rows as shown (sorted and filtered) in which format?',
      },
    );
    return choice?.format;
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'cancel':
        this.events.onCancel(m.runId);
        return;
      case 'rendered': {
        this.lastRender = { ms: m.ms, buildMs: m.buildMs, rows: m.rows };
        this.settleWaiters({ ms: m.ms });
        return;
      }
      case 'copy': {
        const text = this.format(m.setIndex, m.format, m.rowOrder);
        if (text === undefined) return;
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage(
          `$(check) Copied ${countOf(m.rowOrder.length, 'row')} as ${FORMATS[m.format].label}`,
          3000,
        );
        return;
      }
      case 'save':
        if (!isRowOrder(m.rowOrder, this.lastSets[m.setIndex]?.rows.length ?? 0)) return;
        await this.save(m.setIndex, m.rowOrder);
        return;
      default:
        return;
    }
  }

  /** The rows in `rowOrder` as `format`; undefined for anything the page could not have sent about these results. */
  private format(setIndex: number, format: CopyFormat, rowOrder: number[]): string | undefined {
    const set = this.lastSets[setIndex];
    if (!set || !Object.hasOwn(FORMATS, format) || !isRowOrder(rowOrder, set.rows.length)) return undefined;
    return format === 'csv'
      ? toCsv(set, rowOrder)
      : format === 'markdown'
        ? toMarkdown(set, rowOrder)
        : toJson(set, rowOrder);
  }

  protected override onDispose(): void {
    // No panel, no render: nothing may wait for one past the extension's life.
    this.settleWaiters({ error: new Error('The Query Results panel was disposed before the results were painted.') });
  }
}

function isRowOrder(order: unknown, rows: number): order is number[] {
  return Array.isArray(order) && order.every((i) => Number.isInteger(i) && i >= 0 && i < rows);
}

function formatOfPath(path: string): CopyFormat | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase();
  if (extension === 'csv') return 'csv';
  if (extension === 'md' || extension === 'markdown') return 'markdown';
  if (extension === 'json') return 'json';
  return undefined;
}

/** The moment the extension posts a message, so the webview can time delivery and paint. */
function stamped(message: ToWebview): ToWebview {
  return message.type === 'finished' ? { ...message, postedAt: performance.timeOrigin + performance.now() } : message;
}
