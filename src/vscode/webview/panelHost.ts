// The webview host: everything a webview panel needs from VS Code, written once. One host per kind of panel, made
// by Webviews.register (webviews.ts) while the extension activates. The Query Results panel
// (src/vscode/sql/resultsPanel.ts) is its first user.
//
// A new panel, say `health`, is four pieces with the same name in each layer:
//   src/shared/health/protocol.ts  its PanelProtocol (src/shared/webview/protocol.ts): toPage, fromPage and state
//                                  types, and its view type `runbook.health`.
//   src/webview/health/main.ts     the page: `const host = connectToHost<HealthProtocol>()` (src/webview/shared),
//                                  host.onMessage(draw), draw with el() (text only), host.ready() once listening,
//                                  host.saveState(…) for what must survive a reload, host.savedState() to redraw it.
//                                  Bundled to dist/webview/health.js by scripts/build.mjs.
//   media/health.css               its styles, loaded after the shared media/webview.css; theme variables only.
//   src/vscode/health/…            `const host = webviews.register(HEALTH_PANEL)` in extension.ts, where HEALTH_PANEL
//                                  is a PanelDefinition below; package.json gets `onWebviewPanel:runbook.health` in
//                                  activationEvents so VS Code can bring the panel back after a window reload.
//
// Using a host:
//   await host.post(message, { reopen })  opens the panel when none is open (or reveals it), waits for the page's
//                                          ready, posts; true once delivered. False when the panel was closed first
//                                          (with `reopen`, a new one is opened once) or the page never got ready
//                                          within readyTimeoutMs (that panel is closed, once, and given up).
//   host.post(message, { reveal: false })  for updates in the background: never opens or reveals the panel; false
//                                          when its page is not there (send the latest from onDidLoadPage).
//   host.onDidReceiveMessage(m => …)       the page's messages, typed by the protocol (the handshake stays here).
//   host.onDidRestore(state => …)          VS Code brought the panel back after a reload; `state` is what the page
//                                          saved, checked by definition.restoreState. The page redraws it itself.
//   host.onDidLoadPage(() => …)            the page (re)loaded and listens: after the panel opened or was restored,
//                                          and each time VS Code reloads the page of a panel kept without
//                                          retainContextWhenHidden when its tab is shown again; send it the latest.
//   host.onDidClose(() => …)               the panel was closed (by the user, close(), or dispose).
//   host.close(), host.visible, host.html  as they say; html is the page as set, for checks of its CSP.
//
// Guarantees: every render gets a fresh nonce and a CSP that denies by default (the one bundled script by nonce,
// styles from the extension, no inline script, style or handler); local resources only from dist/webview and media;
// nothing is posted to or revealed on a disposed panel; no post() waits past the panel's close or the host's dispose.
// Theme: VS Code sets the theme's colours as CSS variables (--vscode-*) and its kind as a class on <body>
// (vscode-light, vscode-dark, vscode-high-contrast, vscode-high-contrast-light), and updates both live when the user
// switches themes: styles use the variables (and the class where high contrast needs a border), never a colour.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import type { FromPage, PanelProtocol } from '../../shared/webview/protocol';
import { newNonce, webviewPageHtml } from './webviewHtml';

export interface PanelDefinition<P extends PanelProtocol> {
  /** The panel's view type, also named in package.json's activationEvents (`onWebviewPanel:<viewType>`). */
  readonly viewType: string;
  readonly title: string;
  /** The page's bundle: dist/webview/<entry>.js, built from src/webview/<entry>/main.ts. */
  readonly entry: string;
  /** The panel's stylesheets in media/, loaded after the shared media/webview.css. */
  readonly styles?: readonly string[];
  /** The tab's icon, a file in media/. */
  readonly icon?: string;
  /** Where a new panel opens, and where a hidden one is revealed; beside the editor by default. */
  readonly column?: vscode.ViewColumn;
  /**
   * Keep the page alive while its tab is hidden. It costs memory, so only for a page whose state is more than its
   * saved state (the results grid's sort, filter and scroll position); others redraw from savedState().
   */
  readonly retainContextWhenHidden?: boolean;
  /** What the page says before its script draws anything. */
  readonly emptyText?: string;
  /**
   * Reads the state VS Code kept for a panel it restores after a reload; undefined drops it (another version's
   * shape, or damaged), and the restored panel starts empty.
   */
  readonly restoreState?: (state: unknown) => P['state'] | undefined;
  /** How long a new page gets to load its script and say ready; 15 s by default. */
  readonly readyTimeoutMs?: number;
}

