// The "Query Results" webview: one panel, reused, kept alive when hidden so results are never lost.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import type { ToWebview, FromWebview, CopyFormat, ResultSetView } from '../../shared/resultsMessages';
import { toCsv, toJson, toMarkdown } from '../../core/sql/formatResults';

export interface ResultsPanelEvents {
  onCancel(runId: number): void;
}

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private ready: Promise<void> | undefined;
  private lastSets: ResultSetView[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  /** Time from posting results to the grid's first paint, reported by the webview (for benchmarks). */
  lastRenderMs: number | undefined;
  private renderWaiters: Array<(ms: number) => void> = [];

  constructor(private readonly extensionUri: vscode.Uri, private readonly events: ResultsPanelEvents) {}

  async show(message: ToWebview): Promise<void> {
    if (message.type === 'finished') this.lastSets = message.sets;
    this.ensurePanel();
    await this.ready;
    await this.panel?.webview.postMessage(message);
  }

  /** Resolves with the render time of the next finished result set. */
  nextRender(): Promise<number> {
    return new Promise((resolve) => this.renderWaiters.push(resolve));
  }

  get visible(): boolean {
    return this.panel?.visible ?? false;
  }

  private ensurePanel(): void {
    if (this.panel) {
      if (!this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, true);
      return;
    }
    const roots = [vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(this.extensionUri, 'media')];
    const panel = vscode.window.createWebviewPanel('runbook.queryResults', 'Query Results', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: roots,
    });
    panel.iconPath = vscode.Uri.joinPath(this.extensionUri, 'media', 'runbook.svg');
    let markReady: () => void = () => undefined;
    this.ready = new Promise((resolve) => { markReady = resolve; });
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: FromWebview) => {
      if (m.type === 'ready') markReady();
      else void this.handle(m);
    }, undefined, this.disposables);
    panel.onDidDispose(() => { this.panel = undefined; this.ready = undefined; }, undefined, this.disposables);
    this.panel = panel;
  }

  private async handle(m: FromWebview): Promise<void> {
    switch (m.type) {
      case 'cancel':
        this.events.onCancel(m.runId);
        return;
      case 'rendered': {
        this.lastRenderMs = m.ms;
        const waiters = this.renderWaiters;
        this.renderWaiters = [];
        for (const w of waiters) w(m.ms);
        return;
      }
      case 'copy': {
        const text = this.format(m.setIndex, m.format, m.rowOrder);
        if (text === undefined) return;
        await vscode.env.clipboard.writeText(text);
        void vscode.window.setStatusBarMessage(`$(check) Copied ${m.rowOrder.length} rows as ${m.format.toUpperCase()}`, 3000);
        return;
      }
      case 'save': {
        const text = this.format(m.setIndex, m.format, m.rowOrder);
        if (text === undefined) return;
        const extension = m.format === 'markdown' ? 'md' : m.format;
        const target = await vscode.window.showSaveDialog({
          title: 'Save Query Results',
          defaultUri: vscode.Uri.joinPath(vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(homedir()), `query-results.${extension}`),
          filters: { [m.format.toUpperCase()]: [extension] },
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
        void vscode.window.showInformationMessage(`Saved ${m.rowOrder.length} rows to ${vscode.workspace.asRelativePath(target)}`);
        return;
      }
      default:
        return;
    }
  }

  private format(setIndex: number, format: CopyFormat, rowOrder: number[]): string | undefined {
    const set = this.lastSets[setIndex];
    if (!set) return undefined;
    return format === 'csv' ? toCsv(set, rowOrder) : format === 'markdown' ? toMarkdown(set, rowOrder) : toJson(set, rowOrder);
  }

  private html(webview: vscode.Webview): string {
    const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', 'resultsMain.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'media', 'results.css'));
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src ${webview.cspSource}; script-src 'nonce-${nonce}'; img-src ${webview.cspSource} data:;">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style}">
<title>Query Results</title>
</head>
<body>
<main id="app" aria-live="polite"><p class="empty">Run a SQL snippet from the runbook to see its results here.</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
