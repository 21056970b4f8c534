// Reads the `runbook.*` settings from VS Code; the schema and its defaults live in core
// (src/core/settings/runbookSettings.ts), where they are unit-tested without VS Code.
import * as vscode from 'vscode';
import { parseRunbookSettings, RUNBOOK_SETTING_KEYS, type RunbookSettings } from '../core/settings/runbookSettings';

export { DEFAULT_RUNBOOK_GLOBS, DEFAULT_EXCLUDE, type RunbookSettings } from '../core/settings/runbookSettings';

export function readSettings(onProblem?: (message: string) => void): RunbookSettings {
  const config = vscode.workspace.getConfiguration('runbook');
  const raw: Record<string, unknown> = {};
  for (const key of RUNBOOK_SETTING_KEYS) raw[key] = config.get(key);
  return parseRunbookSettings(raw, onProblem);
}
