// The terminals runbook commands run in. Each project has a shared one per shell and per set of secrets (none, the
// database password, the access token): a terminal holds only the secrets its runs need. A command is never typed
// into a terminal that is busy (it would become input of the running program): a busy shared terminal gets a
// sibling. Without shell integration the end of a command cannot be seen, so a terminal a command was sent to
// blindly is "unsure" until the user says to go on. Commands that run until stopped (`--tail`, dev servers) and runs
// that carry a secret placeholder get a terminal of their own. A terminal is never disposed behind the user's
// back: when the environment changes (a new token), the next run opens a new terminal and the old one stays; when
// the extension is deactivated only idle terminals are closed, and one still running a command (a deploy) is left
// to the user. Terminals whose environment holds secrets are transient, so VS Code does not restore them (and
// their environment) after a reload. A terminal is named after the projects its commands really reach, refs in full
// (a command aimed at the linked production project never runs in one named after the active local project), and
// one reaching production is marked so in its icon and colour. Names start with what tells them apart, so narrow
// tabs still differ.
import * as vscode from 'vscode';
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { TerminalShell } from '../../node/shell/terminalShell';
import type { CommandTarget } from '../../core/targets/commandTarget';
import { targetLabelWithRef } from '../../core/targets/targetLabel';
import { Disposable } from '../../core/lifecycle/disposable';

const INTEGRATION_WAIT_MS = 5000;
const NAME_SUFFIX = ' — Runbook';

/** Where a terminal's commands go, as its name says it. */
export type TerminalTarget = Pick<CommandTarget, 'name' | 'ref' | 'kind' | 'production'>;

export interface TerminalRequest {
  /** The active project, whose terminal this is when its commands reach nothing else. */
  project: LinkedProject;
  /** The projects the run's commands really reach; the active project when absent. */
  reaches?: readonly TerminalTarget[];
  env: Record<string, string>;
  cwd: vscode.Uri | undefined;
  shell: TerminalShell;
  /** A terminal of its own, named after this purpose ("supabase logs", "secret"); absent: the shared one. */
  ownPurpose?: string;
  /** Which of the extension's secrets the environment holds ("database", "access token"); part of the name. */
  holds?: string;
  /** The environment holds secrets: the terminal must not be restored after a reload. */
  secretEnv: boolean;
  /** Open a new terminal even when the usual one is free (the user chose not to type into an unsure one). */
  fresh?: boolean;
}

export interface ObtainedTerminal {
  terminal: vscode.Terminal;
  /** Why a new terminal was opened instead of the usual one; undefined when the usual one was used or created. */
  sibling?: string;
  /**
   * Set when the terminal got a command without shell integration and its end was never seen: what was sent.
   * The caller asks before typing into it.
   */
  unsure?: string;
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
  /** The last command sent without shell integration; it may still run. Cleared when the user says to go on. */
  sentBlind?: string;
}

export class ProjectTerminals extends Disposable {
  private readonly managed: ManagedTerminal[] = [];

  constructor() {
    super();
    for (const subscription of [
      vscode.window.onDidCloseTerminal((closed) => {
        const index = this.managed.findIndex((m) => m.terminal === closed);
        if (index >= 0) this.managed.splice(index, 1);
      }),
      // Commands the user types into our terminals count too.
      vscode.window.onDidStartTerminalShellExecution((e) => {
        const m = this.find(e.terminal);
        if (m && !m.busyWith) m.busyWith = e.execution.commandLine.value || 'a command';
      }),
      vscode.window.onDidEndTerminalShellExecution((e) => {
        const m = this.find(e.terminal);
        if (m) {
          m.busyWith = undefined;
          m.sentBlind = undefined;
        }
      }),
    ])
      this._register(subscription);
  }

