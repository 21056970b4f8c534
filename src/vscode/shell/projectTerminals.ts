// The terminals runbook commands run in. Each project has a shared one per shell; a command is never typed into a
// terminal that is busy (it would become input of the running program): a busy shared terminal gets a sibling.
// Commands that run until stopped (`--tail`, dev servers) and runs that carry a secret placeholder get a terminal of
// their own. A terminal is never disposed behind the user's back: when the environment changes (a new token), the
// next run opens a new terminal and the old one stays as it is. Terminals whose environment holds secrets are
// transient, so VS Code does not restore them (and their environment) after a reload.
import * as vscode from 'vscode';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { TerminalShell } from './terminalShell';

const INTEGRATION_WAIT_MS = 5000;

export interface TerminalRequest {
  project: LinkedProject;
  env: Record<string, string>;
  cwd: vscode.Uri | undefined;
  shell: TerminalShell;
  /** A terminal of its own, named after this purpose ("supabase logs", "secret"); absent: the shared one. */
  ownPurpose?: string;
  /** The environment holds secrets: the terminal must not be restored after a reload. */
  secretEnv: boolean;
}

export interface ObtainedTerminal {
  terminal: vscode.Terminal;
  /** Why a new terminal was opened instead of the usual one; undefined when the usual one was used or created. */
  sibling?: string;
}

interface ManagedTerminal {
  terminal: vscode.Terminal;
  slot: string;
  envKey: string;
  /** What this extension is running in it, until that ends. */
  busyWith?: string;
  /** A command was typed but never started (the shell was waiting for something): do not type more. */
  suspect?: boolean;
  /** Shell integration did not come when first awaited: later commands do not wait for it again. */
  withoutIntegration?: boolean;
}

export class ProjectTerminals implements vscode.Disposable {
  private readonly managed: ManagedTerminal[] = [];
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.window.onDidCloseTerminal((closed) => {
        const index = this.managed.findIndex((m) => m.terminal === closed);
        if (index >= 0) this.managed.splice(index, 1);
      }),
      // Commands the user types into our terminals count too.
      vscode.window.onDidStartTerminalShellExecution((e) => { const m = this.find(e.terminal); if (m && !m.busyWith) m.busyWith = e.execution.commandLine.value || 'a command'; }),
      vscode.window.onDidEndTerminalShellExecution((e) => { const m = this.find(e.terminal); if (m) m.busyWith = undefined; }),
    ];
  }

  /** A terminal for the request: the shared one when it is alive, idle and has the same environment; else a new one. */
  obtain(request: TerminalRequest): ObtainedTerminal {
    const envKey = JSON.stringify(Object.entries(request.env).sort());
    const slot = `${request.project.name}|${request.shell.path ?? 'default'}|${request.ownPurpose ?? 'shared'}`;
    const candidates = this.managed.filter((m) => m.slot === slot && m.terminal.exitStatus === undefined);
    const idle = candidates.find((m) => m.envKey === envKey && !m.busyWith && !m.suspect);
    if (idle) return { terminal: idle.terminal };
    let sibling: string | undefined;
    const usual = candidates.find((m) => m.envKey === envKey) ?? candidates[0];
    if (usual && !request.ownPurpose) {
      sibling = usual.busyWith ? `"${usual.terminal.name}" is busy running ${usual.busyWith}`
        : usual.suspect ? `"${usual.terminal.name}" did not start the last command (it may be waiting for input)`
          : `the secrets of "${usual.terminal.name}" changed; it was left open as it is`;
    }
    const terminal = this.create(request, candidates.length);
    this.managed.push({ terminal, slot, envKey });
    return sibling ? { terminal, sibling } : { terminal };
  }

  private create(request: TerminalRequest, siblings: number): vscode.Terminal {
    const { project } = request;
    const suffix = request.ownPurpose ? ` · ${request.ownPurpose}` : '';
    const number = siblings > 0 ? ` (${siblings + 1})` : '';
    return vscode.window.createTerminal({
      name: `Runbook · ${project.name}${suffix}${number}`,
      ...(request.shell.path ? { shellPath: request.shell.path } : {}),
      ...(request.cwd ? { cwd: request.cwd } : {}),
      env: request.env,
      // Restoring it would bring its environment (tokens, passwords) back into a new session.
      isTransient: request.secretEnv,
      iconPath: new vscode.ThemeIcon(project.production ? 'warning' : 'terminal'),
      ...(project.production ? { color: new vscode.ThemeColor('terminal.ansiYellow') } : {}),
    });
  }

  /** Marks what runs in the terminal until `idle` is called; the next request gets another terminal meanwhile. */
  markBusy(terminal: vscode.Terminal, what: string): void {
    const m = this.find(terminal);
    if (m) m.busyWith = what;
  }

  idle(terminal: vscode.Terminal): void {
    const m = this.find(terminal);
    if (m) m.busyWith = undefined;
  }

  /** The terminal took a command but never started it: never type into it again. */
  markSuspect(terminal: vscode.Terminal): void {
    const m = this.find(terminal);
    if (m) { m.suspect = true; m.busyWith = undefined; }
  }

  isBusy(terminal: vscode.Terminal): boolean {
    return Boolean(this.find(terminal)?.busyWith);
  }

  /** Resolves with the terminal's shell integration, or undefined when it does not come in time. */
  async integration(terminal: vscode.Terminal): Promise<vscode.TerminalShellIntegration | undefined> {
    if (terminal.shellIntegration) return terminal.shellIntegration;
    const managed = this.find(terminal);
    if (managed?.withoutIntegration) return undefined;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        listener.dispose();
        if (managed && !terminal.shellIntegration) managed.withoutIntegration = true;
        resolve(terminal.shellIntegration);
      }, INTEGRATION_WAIT_MS);
      const listener = vscode.window.onDidChangeTerminalShellIntegration((e) => {
        if (e.terminal !== terminal) return;
        clearTimeout(timer);
        listener.dispose();
        resolve(e.shellIntegration);
      });
    });
  }

  private find(terminal: vscode.Terminal): ManagedTerminal | undefined {
    return this.managed.find((m) => m.terminal === terminal);
  }

  /** How many terminals this extension opened and still has: for tests and the log. */
  get count(): number {
    return this.managed.length;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    for (const { terminal } of this.managed) terminal.dispose();
    this.managed.length = 0;
  }
}
