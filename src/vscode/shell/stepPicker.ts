// Run Line by Line: before each command a pick in the middle of the screen (not a toast in a corner) shows the
// command, the comment above it and where it goes, with Run, Skip and Stop; Escape stops.
import * as vscode from 'vscode';

export type StepChoice = 'run' | 'skip' | 'stop';

export interface StepQuestion {
  index: number;
  count: number;
  line: number;
  command: string;
  /** The runbook's comment above the command ("Or revert code and redeploy"). */
  comment?: string;
  /** "reaches linked (production)", when it is not the active project. */
  reach?: string;
  risky: boolean;
}

interface StepItem extends vscode.QuickPickItem {
  choice: StepChoice;
}

export async function askStep(question: StepQuestion): Promise<StepChoice> {
  const { index, count, line, command } = question;
  const firstLine = command.split('\n')[0] + (command.includes('\n') ? ' …' : '');
  const run: StepItem = {
    choice: 'run',
    label: `$(${question.risky ? 'warning' : 'play'}) Run`,
    description: firstLine,
    ...(question.reach ? { detail: question.reach } : {}),
  };
  const skip: StepItem = {
    choice: 'skip',
    label: '$(debug-step-over) Skip this command',
    description: 'go on with the next one',
  };
  const stop: StepItem = {
    choice: 'stop',
    label: '$(debug-stop) Stop here',
    description: `leave the remaining ${count - index} command${count - index === 1 ? '' : 's'}`,
  };
  // An alternative ("# Or revert code and redeploy") is not meant to run after the first way: Enter skips it.
  const items = isAlternative(question.comment) ? [skip, run, stop] : [run, skip, stop];
  const picked = await vscode.window.showQuickPick(items, {
    title: `Step ${index + 1} of ${count} · line ${line + 1}${question.comment ? ` · ${question.comment}` : ''}`,
    placeHolder: firstLine,
    ignoreFocusOut: true,
  });
  return picked?.choice ?? 'stop';
}

const ALTERNATIVE = /^(or|alternatively|otherwise|else|if|only if|instead)\b/i;

export function isAlternative(comment: string | undefined): boolean {
  return comment !== undefined && ALTERNATIVE.test(comment.trim());
}
