// The folder a runbook's commands run in: the runbook's own workspace folder, else the first one.
import * as vscode from 'vscode';

export function workspaceFolderOf(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  return vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0];
}
