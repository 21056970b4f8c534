// Composition root: builds the parts, wires them together and registers every Disposable.
import * as vscode from 'vscode';
import { RunbookIndex } from './vscode/runbooks/runbookIndex';
import { PlaybookTreeProvider } from './vscode/tree/playbookTreeProvider';
import { RunbookDiagnostics } from './vscode/diagnostics/runbookDiagnostics';
import { StaleCommandActions } from './vscode/diagnostics/staleCommandActions';
import { RunbookParser } from './node/model/runbookParser';
import { STANDARD_CHECKERS } from './core/check/standardCheckers';
import { registerNavigationCommands } from './vscode/commands/navigationCommands';
import { registerRunSnippetAtCursor } from './vscode/commands/runSnippetAtCursor';
import { ProjectService } from './vscode/projects/projectService';
import { ProjectStatusBar } from './vscode/projects/projectStatusBar';
import { registerProjectCommands } from './vscode/projects/registerProjectCommands';
import { SecretStore } from './vscode/secrets/secretStore';
import { PlaceholderPrompt } from './vscode/placeholders/placeholderPrompt';
import { SnippetCodeLensProvider } from './vscode/commands/snippetCodeLensProvider';
import { RESULTS_PANEL, ResultsPanel } from './vscode/sql/resultsPanel';
import { Webviews } from './vscode/webview/webviews';
import { RunnerRegistry } from './node/pg/runnerRegistry';
import { SqlSnippetRunner } from './vscode/sql/sqlSnippetRunner';
import { registerSqlFeature } from './vscode/sql/registerSqlFeature';
import { createRunJournal } from './vscode/journal/createRunJournal';
import { RiskGate } from './vscode/safety/confirmRisk';
import { RunbookConfig } from './vscode/settings';
import { ProjectTerminals } from './vscode/shell/projectTerminals';
import { ShellSnippetRunner } from './vscode/shell/shellSnippetRunner';
import { registerShellFeature } from './vscode/shell/registerShellFeature';
import { SupabaseBinaries } from './vscode/supabase/supabaseBinaries';
import { LinkedRefs } from './vscode/supabase/linkedRefs';
import { SupabaseCliContext } from './vscode/supabase/cliContext';
import { CredentialService } from './vscode/credentials/credentialService';
import { CliTaskRunner } from './vscode/tasks/cliTaskRunner';
import { SupabaseTasks } from './vscode/tasks/supabaseTasks';
import { MissingCli } from './vscode/tasks/missingCli';
import { ShellTreeContext } from './vscode/shell/shellTreeContext';
import type { RunbookCompanionApi } from './vscode/api';
import { ManagementApiClient } from './node/supabase/managementApiClient';
import { HealthFeature } from './vscode/health/registerHealthFeature';
import { HEALTH_PANEL } from './vscode/health/healthPanel';

let runners: RunnerRegistry | undefined;

