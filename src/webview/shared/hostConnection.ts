// The page's side of the webview host (src/vscode/webview/panelHost.ts): VS Code's webview API, typed by the
// panel's protocol. A page calls connectToHost() once (VS Code allows one acquireVsCodeApi per page), listens with
// onMessage, then says ready(): the host posts nothing before that.
import type { FromPage, PanelProtocol } from '../../shared/webview/protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<P extends PanelProtocol> {
  post(message: P['fromPage']): void;
  /** Calls `handler` with each message from the extension. */
  onMessage(handler: (message: P['toPage']) => void): void;
  /** Tells the host the page listens; call once, after onMessage. */
  ready(): void;
  /**
   * Keeps `state` for when the page is drawn again: after a window reload (VS Code stores it with the editor layout,
   * on disk) or, for a panel not kept alive while hidden, when its tab is shown again. Masked display data only.
   */
  saveState(state: P['state']): void;
  /** What saveState kept last, unchecked: read it through the panel's own check before drawing it. */
  savedState(): unknown;
}

export function connectToHost<P extends PanelProtocol>(): HostConnection<P> {
  const vscode = acquireVsCodeApi();
  const send = (message: FromPage<P>) => vscode.postMessage(message);
  return {
    post: send,
    onMessage(handler) {
      window.addEventListener('message', (event: MessageEvent<P['toPage']>) => {
        const message = event.data;
        if (typeof message === 'object' && message !== null && typeof message.type === 'string') handler(message);
      });
    },
    ready: () => send({ type: 'ready' }),
    saveState: (state) => vscode.setState(state),
    savedState: () => vscode.getState(),
  };
}
