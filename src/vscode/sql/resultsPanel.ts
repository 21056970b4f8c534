// The "Query Results" webview: one panel, reused, kept alive when hidden so results are never lost.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { ToWebview, FromWebview, CopyFormat, ResultSetView } from '../../shared/resultsMessages';
import { toCsv, toJson, toMarkdown } from '../../core/sql/formatResults';
import { newNonce, resultsHtml } from './resultsHtml';
import { Disposable } from '../../core/lifecycle/disposable';

export interface ResultsPanelEvents {
  onCancel(runId: number): void;
}

/** How long a new panel gets to load its script before a message to it is given up. */
const READY_TIMEOUT_MS = 15_000;

const FORMATS: Record<CopyFormat, { label: string; extension: string }> = {
  csv: { label: 'CSV', extension: 'csv' },
  markdown: { label: 'Markdown', extension: 'md' },
  json: { label: 'JSON', extension: 'json' },
};

interface OpenPanel {
  panel: vscode.WebviewPanel;
  /** Resolves true once the webview has said it is ready, false if the panel closed first. */
  ready: Promise<boolean>;
}

export class ResultsPanel extends Disposable {
  private open: OpenPanel | undefined;
  private lastSets: ResultSetView[] = [];
  private lastSaveFormat: CopyFormat = 'csv';
  /**
   * The webview's report on the last finished results (for benchmarks): `ms` from the extension's
   * postMessage to after the first frame showing them was painted, `buildMs` building the DOM.
   */
  lastRender: { ms: number; buildMs: number; rows: number } | undefined;
  private renderWaiters: Array<{ resolve: (ms: number) => void; reject: (error: Error) => void }> = [];

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly events: ResultsPanelEvents,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    super();
  }

  /**
   * Shows a message in the panel, opening it when needed. Never waits forever: a panel closed
   * before its page loaded is opened again for finished results, and a page that never loads is
   * closed and given up after READY_TIMEOUT_MS (once: retrying would wait on the same page again).
   */
  async show(message: ToWebview): Promise<void> {
    if (message.type === 'finished') this.lastSets = message.sets;
    for (let attempt = 0; attempt < 2; attempt++) {
      const open = this.ensurePanel();
      const ready = await withTimeout(open.ready, READY_TIMEOUT_MS, false);
      if (ready && this.open === open) {
        await open.panel.webview.postMessage(stamped(message));
        return;
      }
      if (this.open === open) {
        // Still open but never ready: a stuck page. Closed, so the next message gets a new panel instead of another wait.
        open.panel.dispose();
        break;
      }
      // "Running…" for a panel the user closed is stale by now; finished results are worth a new panel.
      if (message.type !== 'finished') return;
    }
    if (message.type === 'finished')
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
    return this.open?.panel.visible ?? false;
  }

  /** The webview's HTML as set, for checks of its Content Security Policy. */
  get html(): string | undefined {
    return this.open?.panel.webview.html;
  }

  /** Closes the panel (as the user would with its tab's close button). */
  close(): void {
    this.open?.panel.dispose();
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
      `Saved ${order.length} row${order.length === 1 ? '' : 's'} as ${FORMATS[chosen].label} to ${vscode.workspace.asRelativePath(target)}`,
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

  private ensurePanel(): OpenPanel {
    if (this.open) {
      if (!this.open.panel.visible) this.open.panel.reveal(vscode.ViewColumn.Beside, true);
      return this.open;
    }
    const roots = [
      vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
      vscode.Uri.joinPath(this.extensionUri, 'media'),
    ];
    const panel = vscode.window.createWebviewPanel(
      'runbook.queryResults',
      'Query Results',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      {
        enableScripts: true,
        retainContextWhenHidden: true,
        localResourceRoots: roots,
      },
    );
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'runbook.svg');
    let settle: (ready: boolean) => void = () => undefined;
    const ready = new Promise<boolean>((resolve) => (settle = resolve));
    panel.webview.html = resultsHtml({
      cspSource: panel.webview.cspSource,
      scriptUri: panel.webview
        .asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'resultsMain.js'))
        .toString(),
      styleUri: panel.webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'results.css')).toString(),
      nonce: newNonce(),
    });
    const open: OpenPanel = { panel, ready };
    const subscriptions = [
      panel.webview.onDidReceiveMessage((m: FromWebview) => {
        if (m.type === 'ready') settle(true);
        else void this.handle(m);
      }),
      panel.onDidDispose(() => {
        settle(false);
        this.settleWaiters({ error: new Error('The Query Results panel was closed before the results were painted.') });
        if (this.open === open) this.open = undefined;
        for (const s of subscriptions) s.dispose();
      }),
    ];
    this.open = open;
    return open;
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
          `$(check) Copied ${m.rowOrder.length} row${m.rowOrder.length === 1 ? '' : 's'} as ${FORMATS[m.format].label}`,
          3000,
        );
        return;
      }
      case 'save':
        await this.save(m.setIndex, m.rowOrder);
        return;
      default:
        return;
    }
  }

  private format(setIndex: number, format: CopyFormat, rowOrder: number[]): string | undefined {
    const set = this.lastSets[setIndex];
    if (!set) return undefined;
    return format === 'csv'
      ? toCsv(set, rowOrder)
      : format === 'markdown'
        ? toMarkdown(set, rowOrder)
        : toJson(set, rowOrder);
  }

  protected override onDispose(): void {
    this.open?.panel.dispose();
    // No panel, no render: nothing may wait for one past the extension's life.
    this.settleWaiters({ error: new Error('The Query Results panel was disposed before the results were painted.') });
  }
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

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
