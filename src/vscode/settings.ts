// Reads the `runbook.*` settings from VS Code; the schema and its defaults live in core
// (src/core/settings/runbookSettings.ts), where they are unit-tested without VS Code.
import * as vscode from 'vscode';
import { parseRunbookSettings, RUNBOOK_SETTING_KEYS, type RunbookSettings } from '../core/settings/runbookSettings';

export { DEFAULT_RUNBOOK_GLOBS, DEFAULT_EXCLUDE, type RunbookSettings } from '../core/settings/runbookSettings';

/** Reads the settings now; problems are reported by watchSettingProblems, once. */
export function readSettings(onProblem?: (message: string) => void): RunbookSettings {
  const config = vscode.workspace.getConfiguration('runbook');
  const raw: Record<string, unknown> = {};
  for (const key of RUNBOOK_SETTING_KEYS) raw[key] = config.get(key);
  return parseRunbookSettings(raw, onProblem);
}

/**
 * Logs each problem of the runbook.* settings (a broken project entry, a bad value falling back to its
 * default) when it first appears: at start and after every change of the settings, never once per reader.
 */
export function watchSettingProblems(log: vscode.LogOutputChannel): vscode.Disposable {
  let reported = new Set<string>();
  const check = () => {
    const now = new Set<string>();
    readSettings((message) => now.add(message));
    for (const message of now) if (!reported.has(message)) log.warn(message);
    reported = now;
  };
  check();
  return vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('runbook')) check();
  });
}
