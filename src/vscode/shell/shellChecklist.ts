// The steps a shell fence writes for a person ("1. Revoke the leaked key"), offered as a checklist. Each step ticked
// off goes into the run journal with its time, so the incident timeline shows when it was done.
import * as vscode from 'vscode';
import type { SnippetTarget } from '../commands/snippetTarget';
import type { SplitShellSnippet } from '../../core/bash/splitShellSnippet';
import type { RunJournal } from '../../core/journal/runJournal';
import type { LinkedProject } from '../../core/projects/linkedProject';

interface StepItem extends vscode.QuickPickItem {
  line: number;
  text: string;
}

export class ShellChecklist {
  // Ticked steps of this session, per runbook, snippet and line: reopening the checklist shows them ticked.
  private readonly ticked = new Set<string>();

  constructor(private readonly journal: RunJournal) {}

  async show(target: SnippetTarget, split: SplitShellSnippet, active: LinkedProject | undefined): Promise<void> {
    const keyOf = (line: number) => `${target.uri.toString()}#${target.snippet.id}#${line}`;
    const items: StepItem[] = split.proseSteps.map((s) => ({
      label: s.text,
      description: `line ${s.line + 1}${s.command ? ' · a command: use "Run this command" above its line' : ''}`,
      picked: this.ticked.has(keyOf(s.line)),
      line: s.line,
      text: s.text,
    }));
    const picked = await vscode.window.showQuickPick(items, {
      title: `${target.snippet.label.replace(/[\s:.]+$/, '')}: steps to do by hand`,
      placeHolder:
        'These lines are instructions, not commands. Tick the ones done: each is noted with its time in the run journal.',
      canPickMany: true,
      ignoreFocusOut: true,
    });
    if (!picked) return;
    const runbookPath = vscode.workspace.asRelativePath(target.uri);
    for (const item of picked) {
      if (this.ticked.has(keyOf(item.line))) continue;
      this.ticked.add(keyOf(item.line));
      this.journal.record({
        kind: 'step',
        project: active?.name ?? '',
        command: item.text,
        snippetId: target.snippet.id,
        runbookPath,
        line: item.line,
        exitCode: null,
        durationMs: null,
      });
    }
    for (const item of items) if (!picked.includes(item)) this.ticked.delete(keyOf(item.line));
    void vscode.window.showInformationMessage(`${picked.length} of ${split.proseSteps.length} steps done.`);
  }
}