const DEFAULT_READY_TIMEOUT_MS = 15_000;
/** The stylesheet every panel shares (body, buttons, focus, empty text), before the panel's own. */
const SHARED_STYLESHEET = 'webview.css';

/** One load of a panel's page: true once the page says it is ready, false if the panel closes first. */
class PageLoad {
  readonly ready: Promise<boolean>;
  settled = false;
  private resolve: (ready: boolean) => void = () => undefined;

  constructor() {
    this.ready = new Promise<boolean>((resolve) => (this.resolve = resolve));
  }

  settle(ready: boolean): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(ready);
  }
}

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  /** The page's current load: a new one each time VS Code loads the page afresh. */
  load: PageLoad;
}

export class WebviewPanelHost<P extends PanelProtocol>
  extends Disposable
  implements vscode.WebviewPanelSerializer<unknown>
{
  private open: OpenPanel | undefined;
  private readonly received = this._register(new vscode.EventEmitter<P['fromPage']>());
  private readonly restored = this._register(new vscode.EventEmitter<P['state']>());
  private readonly closed = this._register(new vscode.EventEmitter<void>());
  private readonly loaded = this._register(new vscode.EventEmitter<void>());
  /** The page's messages (everything but the handshake). */
  readonly onDidReceiveMessage = this.received.event;
  /** VS Code restored the panel after a reload, with the state its page had saved. */
  readonly onDidRestore = this.restored.event;
  /**
   * The page said it is ready: once per load of the page, so again when VS Code reloads the page of a panel kept
   * without retainContextWhenHidden as its tab is shown again. The page redraws its saved state by itself; a panel
   * whose data moved on meanwhile posts the latest here.
   */
  readonly onDidLoadPage = this.loaded.event;
  /** The panel closed: by the user, by close(), or because the host was disposed. */
  readonly onDidClose = this.closed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    readonly definition: PanelDefinition<P>,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    super();
  }

  /**
   * Delivers `message` to the page, opening the panel when none is open and revealing it when hidden. Resolves true
   * once posted, false when it could not be: the panel closed before its page was ready (with `reopen`, a new panel
   * is tried once), the page never got ready in time (that panel is closed and given up: waiting again would wait on
   * the same page), or the host is disposed. Never waits longer than the ready timeout, twice.
   * With `reveal: false` (updates in the background) nothing is opened or revealed: the message reaches the page
   * only if it is there, and otherwise the panel sends its latest when the page loads again (onDidLoadPage).
   */
  async post(message: P['toPage'], options: { reopen?: boolean; reveal?: boolean } = {}): Promise<boolean> {
    const reveal = options.reveal ?? true;
    for (let attempt = 0; attempt < 2; attempt++) {
      if (this.isDisposed) return false;
      const open = reveal ? this.ensurePanel() : this.open;
      // A hidden page that VS Code dropped loads only when shown again.
      if (!open || (!reveal && !open.panel.visible && !open.load.settled)) return false;
      const ready = await withTimeout(open.load.ready, this.readyTimeoutMs, false);
      if (ready && this.open === open) {
        try {
          return await open.panel.webview.postMessage(message);
        } catch {
          return false; // closed while the message was on its way
        }
      }
      if (this.open === open) {
        this.log?.warn(
          `The ${this.definition.title} page did not load within ${this.readyTimeoutMs / 1000} s; its panel was closed.`,
        );
        open.panel.dispose();
        return false;
      }
      if (!options.reopen || !reveal) return false;
    }
    return false;
  }

  get visible(): boolean {
    return this.open?.panel.visible ?? false;
  }

  /** The page's HTML as set on the open panel. */
  get html(): string | undefined {
    return this.open?.panel.webview.html;
  }

  /** Closes the panel, as the user would with its tab's close button. */
  close(): void {
    this.open?.panel.dispose();
  }

  /** Called by VS Code for a panel of this view type it restores after a reload (registered by Webviews). */
  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    // One panel per host: a second restored copy (or one restored after this host has gone) is not kept.
    if (this.isDisposed || this.open) {
      panel.dispose();
      return;
    }
    const restored = this.definition.restoreState?.(state);
    // Options as this version of the extension sets them: the saved ones may point into an older install.
    panel.webview.options = this.webviewOptions();
    this.adopt(panel);
    if (restored !== undefined) this.restored.fire(restored);
  }

  private get readyTimeoutMs(): number {
    return this.definition.readyTimeoutMs ?? DEFAULT_READY_TIMEOUT_MS;
  }

  private get column(): vscode.ViewColumn {
    return this.definition.column ?? vscode.ViewColumn.Beside;
  }

  private webviewOptions(): vscode.WebviewOptions {
    return {
      enableScripts: true,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
  }

  private ensurePanel(): OpenPanel {
    if (this.open) {
      if (!this.open.panel.visible) this.open.panel.reveal(this.column, true);
      return this.open;
    }
    const panel = vscode.window.createWebviewPanel(
      this.definition.viewType,
      this.definition.title,
      { viewColumn: this.column, preserveFocus: true },
      { ...this.webviewOptions(), retainContextWhenHidden: this.definition.retainContextWhenHidden ?? false },
    );
    return this.adopt(panel);
  }

  /** Takes a new or restored panel in hand: its listeners first, then its page. */
  private adopt(panel: vscode.WebviewPanel): OpenPanel {
    const open: OpenPanel = { panel, load: new PageLoad() };
    const subscriptions = [
      panel.webview.onDidReceiveMessage((message: unknown) => {
        if (!isMessage(message)) return;
        if (message.type === 'ready') {
          open.load.settle(true);
          this.loaded.fire();
        } else this.received.fire(message as P['fromPage']);
      }),
      panel.onDidChangeViewState(() => {
        // VS Code drops the page of a panel not kept while hidden and loads it afresh when it is shown: a message
        // for it must wait for that load's ready.
        if (!this.definition.retainContextWhenHidden && !panel.visible && open.load.settled) open.load = new PageLoad();
      }),
      panel.onDidDispose(() => {
        open.load.settle(false);
        if (this.open === open) this.open = undefined;
        for (const subscription of subscriptions) subscription.dispose();
        this.closed.fire();
      }),
    ];
    this.open = open;
    if (this.definition.icon) panel.iconPath = this.mediaUri(this.definition.icon);
    this.render(panel);
    return open;
  }

  /** Sets the page, with a nonce of its own. */
  private render(panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    panel.webview.html = webviewPageHtml({
      cspSource: webview.cspSource,
      nonce: newNonce(),
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', `${this.definition.entry}.js`))
        .toString(),
      styleUris: [SHARED_STYLESHEET, ...(this.definition.styles ?? [])].map((name) =>
        webview.asWebviewUri(this.mediaUri(name)).toString(),
      ),
      title: this.definition.title,
      panel: this.definition.entry,
      emptyText: this.definition.emptyText,
    });
  }

  private mediaUri(name: string): vscode.Uri {
    return vscode.Uri.joinPath(this.extensionUri, 'media', name);
  }

  protected override onDispose(): void {
    // Its onDidDispose settles whatever waits for the page.
    this.open?.panel.dispose();
  }
}

function isMessage(value: unknown): value is FromPage<PanelProtocol> {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<T>((resolve) => (timer = setTimeout(() => resolve(fallback), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
