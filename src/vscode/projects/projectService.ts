// The workspace's linked projects and the active one. Re-reads when supabase/ files or settings change.
import * as vscode from 'vscode';
import { homedir } from 'node:os';
import { discoverProjects, type WorkspaceSupabaseFiles } from '../../core/projects/discoverProjects';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import { describeProjectProblem, type ProjectSettingProblem } from '../../core/projects/projectSettings';
import type { RunbookConfig } from '../settings';
import { Disposable } from '../../core/lifecycle/disposable';

const ACTIVE_KEY = 'runbook.activeProject';

/** The active project changed from `previous` to `current` (either may be undefined). */
export interface ActiveProjectSwitch {
  previous: LinkedProject | undefined;
  current: LinkedProject | undefined;
}

export class ProjectService extends Disposable {
  private projects: LinkedProject[] = [];
  private readonly changed = this._register(new vscode.EventEmitter<ActiveProjectSwitch>());
  /** The active project as last announced, so a switch can say what it switched from. */
  private announced: LinkedProject | undefined;
  private loading: Promise<void> | undefined;
  /** Counts reloads, so that only the one started last applies its result. */
  private generation = 0;
  private reportedProblems = '';
  /** runbook.activeProject as of the last reload (which a change of that setting triggers). */
  private activeSetting: string | undefined;
  /** Entries of runbook.projects that were skipped or partly ignored at the last reload. */
  problems: readonly ProjectSettingProblem[] = [];
  /** What was wrong in supabase/config.toml at the last reload, one sentence each, naming the file and line. */
  configProblems: readonly string[] = [];
  private reportedConfigProblems = '';
  /** The active project changed; the one active before is named so that its connections can close. */
  readonly onDidChangeActive = this.changed.event;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
    private readonly config: RunbookConfig,
  ) {
    super();
    const watcher = this._register(
      vscode.workspace.createFileSystemWatcher('**/supabase/{config.toml,.temp/project-ref,.temp/pooler-url}'),
    );
    const reload = () => void this.reload();
    for (const subscription of [
      watcher.onDidCreate(reload),
      watcher.onDidChange(reload),
      watcher.onDidDelete(reload),
      config.onDidChange((change) => {
        if (change.affects('projects', 'activeProject')) reload();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(reload),
    ])
      this._register(subscription);
  }

  get all(): readonly LinkedProject[] {
    return this.projects;
  }

  get active(): LinkedProject | undefined {
    const chosen = this.state.get<string>(ACTIVE_KEY) ?? this.activeSetting;
    return this.projects.find((p) => p.name === chosen) ?? this.projects.find((p) => p.isLocal) ?? this.projects[0];
  }

  async ready(): Promise<void> {
    if (!this.loading) this.loading = this.reload();
    await this.loading;
  }

  async setActive(name: string): Promise<void> {
    await this.state.update(ACTIVE_KEY, name);
    this.announce();
  }

  private announce(): void {
    const previous = this.announced;
    const current = this.active;
    this.announced = current;
    this.changed.fire({ previous, current });
  }

  reload(): Promise<void> {
    const generation = ++this.generation;
    const before = JSON.stringify(this.active);
    this.loading = (async () => {
      const { files, configUri, configProblems } = await this.readSupabaseFiles();
      // Reloads overlap (the file watcher's and an explicit one): one that started later read the files later, and
      // only its result applies; this one waits for it, so that whoever awaits any reload sees the newest state.
      if (generation !== this.generation) return this.loading;
      const settings = this.config.settings;
      const folder = vscode.workspace.workspaceFolders?.[0];
      this.projects = discoverProjects(files, settings.projects, {
        home: homedir(),
        ...(folder?.uri.scheme === 'file' ? { workspaceFolder: folder.uri.fsPath } : {}),
      });
      this.activeSetting = settings.activeProject;
      this.problems = settings.projectProblems;
      this.configProblems = configProblems;
      this.tellAboutProblems(settings.projectProblems);
      this.tellAboutConfigProblems(configUri);
      this.log.info(`Projects: ${this.projects.map(projectLabel).join(', ')}`);
    })().catch((error: unknown) => this.log.error(`Reading the linked projects failed: ${(error as Error).message}`));
    return this.loading.then(() => {
      if (JSON.stringify(this.active) !== before) this.announce();
    });
  }

  /** A visible warning, once per distinct set of problems: a skipped project must not go unnoticed. */
  private tellAboutProblems(problems: readonly ProjectSettingProblem[]): void {
    const key = JSON.stringify(problems);
    if (key === this.reportedProblems) return;
    this.reportedProblems = key;
    if (problems.length === 0) return;
    const skipped = problems.filter((p) => !p.kept).length;
    const headline =
      skipped > 0
        ? `Runbook: ${skipped === 1 ? 'one entry' : `${skipped} entries`} of the setting runbook.projects ${skipped === 1 ? 'is' : 'are'} not used.`
        : 'Runbook: part of the setting runbook.projects is ignored.';
    const open = 'Open Settings';
    void vscode.window
      .showWarningMessage(`${headline} ${problems.map(describeProjectProblem).join(' ')}`, open)
      .then((choice) => {
        if (choice === open) void vscode.commands.executeCommand('workbench.action.openSettings', 'runbook.projects');
      });
  }

  /**
   * A malformed or wrong supabase/config.toml is said once (per distinct set of problems) and logged; the projects
   * from settings and `supabase link` and the local stack stay available meanwhile.
   */
  private tellAboutConfigProblems(configUri: vscode.Uri | undefined): void {
    const key = this.configProblems.join('\n');
    if (key === this.reportedConfigProblems) return;
    this.reportedConfigProblems = key;
    for (const problem of this.configProblems) this.log.warn(problem);
    if (this.configProblems.length === 0 || !configUri) return;
    const open = 'Open config.toml';
    const more = this.configProblems.length > 1 ? ` (and ${this.configProblems.length - 1} more in the log)` : '';
    void vscode.window
      .showWarningMessage(
        `Runbook: ${this.configProblems[0]}${more}. The other projects are still available; the local stack uses the default ports until the file is fixed.`,
        open,
      )
      .then((choice) => {
        if (choice === open) void vscode.window.showTextDocument(configUri);
      });
  }

  private async readSupabaseFiles(): Promise<{
    files: WorkspaceSupabaseFiles;
    configUri?: vscode.Uri;
    configProblems: string[];
  }> {
    const files: WorkspaceSupabaseFiles = {};
    let configUri: vscode.Uri | undefined;
    let configProblems: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uriOf = (...path: string[]) => vscode.Uri.joinPath(folder.uri, 'supabase', ...path);
      const read = async (...path: string[]) => {
        try {
          return new TextDecoder().decode(await vscode.workspace.fs.readFile(uriOf(...path)));
        } catch {
          return undefined;
        }
      };
      if (!files.config) {
        const text = await read('config.toml');
        if (text !== undefined) {
          // The TOML parser loads with the first config.toml, after activation (a bundle of its own in dist/lazy).
          const { readSupabaseConfig, describeConfigProblem } = await import('../../core/projects/supabaseConfig');
          const { config, problems } = readSupabaseConfig(text);
          files.config = config;
          configUri = uriOf('config.toml');
          const name = vscode.workspace.asRelativePath(uriOf('config.toml'));
          configProblems = problems.map((p) => `${name} ${describeConfigProblem(p)}`);
        }
      }
      files.projectRef ??= await read('.temp', 'project-ref');
      files.poolerUrl ??= await read('.temp', 'pooler-url');
    }
    return { files, configProblems, ...(configUri ? { configUri } : {}) };
  }
}
