// The one reader of the `runbook.*` settings (as rust-analyzer's config.ts owns its configuration): it parses them
// through the schema in core (src/core/settings/runbookSettings.ts, unit-tested without VS Code), keeps the result,
// says which settings a change touched, and logs each problem (a broken project entry, a bad value falling back to
// its default) once, when it first appears, never once per reader.
import * as vscode from 'vscode';
import {
  parseRunbookSettings,
  RUNBOOK_SETTING_KEYS,
  type RunbookSettingKey,
  type RunbookSettings,
} from '../core/settings/runbookSettings';
import { Disposable } from '../core/lifecycle/disposable';

export { DEFAULT_RUNBOOK_GLOBS, DEFAULT_EXCLUDE, type RunbookSettings } from '../core/settings/runbookSettings';

/** The settings that a change of the configuration touched (their parsed values differ). */
export interface RunbookSettingsChange {
  readonly keys: ReadonlySet<RunbookSettingKey>;
  affects(...keys: RunbookSettingKey[]): boolean;
}

export class RunbookConfig extends Disposable {
  private current: RunbookSettings;
  private reported = new Set<string>();
  private readonly changed = this._register(new vscode.EventEmitter<RunbookSettingsChange>());
  /** Fires once per change of the configuration that changed any runbook setting, naming those settings. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly log: vscode.LogOutputChannel) {
    super();
    this.current = this.read();
    this._register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('runbook')) this.reload();
      }),
    );
  }

  /** The settings as of the last change. */
  get settings(): RunbookSettings {
    return this.current;
  }

  private reload(): void {
    const before = this.current;
    this.current = this.read();
    // runbook.projects changed when its usable entries or its problems did: a new mistake is news too.
    const valueOf = (settings: RunbookSettings, key: RunbookSettingKey) =>
      JSON.stringify(key === 'projects' ? [settings.projects, settings.projectProblems] : settings[key]);
    const keys = new Set(RUNBOOK_SETTING_KEYS.filter((key) => valueOf(before, key) !== valueOf(this.current, key)));
    if (keys.size > 0) this.changed.fire({ keys, affects: (...wanted) => wanted.some((key) => keys.has(key)) });
  }

  private read(): RunbookSettings {
    const config = vscode.workspace.getConfiguration('runbook');
    const raw: Record<string, unknown> = {};
    for (const key of RUNBOOK_SETTING_KEYS) raw[key] = config.get(key);
    const problems = new Set<string>();
    const settings = parseRunbookSettings(raw, (message) => problems.add(message));
    for (const message of problems) if (!this.reported.has(message)) this.log.warn(message);
    this.reported = problems;
    return settings;
  }
}
