// The health feature's parts and commands, wired once: the controller, the status bar item, journal and
// notifications, the Health view, the panel, function logs, and the links from a failing check to its playbook.
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import { allSections } from '../../core/model/sections';
import type { RunJournal } from '../../core/journal/runJournal';
import type { SqlSnippetRunner } from '../sql/sqlSnippetRunner';
import type { LazyService } from '../../core/lifecycle/lazyService';
import type { PlaybookTreeNode } from '../tree/treeNodes';
import type { WebviewPanelHost } from '../webview/panelHost';
import type { HealthProtocol } from '../../shared/health/protocol';
import { revealLine } from '../commands/navigationCommands';
import { HealthController, type HealthControllerDeps } from './healthController';
import { HealthStatusBar } from './healthStatusBar';
import { HealthAlerts } from './healthAlerts';
import { HealthTreeProvider } from './healthTree';
import { HealthPanel } from './healthPanel';
import { FunctionLogs } from './functionLogs';
import { revealInPlaybooks } from '../tree/revealInPlaybooks';
import type { PlaybookTreeProvider } from '../tree/playbookTreeProvider';
import { COMMANDS } from '../commands/commandIds';

/** What the controller needs, and what the panel, the alerts and the links need besides. */
export interface HealthFeatureDeps extends HealthControllerDeps {
  host: WebviewPanelHost<HealthProtocol>;
  journal: RunJournal;
  /** The SQL runner, made on its first use: the diagnosis SQL of a failing check runs through it. */
  sql: LazyService<SqlSnippetRunner>;
  playbooks: vscode.TreeView<PlaybookTreeNode>;
  /** The Playbooks view's provider: a reveal waits until the view has drawn. */
  tree: PlaybookTreeProvider;
}

export class HealthFeature extends Disposable {
  readonly controller: HealthController;
  readonly panel: HealthPanel;
  readonly functionLogs: FunctionLogs;
  readonly view: vscode.TreeView<unknown>;

  constructor(deps: HealthFeatureDeps) {
    super();
    this.controller = this._register(new HealthController(deps));
    this._register(new HealthStatusBar(this.controller));
    this._register(new HealthAlerts(this.controller, deps.journal, deps.log));
    this.panel = this._register(new HealthPanel(deps.host, this.controller));
    this.functionLogs = this._register(new FunctionLogs(deps.config, deps.projects, deps.secrets, deps.management));
    const tree = this._register(new HealthTreeProvider(this.controller));
    const view = this._register(vscode.window.createTreeView('runbook.health', { treeDataProvider: tree }));
    this.view = view as vscode.TreeView<unknown>;
    // The checks start only when asked (the panel, or the view's button): they send the project's key over the network.
    this._register(view.onDidChangeVisibility(({ visible }) => this.controller.setShowing('view', visible)));
    this.controller.setShowing('view', view.visible);

    const { playbooks, index, sql } = deps;
    this._register(
      vscode.commands.registerCommand(COMMANDS.openHealthPanel, (project?: unknown) =>
        this.panel.open(typeof project === 'string' ? project : undefined),
      ),
    );
    this._register(vscode.commands.registerCommand(COMMANDS.refreshHealth, () => this.controller.refresh()));
    this._register(vscode.commands.registerCommand(COMMANDS.stopHealthChecks, () => this.controller.stop()));
    this._register(
      vscode.commands.registerCommand(COMMANDS.tailFunctionLogs, (project?: unknown, slug?: unknown) =>
        this.functionLogs.start(
          typeof project === 'string' ? project : undefined,
          typeof slug === 'string' ? slug : undefined,
        ),
      ),
    );
    this._register(
      vscode.commands.registerCommand(COMMANDS.stopFunctionLogs, (key?: unknown) =>
        this.functionLogs.stop(typeof key === 'string' ? key : undefined),
      ),
    );
    this._register(
      vscode.commands.registerCommand(COMMANDS.revealPlaybook, async (uri: unknown, line: unknown) => {
        const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
        if (!(target instanceof vscode.Uri) || typeof line !== 'number') return;
        const entry = index.get(target);
        const playbook = entry?.runbook.playbooks.find((p) => p.line === line);
        const section =
          entry && playbook && allSections(entry.runbook.sections).find((s) => s.id === playbook.sectionId);
        // The tree first and the editor last, so that the keyboard is in the runbook at the playbook.
        if (entry && section) {
          const node: PlaybookTreeNode = { type: 'section', entry, section };
          const isNode = (n: PlaybookTreeNode) =>
            n.type === 'section' && n.section.id === section.id && n.entry.uri.toString() === target.toString();
          await revealInPlaybooks(playbooks, deps.tree, node, isNode).catch((error: Error) =>
            deps.log.warn(`Could not reveal ${section.title} in the Playbooks view: ${error.message}`),
          );
        }
        await revealLine(target, line);
      }),
    );
    this._register(
      vscode.commands.registerCommand(
        COMMANDS.runDiagnosisOn,
        async (uri: unknown, snippetIndex: unknown, project: unknown) => {
          const target = typeof uri === 'string' ? vscode.Uri.parse(uri) : uri;
          if (!(target instanceof vscode.Uri) || typeof snippetIndex !== 'number' || typeof project !== 'string')
            return;
          return (await sql.get()).runOnProject(target, snippetIndex, project);
        },
      ),
    );
  }
}
