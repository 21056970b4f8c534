// The one controller of the extension's webview panels: each kind of panel is registered here once, during
// activation, which gives it its host (panelHost.ts) and registers that host as the panel's serializer, so VS Code
// can bring the panel back after a window reload (package.json names `onWebviewPanel:<viewType>` to activate for it).
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import type { PanelProtocol } from '../../shared/webview/protocol';
import { WebviewPanelHost, type PanelDefinition } from './panelHost';

export class Webviews extends Disposable {
  private readonly viewTypes = new Set<string>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log?: vscode.LogOutputChannel,
  ) {
    super();
  }

  /** The host of a kind of panel. Call during activate(): VS Code restores panels only through a serializer it knows. */
  register<P extends PanelProtocol>(definition: PanelDefinition<P>): WebviewPanelHost<P> {
    if (this.viewTypes.has(definition.viewType))
      throw new Error(`The webview panel ${definition.viewType} is registered twice.`);
    this.viewTypes.add(definition.viewType);
    const host = this._register(new WebviewPanelHost<P>(this.extensionUri, definition, this.log));
    this._register(vscode.window.registerWebviewPanelSerializer(definition.viewType, host));
    return host;
  }
}
