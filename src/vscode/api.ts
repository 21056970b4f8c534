// What activate() exports to the integration tests (ExtensionMode.Test only: it reaches secrets and runs SQL).
import type * as vscode from 'vscode';
import type { RunbookIndex } from './runbooks/runbookIndex';
import type { PlaybookTreeProvider } from './tree/playbookTreeProvider';
import type { PlaybookTreeNode } from './tree/treeNodes';
import type { ProjectService } from './projects/projectService';
import type { ResultsPanel } from './sql/resultsPanel';
import type { RunnerRegistry } from '../node/pg/runnerRegistry';
import type { RunJournal } from '../core/journal/runJournal';
import type { RiskGate } from './safety/confirmRisk';
import type { SnippetRunState } from './shell/shellRunStates';
import type { LazyService } from '../core/lifecycle/lazyService';
import type { SecretStore } from './secrets/secretStore';
import type { HealthFeature } from './health/registerHealthFeature';
import type { RunbookConfig } from './settings';
import type { SupabaseTasks } from './tasks/supabaseTasks';

export interface RunbookCompanionApi {
  readonly index: RunbookIndex;
  readonly tree: PlaybookTreeProvider;
  readonly treeView: vscode.TreeView<PlaybookTreeNode>;
  /** Milliseconds activate() took. */
  readonly activationMs: number;
  /** The runbook.* settings, as the extension reads them. */
  readonly config: RunbookConfig;
  readonly projects: ProjectService;
  readonly results: ResultsPanel;
  readonly runners: RunnerRegistry;
  readonly journal: RunJournal;
  readonly gate: RiskGate;
  /** The shell snippets' runs, as the lenses and the Playbooks view show them. */
  readonly shell: {
    stateOf(uri: vscode.Uri, snippetId: string): SnippetRunState | undefined;
    /** How many Run commands have been answered (run to the end, declined or refused). */
    answeredRequests(): number;
  };
  /** The Supabase CLI as a VS Code task. */
  readonly supabaseTasks: LazyService<SupabaseTasks>;
  /** The project secrets in VS Code's SecretStorage. */
  readonly secrets: SecretStore;
  /** The health checks, panel, view and function logs. */
  readonly health: HealthFeature;
  /** Where the extension's log files (the "Runbook Companion" output channel) are written. */
  readonly logUri: vscode.Uri;
}
