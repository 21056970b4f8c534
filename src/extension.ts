// Composition root: builds the parts, wires them together and registers every Disposable.
// Activation builds only what VS Code asks for at once (the views, lenses, commands, status bar, panels to restore).
// What only a run needs is a LazyService whose code is a bundle of its own in dist/lazy, loaded on first use: the SQL
// and terminal runners, the CLI tasks, the health checks (in the controller), and the parser (in RunbookParser).
import * as vscode from 'vscode';
import { RunbookIndex } from './vscode/runbooks/runbookIndex';
import { PlaybookTreeProvider } from './vscode/tree/playbookTreeProvider';
import { RunbookDiagnostics } from './vscode/diagnostics/runbookDiagnostics';
import { StaleCommandActions } from './vscode/diagnostics/staleCommandActions';
import { RunbookParser } from './node/model/runbookParser';
import { LazyService } from './core/lifecycle/lazyService';
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
import { registerSqlFeature } from './vscode/sql/registerSqlFeature';
import { createRunJournal } from './vscode/journal/createRunJournal';
import { RiskGate } from './vscode/safety/confirmRisk';
import { RunbookConfig } from './vscode/settings';
import { ProjectTerminals } from './vscode/shell/projectTerminals';
import { ShellRunStates } from './vscode/shell/shellRunStates';
import { registerShellFeature } from './vscode/shell/registerShellFeature';
import { SupabaseBinaries } from './vscode/supabase/supabaseBinaries';
import { LinkedRefs } from './vscode/supabase/linkedRefs';
import { SupabaseCliContext } from './vscode/supabase/cliContext';
import { CredentialService } from './vscode/credentials/credentialService';
import { CliTaskRunner } from './vscode/tasks/cliTaskRunner';
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
  // Runbooks are parsed by code loaded with the first parse; large ones on the model worker's thread.
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
  // The panel's Cancel button reaches the runner; without a runner there is no run to cancel.
  const results = new ResultsPanel(webviews.register(RESULTS_PANEL), { onCancel: (id) => sql.ifMade?.cancel(id) }, log);
  // The SQL runner's code (the judge, the catalog, Postgres's parser) loads with the first run.
  const sql = new LazyService(async () => {
    const { SqlSnippetRunner } = await import('./vscode/sql/sqlSnippetRunner');
    return new SqlSnippetRunner({
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
  });

  const terminals = new ProjectTerminals();
  const binaries = new SupabaseBinaries(log);
  const linkedRefs = new LinkedRefs();
  const cli = new SupabaseCliContext(projects, binaries, linkedRefs);
  const credentials = new CredentialService(secrets, log);
  // Deploy, migrations and secret rotation run the Supabase CLI as VS Code tasks through this.
  const tasks = new CliTaskRunner(journal, log);
  const missingCli = new MissingCli(gate, tasks, binaries);
  const supabaseTasks = new LazyService(async () => {
    const { SupabaseTasks } = await import('./vscode/tasks/supabaseTasks');
    return new SupabaseTasks({ projects, cli, credentials, gate, tasks, missingCli });
  });
  // The runs' states are read from the start (lenses, the view); the runner's code (planning, the safety rules,
  // confirmation) loads with the first run.
  const shellRuns = new ShellRunStates(index);
  const shell = new LazyService(async () => {
    const { ShellSnippetRunner } = await import('./vscode/shell/shellSnippetRunner');
    return new ShellSnippetRunner({
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
      states: shellRuns,
    });
  });
  // The view shows shell snippets with the actions that apply to each (single, multi, steps, running).
  const shellTree = new ShellTreeContext(tree, shellRuns);
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
    sql,
    new RunbookDiagnostics(index),
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
    shellRuns,
    supabaseTasks,
    tasks,
    shellTree,
    ...journalParts,
    ...registerShellFeature(lenses, shell, shellRuns, cli, index),
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
    results,
    runners: registry,
    journal,
    gate,
    shell: {
      stateOf: (uri, snippetId) => shellRuns.get(uri, snippetId),
      answeredRequests: () => shellRuns.answeredRequests,
    },
    supabaseTasks,
    secrets,
    health,
    logUri: context.logUri,
  };
}

export async function deactivate(): Promise<void> {
  await runners?.disposeAll();
}