export function activate(context: vscode.ExtensionContext): RunbookCompanionApi | undefined {
  const started = performance.now();
  const log = vscode.window.createOutputChannel('Runbook Companion', { log: true });
  const config = new RunbookConfig(log);
  // Large runbooks are parsed and checked on the model worker's thread (dist/modelWorker.js).
  const parser = new RunbookParser(vscode.Uri.joinPath(context.extensionUri, 'dist', 'modelWorker.js').fsPath, (m) =>
    log.warn(m),
  );
  const index = new RunbookIndex(context.extensionUri, log, config, parser);
  const tree = new PlaybookTreeProvider(index);

  const projects = new ProjectService(context.workspaceState, log, config);
  const statusBar = new ProjectStatusBar(projects);
  const secrets = new SecretStore(context.secrets);
  const prompt = new PlaceholderPrompt(context.workspaceState);
  const { journal, disposables: journalParts } = createRunJournal(context, secrets, projects, log);
  const gate = new RiskGate();
  runners = new RunnerRegistry(() => config.settings.sql.poolSize);
  const registry = runners;
  const lenses = new SnippetCodeLensProvider(index, () => projects.active, [projects.onDidChangeActive]);
  // Every kind of webview panel is registered here, during activation, so VS Code can restore it after a reload.
  const webviews = new Webviews(context.extensionUri, log);
  // The panel's Cancel button reaches the runner, which is built just below.
  const results = new ResultsPanel(webviews.register(RESULTS_PANEL), { onCancel: (runId) => sql.cancel(runId) }, log);
  const sql = new SqlSnippetRunner({
    index,
    projects,
    secrets,
    prompt,
    results,
    runners: registry,
    journal,
    gate,
    log,
    config,
  });

  const terminals = new ProjectTerminals();
  const binaries = new SupabaseBinaries(log);
  const linkedRefs = new LinkedRefs();
  const cli = new SupabaseCliContext(projects, binaries, linkedRefs);
  const credentials = new CredentialService(secrets, log);
  // Deploy, migrations and secret rotation run the Supabase CLI as VS Code tasks through this.
  const tasks = new CliTaskRunner(journal, log);
  const missingCli = new MissingCli(gate, tasks, binaries);
  const supabaseTasks = new SupabaseTasks({ projects, cli, credentials, gate, tasks, missingCli });
  const shell = new ShellSnippetRunner({
    index,
    projects,
    prompt,
    gate,
    terminals,
    journal,
    log,
    cli,
    credentials,
    missingCli,
  });
  // The view shows shell snippets with the actions that apply to each (single, multi, steps, running).
  const shellTree = new ShellTreeContext(tree, shell);
  const treeView = vscode.window.createTreeView('runbook.playbooks', {
    treeDataProvider: shellTree,
    showCollapseAll: true,
  });
  // One Management API client for every caller, so its rate limit holds for all of them.
  const management = new ManagementApiClient({
    baseUrl: () => config.settings.health.managementApiUrl,
    token: () => secrets.get(undefined, 'accessToken'),
  });
  const health = new HealthFeature({
    config,
    host: webviews.register(HEALTH_PANEL),
    index,
    projects,
    secrets,
    storage: context.secrets,
    runners: registry,
    management,
    journal,
    sql,
    playbooks: treeView,
    tree,
    state: context.workspaceState,
    log,
  });

  context.subscriptions.push(
    log,
    config,
    parser,
    index,
    tree,
    treeView,
    projects,
    statusBar,
    lenses,
    webviews,
    results,
    new RunbookDiagnostics(index, STANDARD_CHECKERS),
    vscode.languages.registerCodeLensProvider({ language: 'markdown' }, lenses),
    vscode.languages.registerCodeActionsProvider(
      { language: 'markdown' },
      new StaleCommandActions(),
      StaleCommandActions.metadata,
    ),
    ...registerNavigationCommands(index),
    registerRunSnippetAtCursor(index),
    ...registerProjectCommands(projects, secrets, (project) => void registry.forget(project)),
    ...registerSqlFeature(lenses, sql, index),
    terminals,
    binaries,
    linkedRefs,
    shell,
    tasks,
    shellTree,
    ...journalParts,
    ...registerShellFeature(lenses, shell, index),
    // The project that was active closes its connections once its runs end; runs elsewhere go on.
    projects.onDidChangeActive(({ previous, current }) => void registry.retire(previous, current)),
    health,
    { dispose: () => void management.close() },
    { dispose: () => void registry.disposeAll() },
  );
  void index.rescan();
  // The first reload announces the active project, which the status bar and lenses follow.
  void projects.ready();

  const activationMs = performance.now() - started;
  log.info(`Activated in ${activationMs.toFixed(1)} ms`);
  // The API reaches the project's secrets and can run SQL and commands: only our own test host gets it, never
  // another installed extension (exports are readable by any of them).
  if (context.extensionMode !== vscode.ExtensionMode.Test) return undefined;
  return {
    index,
    tree,
    treeView,
    activationMs,
    config,
    projects,
    sql,
    results,
    runners: registry,
    journal,
    gate,
    shell,
    supabaseTasks,
    secrets,
    health,
    logUri: context.logUri,
  };
}

export async function deactivate(): Promise<void> {
  await runners?.disposeAll();
}
