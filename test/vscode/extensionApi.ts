// Shared helpers for suites running inside the extension host.
import * as vscode from 'vscode';
import type { RunbookCompanionApi } from '../../src/vscode/api';

export const EXTENSION_ID = 'runbook-companion.runbook-companion';

export async function activateExtension(): Promise<RunbookCompanionApi> {
  const extension = vscode.extensions.getExtension<RunbookCompanionApi | undefined>(EXTENSION_ID);
  if (!extension) throw new Error(`Extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  if (!api) throw new Error('The extension exported no API: it exports one only to a test host (ExtensionMode.Test)');
  await api.index.whenIdle();
  return api;
}

export function workspaceUri(...segments: string[]): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('The test needs a workspace folder');
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
