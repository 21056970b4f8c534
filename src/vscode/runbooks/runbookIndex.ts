// Knows every runbook in the workspace and its current model. Open editors win over files on disk so the
// tree follows typing; changes are debounced; file creation, deletion and renames are watched. A document
// closed without saving goes back to what is on disk. Large runbooks are parsed and checked in the model worker
// (src/node/model), so neither typing nor the lenses that VS Code asks for after each keystroke wait for them.
import * as vscode from 'vscode';
import type { Runbook } from '../../core/model/types';
import type { RunbookConfig } from '../settings';
import type { Problem } from '../../core/check/checkRunbook';
import type { RunbookParser } from '../../node/model/runbookParser';
import { Disposable, disposeAll } from '../../core/lifecycle/disposable';

/** A runbook's model as of one text: an indexed runbook's, or one built for an editor (lenses, a run). */
export interface RunbookModel {
  uri: vscode.Uri;
  runbook: Runbook;
  /** The text the model was built from. */
  text: string;
  /** The sample shipped with the extension, shown when the workspace has no runbook. */
  isSample: boolean;
  /** Document version the model was built from, or -1 when read from disk. */
  version: number;
  /** What `check` reports, when it was found with the model. */
  problems?: Problem[];
}

/** A runbook the index knows: its model and what `check` reports (the Problems panel shows it). */
export interface IndexedRunbook extends RunbookModel {
  problems: Problem[];
}

const SAMPLE_PATH = ['runbook', 'operations-runbook.md'];

export class RunbookIndex extends Disposable {
  private readonly entries = new Map<string, IndexedRunbook>();
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  // Models parsed on demand (CodeLens, Run at Cursor) ahead of the debounced reparse. They wait here rather than
  // in `entries`, because an entry replaced without firing onDidChange would leave the tree and Problems stale.
  private readonly parsedAhead = new Map<string, RunbookModel>();
  private watchers: vscode.Disposable[] = [];
  private scanning: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: RunbookConfig,
    private readonly parser: RunbookParser,
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

  /**
   * The model for any markdown document, to draw from (lenses): indexed, or parsed now (a runbook opened from outside
   * the globs). For a large runbook being edited this is the last model built while the worker builds the current one;
   * onDidChange fires when it lands. Anything that acts on a snippet asks `currentModel`.
   */
  async modelFor(document: vscode.TextDocument): Promise<RunbookModel> {
    const key = document.uri.toString();
    const known = this.entries.get(key);
    if (known && known.version === document.version) return known;
    const ahead = this.parsedAhead.get(key);
    if (ahead && ahead.version === document.version) return ahead;
    if (known && this.parser.isLarge(known.text.length)) return ahead ?? known;
    const text = document.getText();
    const version = document.version;
    const entry: RunbookModel = {
      uri: document.uri,
      runbook: await this.parser.parseModel(text),
      text,
      isSample: known?.isSample ?? this.isSampleUri(document.uri),
      version,
    };
    // Only indexed runbooks are kept, and never over a newer model; the debounced reparse publishes the model (and
    // fires onDidChange).
    const newer = this.parsedAhead.get(key);
    if (this.entries.has(key) && !(newer && newer.version > version)) this.parsedAhead.set(key, entry);
    return entry;
  }

  /** The model of the document's text as it is now, for running one of its snippets: never a stale one. */
  async currentModel(document: vscode.TextDocument): Promise<RunbookModel> {
    const key = document.uri.toString();
    const known = this.entries.get(key);
    if (known && known.version === document.version) return known;
    const ahead = this.parsedAhead.get(key);
    if (ahead && ahead.version === document.version) return ahead;
    if (!known || !this.parser.isLarge(document.getText().length)) return this.modelFor(document);
    const version = document.version;
    const entry = await this.build(document.uri, document.getText(), known.isSample, version);
    if (this.entries.has(key) && document.version === version) this.parsedAhead.set(key, entry);
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
    if (open) return this.build(uri, open.getText(), isSample, open.version);
    let text: string;
    try {
      text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(uri));
    } catch (error) {
      this.log.warn(`Cannot read ${uri.toString(true)}: ${(error as Error).message}`);
      return undefined;
    }
    return this.build(uri, text, isSample, -1);
  }

  /** The model and the problems of a text: in the worker when it is large, else here. */
  private async build(uri: vscode.Uri, text: string, isSample: boolean, version: number): Promise<IndexedRunbook> {
    const parsed = await this.parser.parse(text);
    return { uri, runbook: parsed.runbook, problems: parsed.problems, text, isSample, version };
  }

  private rewatch(globs: readonly string[]): void {
    disposeAll(this.watchers);
    this.watchers = [];
    // A scan that ends after deactivation watches nothing.
    if (this.isDisposed) return;
    // Deleting or renaming a folder reports the folder alone, not the runbooks in it.
    const folders = vscode.workspace.createFileSystemWatcher('**/*', true, true, false);
    this.watchers.push(
      folders,
      folders.onDidDelete((uri) => {
        const prefix = `${uri.toString()}/`;
        if ([...this.entries.keys()].some((key) => key.startsWith(prefix))) this.scheduleRescan();
      }),
    );
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
      if (document.getText() === current.text) {
        // Opening a runbook changes its version, not its text: the model stands, and the tree is not rebuilt (which
        // would drop a reveal or a click under way in the view).
        current.version = document.version;
        return;
      }
      const version = document.version;
      // A model the lenses asked for is kept once its problems are found; otherwise the text is parsed again.
      const built: IndexedRunbook =
        ahead && ahead.version === version
          ? { ...ahead, problems: ahead.problems ?? (await this.parser.check(ahead.runbook, ahead.text)) }
          : await this.build(document.uri, document.getText(), current.isSample, version);
      // The document moved on meanwhile: the newer change has its own reparse scheduled.
      if (document.isClosed || document.version !== version || this.entries.get(key) !== current) return;
      this.entries.set(key, built);
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
