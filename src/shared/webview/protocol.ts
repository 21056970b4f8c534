// What every webview panel's messages share, whatever the panel: the page's ready handshake and the shape of a
// panel's protocol. Each panel declares its own protocol in src/shared/<panel>/protocol.ts as a PanelProtocol, and
// both sides are typed by it: the host (src/vscode/webview) and the page (src/webview/shared/hostConnection.ts).
// Plain JSON only; no secret ever crosses.

/** A panel's messages, each side's, and the state its page keeps across window reloads. */
export interface PanelProtocol {
  /** What the extension sends the page. */
  toPage: { type: string };
  /** What the page sends the extension, besides `ready`. */
  fromPage: { type: string };
  /**
   * What the page saves with setState. VS Code keeps it with the editor layout (on disk, in the workspace's
   * storage) and hands it back to the page and to the host's serializer after a reload: masked display data
   * only, never a password, key or token.
   */
  state: unknown;
}

/**
 * The page's first message, sent once its script runs and listens. The host posts nothing before it: a message
 * posted to a page that is still loading is lost.
 */
export interface PageReady {
  type: 'ready';
}

/** Everything a page can send: its panel's messages and the handshake. */
export type FromPage<P extends PanelProtocol> = P['fromPage'] | PageReady;
