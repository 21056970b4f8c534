// One terminal per project, created with the project's secrets in its environment (never on a command
// line), and bash where available so shell integration reports exit codes.
import * as vscode from 'vscode';
import { existsSync } from 'node:fs';
import type { LinkedProject } from '../../core/projects/linkedProject';

const INTEGRATION_WAIT_MS = 5000;

interface ManagedTerminal {
  terminal: vscode.Terminal;
  envKey: string;
}

export class ProjectTerminals implements vscode.Disposable {
  private readonly terminals = new Map<string, ManagedTerminal>();
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.window.onDidCloseTerminal((closed) => {
      for (const [name, managed] of this.terminals) if (managed.terminal === closed) this.terminals.delete(name);
    });
  }

  /** The project's terminal, recreated when its environment changed (a new token or password). */
  obtain(project: LinkedProject, env: Record<string, string>, cwd: vscode.Uri | undefined): vscode.Terminal {
    const envKey = JSON.stringify(Object.entries(env).sort());
    const existing = this.terminals.get(project.name);
    if (existing && existing.envKey === envKey && existing.terminal.exitStatus === undefined) return existing.terminal;
    existing?.terminal.dispose();
    const bash = process.platform !== 'win32' && existsSync('/bin/bash') ? '/bin/bash' : undefined;
    const terminal = vscode.window.createTerminal({
      name: `Runbook · ${project.name}`,
      ...(bash ? { shellPath: bash } : {}),
      ...(cwd ? { cwd } : {}),
      env,
      iconPath: new vscode.ThemeIcon(project.production ? 'warning' : 'terminal'),
      ...(project.production ? { color: new vscode.ThemeColor('terminal.ansiYellow') } : {}),
    });
    this.terminals.set(project.name, { terminal, envKey });
    return terminal;
  }

  /** Resolves with the terminal's shell integration, or undefined when it does not come in time. */
  async integration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
    if (terminal.shellIntegration) return terminal.shellIntegration;
    return new Promise((resolve) => {
      const timer = setTimeout(() => { listener.dispose(); resolve(terminal.shellIntegration); }, INTEGRATION_WAIT_MS);
      const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(e.shellIntegration);
      });
    });
  }

  dispose(): void {
    this.subscription.dispose();
    for (const { terminal } of this.terminals.values()) terminal.dispose();
    this.terminals.clear();
  }
}
