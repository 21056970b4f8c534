// Open a runbook, jump to a line, find a playbook or section across all runbooks, refresh the index.
import * as vscode from 'vscode';
import type { RunbookIndex, IndexedRunbook } from '../runbooks/runbookIndex';
import { allSections } from '../../core/model/sections';
import type { Section } from '../../core/model/types';
import { COMMANDS } from './commandIds';

export async function revealLine(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument(uri);
  const target = Math.max(0, Math.min(line, document.lineCount - 1));
  const position = new vscode.Position(target, 0);
  const editor = await vscode.window.showTextDocument(document, {
    preview: false,
    selection: new vscode.Range(position, position),
  });
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.AtTop);
  return editor;
}

interface SectionPick extends vscode.QuickPickItem {
  entry: IndexedRunbook;
  line: number;
}

function buildSectionPicks(runbooks: readonly IndexedRunbook[]): SectionPick[] {
  const picks: SectionPick[] = [];
  for (const entry of runbooks) {
    const byId = new Map(allSections(entry.runbook.sections).map((s) => [s.id, s]));
    const file = entry.isSample ? 'sample runbook' : vscode.workspace.asRelativePath(entry.uri);
    const trail = (s: Section): string => {
      const names: string[] = [];
      for (let p = s.parentId ? byId.get(s.parentId) : undefined; p; p = p.parentId ? byId.get(p.parentId) : undefined)
        names.unshift(p.title);
      return names.join(' › ');
    };
    const playbookSections = new Set(entry.runbook.playbooks.map((p) => p.sectionId));
    for (const s of byId.values()) {
      const isPlaybook = playbookSections.has(s.id);
      const playbook = entry.runbook.playbooks.find((p) => p.sectionId === s.id);
      picks.push({
        label: `$(${isPlaybook ? 'flame' : 'symbol-namespace'}) ${playbook ? playbook.name : s.title}`,
        description: `${isPlaybook ? 'Playbook · ' : ''}${file}:${s.line + 1}`,
        detail: trail(s) || undefined,
        entry,
        line: s.line,
      });
    }
  }
  // Playbooks first: at 3 a.m. they are what people look for.
  return picks.sort(
    (a, b) => Number(!a.description?.startsWith('Playbook')) - Number(!b.description?.startsWith('Playbook')),
  );
}

export function registerNavigationCommands(index: RunbookIndex): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(COMMANDS.revealLine, (uri: vscode.Uri, line: number) => revealLine(uri, line)),
    vscode.commands.registerCommand(COMMANDS.openRunbook, async () => {
      await index.whenIdle();
      const all = index.all;
      if (all.length === 0) {
        void vscode.window
          .showInformationMessage(
            'No runbook found. Add a RUNBOOK.md or runbooks/*.md, or change the setting runbook.files.',
            'Open Settings',
          )
          .then((choice) => {
            if (choice) void vscode.commands.executeCommand('workbench.action.openSettings', 'runbook.files');
          });
        return undefined;
      }
      const entry =
        all.length === 1
          ? all[0]
          : (
              await vscode.window.showQuickPick(
                all.map((e) => ({
                  label: e.runbook.metadata.title ?? e.uri.path.split('/').pop() ?? '',
                  description: e.isSample ? 'sample' : vscode.workspace.asRelativePath(e.uri),
                  entry: e,
                })),
                { title: 'Open Runbook', placeHolder: 'Which runbook?' },
              )
            )?.entry;
      return entry ? revealLine(entry.uri, 0) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.findPlaybook, async () => {
      await index.whenIdle();
      const picks = buildSectionPicks(index.all);
      const choice = await vscode.window.showQuickPick(picks, {
        title: 'Find Playbook',
        placeHolder: 'Type to search playbooks and sections of every runbook',
        matchOnDescription: true,
        matchOnDetail: true,
      });
      return choice ? revealLine(choice.entry.uri, choice.line) : undefined;
    }),
    vscode.commands.registerCommand(COMMANDS.refresh, () =>
      vscode.window.withProgress({ location: { viewId: 'runbook.playbooks' }, title: 'Refreshing runbooks' }, () =>
        index.rescan(),
      ),
    ),
  ];
}
