// Knows every runbook in the workspace and its current model. Open editors win over files on disk so the
// tree follows typing; changes are debounced; file creation, deletion and renames are watched. A document
// closed without saving goes back to what is on disk.
import * as vscode from 'vscode';
import { parseRunbook } from '../../core/model/parseRunbook';
import type { Runbook } from '../../core/model/types';
import type { RunbookConfig } from '../settings';
import { Disposable, disposeAll } from '../../core/lifecycle/disposable';

export interface IndexedRunbook {
  uri: vscode.Uri;
  runbook: Runbook;
  /** The text the model was built from. */
  text: string;
  /** The sample shipped with the extension, shown when the workspace has no runbook. */
  isSample: boolean;
  /** Document version the model was built from, or -1 when read from disk. */
  version: number;
}

const SAMPLE_PATH = ['runbook', 'operations-runbook.md'];

export class RunbookIndex extends Disposable {
  private readonly entries = new Map<string, IndexedRunbook>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  // Models parsed on demand (CodeLens, Run at Cursor) ahead of the debounced reparse. They wait here rather than
  // in `entries`, because an entry replaced without firing onDidChange would leave the tree and Problems stale.
  private readonly parsedAhead = new Map<string, IndexedRunbook>();
  private watchers: vscode.Disposable[] = [];
  private scanning: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: RunbookConfig,
  ) {
    super();
    for (const subscription of [
      vscode.workspace.onDidChangeTextDocument((e) => this.scheduleReparse(e.document)),
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (this.entries.has(d.uri.toString())) this.scheduleReparse(d);
      }),
      // Closing an edited runbook without saving leaves the file as it was: the model follows the file again.
      vscode.workspace.onDidCloseTextDocument((d) => this.scheduleDiskReload(d.uri, { evenIfOpen: true })),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.rescan()),
      config.onDidChange((change) => {
        if (change.affects('files', 'exclude', 'showSampleWhenEmpty')) void this.rescan();
      }),
    ])
      this._register(subscription);
  }

  get all(): IndexedRunbook[] {
    return [...this.entries.values()].sort(
      (a, b) => Number(a.isSample) - Number(b.isSample) || a.uri.path.localeCompare(b.uri.path),
    );
  }

  get(uri: vscode.Uri): IndexedRunbook | undefined {
    return this.entries.get(uri.toString());
  }

  /** The model for any markdown document: indexed, or parsed now (a runbook opened from outside the globs). */
  modelFor(document: vscode.TextDocument): IndexedRunbook {
    const key = document.uri.toString();
    const known = this.entries.get(key);
    if (known && known.version === document.version) return known;
    const ahead = this.parsedAhead.get(key);
    if (ahead && ahead.version === document.version) return ahead;
    const text = document.getText();
    const entry: IndexedRunbook = {
      uri: document.uri,
      runbook: parseRunbook(text),
      text,
      isSample: known?.isSample ?? this.isSampleUri(document.uri),
      version: document.version,
    };
    // Only indexed runbooks are kept; the debounced reparse publishes the model (and fires onDidChange).
    if (known) this.parsedAhead.set(key, entry);
    return entry;
  }

  /** Resolves once the first scan and every scheduled reparse have finished. */
  async whenIdle(): Promise<void> {
    if (this.scanning) await this.scanning;
    if (this.pending.size === 0) return;
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  rescan(): Promise<void> {
    const run = this.scan().catch((error: unknown) =>
      this.log.error(`Scanning for runbooks failed: ${(error as Error).message}`),
    );
    this.scanning = run.finally(() => {
      if (this.scanning === tracked) this.scanning = undefined;
    });
    const tracked = this.scanning;
    return tracked;
  }

  private async scan(): Promise<void> {
    const settings = this.config.settings;
    this.rewatch(settings.files);
    const found = new Map<string, vscode.Uri>();
    for (const glob of settings.files) {
      const uris = await vscode.workspace.findFiles(glob, settings.exclude, 500);
      for (const uri of uris) found.set(uri.toString(), uri);
    }
    const next = new Map<string, IndexedRunbook>();
    for (const uri of found.values()) {
      const entry = await this.load(uri, false);
      if (entry) next.set(uri.toString(), entry);
    }
    if (next.size === 0 && settings.showSampleWhenEmpty) {
      const sample = vscode.Uri.joinPath(this.extensionUri, ...SAMPLE_PATH);
      const entry = await this.load(sample, true);
      if (entry) next.set(sample.toString(), entry);
    }
    this.entries.clear();
    this.parsedAhead.clear();
    for (const [k, v] of next) this.entries.set(k, v);
    this.log.info(
      `Indexed ${this.entries.size} runbook(s): ${[...this.entries.values()].map((e) => vscode.workspace.asRelativePath(e.uri)).join(', ')}`,
    );
    this.changed.fire();
  }

  private async load(uri: vscode.Uri, isSample: boolean, fromDisk = false): Promise<IndexedRunbook | undefined> {
    const open = fromDisk
      ? undefined
      : vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString() && !d.isClosed);
    if (open) {
      const text = open.getText();
      return { uri, runbook: parseRunbook(text), text, isSample, version: open.version };
    }
    try {
      const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
      return { uri, runbook: parseRunbook(text), text, isSample, version: -1 };
    } catch (error) {
      this.log.warn(`Cannot read ${uri.toString(true)}: ${(error as Error).message}`);
      return undefined;
    }
  }

  private rewatch(globs: readonly string[]): void {
    disposeAll(this.watchers);
    this.watchers = [];
    // A scan that ends after deactivation watches nothing.
    if (this.isDisposed) return;
    for (const glob of globs) {
      const watcher = vscode.workspace.createFileSystemWatcher(glob);
      const onFileEvent = () => this.scheduleRescan();
      this.watchers.push(
        watcher,
        watcher.onDidCreate(onFileEvent),
        watcher.onDidDelete(onFileEvent),
        watcher.onDidChange((uri) => this.scheduleDiskReload(uri)),
      );
    }
  }

  private rescanTimer: ReturnType<typeof setTimeout> | undefined;

  private scheduleRescan(): void {
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    this.rescanTimer = setTimeout(() => {
      this.rescanTimer = undefined;
      void this.rescan();
    }, 150);
  }

  private scheduleDiskReload(uri: vscode.Uri, { evenIfOpen = false } = {}): void {
    const key = uri.toString();
    if (!this.entries.has(key)) return;
    const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key && !d.isClosed);
    if (open && !evenIfOpen) return; // the editor's text is the truth while the document is open
    this.debounce(key, async () => {
      // A document reopened in the meantime is the truth again; its own events keep the model current.
      const reopened = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key && !d.isClosed);
      if (!reopened) this.parsedAhead.delete(key);
      const entry = await this.load(uri, this.isSampleUri(uri), !reopened);
      if (entry && this.entries.has(key)) {
        this.entries.set(key, entry);
        this.changed.fire();
      }
    });
  }

  private scheduleReparse(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (!this.entries.has(key)) return;
    this.debounce(key, async () => {
      const current = this.entries.get(key);
      const ahead = this.parsedAhead.get(key);
      this.parsedAhead.delete(key);
      if (!current || current.version === document.version || document.isClosed) return;
      if (ahead && ahead.version === document.version) {
        this.entries.set(key, ahead);
      } else {
        const text = document.getText();
        this.entries.set(key, {
          uri: document.uri,
          runbook: parseRunbook(text),
          text,
          isSample: current.isSample,
          version: document.version,
        });
      }
      this.changed.fire();
    });
  }

  private debounce(key: string, work: () => Promise<void>): void {
    const existing = this.pending.get(key);
    if (existing) clearTimeout(existing);
    const delay = this.config.settings.refreshDelayMs;
    const timer = setTimeout(() => {
      work()
        .catch((error: unknown) => this.log.error(`Refreshing ${key} failed: ${(error as Error).message}`))
        .finally(() => {
          // A newer change may have scheduled its own work meanwhile; that one is still pending.
          if (this.pending.get(key) === timer) this.pending.delete(key);
          if (this.pending.size === 0) {
            const waiters = this.idleWaiters;
            this.idleWaiters = [];
            for (const w of waiters) w();
          }
        });
    }, delay);
    this.pending.set(key, timer);
  }

  private isSampleUri(uri: vscode.Uri): boolean {
    return uri.toString() === vscode.Uri.joinPath(this.extensionUri, ...SAMPLE_PATH).toString();
  }

  protected override onDispose(): void {
    for (const t of this.pending.values()) clearTimeout(t);
    if (this.rescanTimer) clearTimeout(this.rescanTimer);
    disposeAll(this.watchers);
    this.watchers = [];
  }
}
