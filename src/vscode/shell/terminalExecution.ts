// Runs one command line through a terminal's shell integration and waits for its end, without ever waiting
// forever: it also ends when the user closes the terminal, and when the shell never starts the command (the text
// went to a program that was already running, or to a shell waiting at its `>` prompt).
import * as vscode from 'vscode';

export const START_TIMEOUT_MS = 15_000;
const OUTPUT_CAP = 64 * 1024;
const OUTPUT_DRAIN_MS = 500;

export interface ExecutionOutcome {
  exitCode: number | undefined;
  durationMs: number;
  /** The end of what the terminal showed, ANSI sequences removed, capped (errors come last). */
  output: string;
  /** Why no exit code came: the terminal was closed, or the shell never started the command. */
  ending?: 'closed' | 'not-started';
}

export async function executeInTerminal(
  terminal: vscode.Terminal,
  integration: vscode.TerminalShellIntegration,
  commandLine: string,
  startTimeoutMs = START_TIMEOUT_MS,
): Promise<ExecutionOutcome> {
  const started = Date.now();
  const subscriptions: vscode.Disposable[] = [];
  try {
    const closed = new Promise<'closed'>((resolve) => {
      subscriptions.push(
        vscode.window.onDidCloseTerminal((t) => {
          if (t === terminal) resolve('closed');
        }),
      );
    });
    const execution = integration.executeCommand(commandLine);
    const began = new Promise<'started'>((resolve) => {
      subscriptions.push(
        vscode.window.onDidStartTerminalShellExecution((e) => {
          if (e.execution === execution) resolve('started');
        }),
      );
    });
    const ended = new Promise<{ exitCode: number | undefined }>((resolve) => {
      subscriptions.push(
        vscode.window.onDidEndTerminalShellExecution((e) => {
          if (e.execution === execution) resolve({ exitCode: e.exitCode });
        }),
      );
    });
    let output = '';
    const reading = (async () => {
      for await (const chunk of execution.read()) {
        output += chunk;
        if (output.length > 2 * OUTPUT_CAP) output = output.slice(-OUTPUT_CAP);
      }
    })().catch(() => undefined);

    let timer: ReturnType<typeof setTimeout> | undefined;
    const tooLate = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), startTimeoutMs);
    });
    const first = await Promise.race([began, ended.then(() => 'started' as const), closed, tooLate]);
    clearTimeout(timer);
    if (first === 'closed')
      return { exitCode: undefined, durationMs: Date.now() - started, output: stripAnsi(output), ending: 'closed' };
    if (first === 'timeout')
      return {
        exitCode: undefined,
        durationMs: Date.now() - started,
        output: stripAnsi(output),
        ending: 'not-started',
      };

    const last = await Promise.race([ended, closed]);
    if (last === 'closed')
      return { exitCode: undefined, durationMs: Date.now() - started, output: stripAnsi(output), ending: 'closed' };
    await Promise.race([reading, new Promise((r) => setTimeout(r, OUTPUT_DRAIN_MS))]);
    return { exitCode: last.exitCode, durationMs: Date.now() - started, output: stripAnsi(output.slice(-OUTPUT_CAP)) };
  } finally {
    for (const s of subscriptions) s.dispose();
  }
}

export function stripAnsi(text: string): string {
  return text.replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
}