  /** A terminal for the request: the shared one when it is alive, idle and has the same environment; else a new one. */
  obtain(request: TerminalRequest): ObtainedTerminal {
    const envKey = JSON.stringify(Object.entries(request.env).sort());
    const reaches = reachesOf(request)
      .map((t) => `${t.name}|${t.ref ?? ''}`)
      .join('+');
    const slot = `${reaches}|${request.shell.path ?? 'default'}|${request.holds ?? ''}|${request.ownPurpose ?? 'shared'}`;
    const candidates = this.managed.filter((m) => m.slot === slot && m.terminal.exitStatus === undefined);
    const free = candidates.filter((m) => m.envKey === envKey && !m.busyWith && !m.suspect);
    // One whose last command was seen to end comes first; one that may still be running is asked about.
    const idle = request.fresh ? undefined : (free.find((m) => !m.sentBlind) ?? free[0]);
    if (idle) return idle.sentBlind ? { terminal: idle.terminal, unsure: idle.sentBlind } : { terminal: idle.terminal };
    let sibling: string | undefined;
    const usual = candidates.find((m) => m.envKey === envKey) ?? candidates[0];
    if (usual && !request.ownPurpose) {
      sibling = usual.busyWith
        ? `"${usual.terminal.name}" is busy running ${usual.busyWith}`
        : usual.suspect
          ? `"${usual.terminal.name}" did not start the last command (it may be waiting for input)`
          : usual.sentBlind
            ? `"${usual.terminal.name}" may still be running ${usual.sentBlind}`
            : `the secrets of "${usual.terminal.name}" changed; it was left open as it is`;
    }
    const terminal = this.create(request);
    this.managed.push({ terminal, slot, envKey });
    return sibling ? { terminal, sibling } : { terminal };
  }

  private create(request: TerminalRequest): vscode.Terminal {
    const reaches = reachesOf(request);
    const production = reaches.some((t) => t.production);
    const what = [request.holds, request.ownPurpose].filter(Boolean).join(', ');
    const where = reaches.map(targetLabelWithRef).join(' + ');
    return vscode.window.createTerminal({
      name: this.uniqueName(`${where}${what ? `: ${what}` : ''}`),
      ...(request.shell.path ? { shellPath: request.shell.path } : {}),
      ...(request.cwd ? { cwd: request.cwd } : {}),
      env: request.env,
      // Restoring it would bring its environment (tokens, passwords) back into a new session.
      isTransient: request.secretEnv,
      // The warning colour, as the status bar paints a production project.
      iconPath: new vscode.ThemeIcon(production ? 'warning' : 'terminal'),
      ...(production ? { color: new vscode.ThemeColor('terminal.ansiYellow') } : {}),
    });
  }

  /** "fixture — Runbook", then "fixture (2) — Runbook": unique among open terminals, so a name finds its terminal. */
  private uniqueName(base: string): string {
    const taken = new Set(vscode.window.terminals.filter((t) => t.exitStatus === undefined).map((t) => t.name));
    for (let n = 1; ; n++) {
      const name = `${base}${n > 1 ? ` (${n})` : ''}${NAME_SUFFIX}`;
      if (!taken.has(name)) return name;
    }
  }

  /** Marks what runs in the terminal until `idle` is called; the next request gets another terminal meanwhile. */
  markBusy(terminal: vscode.Terminal, what: string): void {
    this.patch(terminal, { busyWith: what });
  }

  idle(terminal: vscode.Terminal): void {
    this.patch(terminal, { busyWith: undefined });
  }

  /** The terminal took a command but never started it: never type into it again. */
  markSuspect(terminal: vscode.Terminal): void {
    this.patch(terminal, { suspect: true, busyWith: undefined });
  }

  /** A command was sent without shell integration: until `acknowledge`, the next run asks before typing. */
  markSentBlind(terminal: vscode.Terminal, what: string): void {
    this.patch(terminal, { sentBlind: what });
  }

  /** The user said the terminal may take the next command (they checked, sent Ctrl+C, or chose Send Anyway). */
  acknowledge(terminal: vscode.Terminal): void {
    this.patch(terminal, { sentBlind: undefined });
  }

  private patch(
    terminal: vscode.Terminal,
    changes: Partial<Pick<ManagedTerminal, 'busyWith' | 'suspect' | 'sentBlind'>>,
  ): void {
    const m = this.find(terminal);
    if (m) Object.assign(m, changes);
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

  /**
   * Closes the idle terminals. One running a command, or that may be (sent without shell integration, or suspect: a
   * command typed there never started and may still be waiting there for input), stays open for the user.
   */
  protected override onDispose(): void {
    for (const m of this.managed) if (!m.busyWith && !m.sentBlind && !m.suspect) m.terminal.dispose();
    this.managed.length = 0;
  }
}

/** The run's targets, production first (what matters most leads the name); the active project when none is given. */
function reachesOf(request: TerminalRequest): TerminalTarget[] {
  const { project } = request;
  const reaches: TerminalTarget[] = request.reaches?.length
    ? [...request.reaches]
    : [
        {
          name: project.name,
          production: project.production,
          kind: 'active',
          ...(project.ref ? { ref: project.ref } : {}),
        },
      ];
  return [...reaches.filter((t) => t.production), ...reaches.filter((t) => !t.production)];
}
