// The project `supabase link` recorded in a workspace folder (supabase/.temp/project-ref): where the CLI sends
// hosted-only commands and `--linked`, whatever project is active in the extension. Read on demand and cached until
// the file changes.
import * as vscode from 'vscode';
import { readLinkedRef } from '../../node/supabase/linkedRef';
import { Disposable } from '../../core/lifecycle/disposable';

export class LinkedRefs extends Disposable {
  private readonly cache = new Map<string, string | undefined>();
  private readonly watcher = this._register(vscode.workspace.createFileSystemWatcher('**/supabase/.temp/project-ref'));
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;

  constructor() {
    super();
    const forget = () => {
      this.cache.clear();
      this.changed.fire();
    };
    for (const subscription of [
      this.watcher.onDidCreate(forget),
      this.watcher.onDidChange(forget),
      this.watcher.onDidDelete(forget),
    ])
      this._register(subscription);
  }

  /** The linked ref of the folder (an absolute path), or undefined when nothing valid is linked there. */
  refOf(folder: string | undefined): string | undefined {
    if (!folder) return undefined;
    if (this.cache.has(folder)) return this.cache.get(folder);
    const ref = readLinkedRef(folder);
    this.cache.set(folder, ref);
    return ref;
  }
}
