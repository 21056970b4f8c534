// The health checks inside VS Code: which runbook judges (the workspace's first with monitoring tables), which
// projects are watched (every linked one, with its key, database pool and the Management API when a token is set),
// when polling runs (from the first time the panel or view is opened, remembered per workspace; paused while the
// window is unfocused and nothing shows the results, if the setting says so; never in Restricted Mode).
import * as vscode from 'vscode';
import { Disposable } from '../../core/lifecycle/disposable';
import { projectLabel, type LinkedProject } from '../../core/projects/linkedProject';
import type { Runbook } from '../../core/model/types';
import { HEALTH_STATE_ORDER, type HealthState, type ProjectHealthView } from '../../shared/health/healthView';
import type { HealthMonitor, HealthEvent, MonitoredProject } from '../../node/health/healthMonitor';
import type { RunnerRegistry } from '../../node/pg/runnerRegistry';
import type { ManagementApiClient } from '../../node/supabase/managementApiClient';
import type { ProjectService } from '../projects/projectService';
import type { RunbookIndex, IndexedRunbook } from '../runbooks/runbookIndex';
import type { SecretStore } from '../secrets/secretStore';
import type { RunbookConfig } from '../settings';
import type { HealthSettings } from '../../core/health/healthSettings';
import { HealthKeys } from './healthKeys';
import { loadOnce } from '../../core/lifecycle/loadOnce';

const STARTED_KEY = 'runbook.health.watching';

export interface HealthControllerDeps {
  config: RunbookConfig;
  index: RunbookIndex;
  projects: ProjectService;
  secrets: SecretStore;
  storage: vscode.SecretStorage;
  runners: RunnerRegistry;
  management: ManagementApiClient;
  state: vscode.Memento;
  log: vscode.LogOutputChannel;
}

export class HealthController extends Disposable {
  private monitor: HealthMonitor | undefined;
  // The checks' code (planning from the runbook's tables, the probes, the database checks, the Management API) loads
  // when watching starts, not at activation: nothing is checked before the user asks.
  private readonly loadMonitorCode = loadOnce(() => import('./healthMonitorFactory'));
  /** Settles when the monitor asked for last exists (or could not be made). */
  private creating: Promise<void> = Promise.resolve();
  /** Counts starts, stops and disposal: a monitor is made only for the latest start, if nothing came after it. */
  private generation = 0;
  private readonly keys: HealthKeys;
  private readonly changed = this._register(new vscode.EventEmitter<void>());
  private readonly events = this._register(new vscode.EventEmitter<HealthEvent>());
  /** The views changed (a poll finished, projects or the runbook changed, watching started or paused). */
  readonly onDidChange = this.changed.event;
  /** State changes of checks and projects, for the journal and the notification. */
  readonly onDidChangeState = this.events.event;
  private readonly redraw = this._register(new vscode.EventEmitter<void>());
  private redrawScheduled = false;
  /** onDidChange at most once per tick, for what redraws (the status bar, the view): many polls finish together. */
  readonly onDidChangeOncePerTick = this.redraw.event;
  private readonly showing = new Set<string>();
  private runbookEntry: IndexedRunbook | undefined;
  private syncing: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HealthControllerDeps) {
    super();
    this.keys = new HealthKeys(deps.secrets, deps.management);
    this._register(
      this.onDidChange(() => {
        if (this.redrawScheduled) return;
        this.redrawScheduled = true;
        setTimeout(() => {
          this.redrawScheduled = false;
          if (!this.isDisposed) this.redraw.fire();
        }, 0);
      }),
    );
    this._register(deps.index.onDidChange(() => this.useRunbook()));
    let health = deps.config.settings.health;
    this._register(
      deps.config.onDidChange((change) => {
        const before = health;
        health = deps.config.settings.health;
        const changed = (key: keyof HealthSettings) =>
          change.affects('health') && JSON.stringify(before[key]) !== JSON.stringify(health[key]);
        if (changed('timing') || changed('recoveryPasses')) this.restart();
        else if (change.affects('projects')) void this.syncProjects();
        if (changed('pauseWhenUnfocused')) this.updatePause();
        if (changed('runbook')) this.useRunbook();
      }),
    );
    this._register(
      deps.storage.onDidChange(() => {
        this.keys.clear();
        void this.syncProjects();
      }),
    );
    this._register(deps.projects.onDidChangeActive(() => void this.syncProjects()));
    this._register(vscode.window.onDidChangeWindowState(() => this.updatePause()));
    this._register(vscode.workspace.onDidGrantWorkspaceTrust(() => this.startIfWanted()));
    this.startIfWanted();
    this.announceWatching();
  }

  get watching(): boolean {
    return this.monitor !== undefined;
  }

  get paused(): boolean {
    return this.monitor?.paused ?? false;
  }

  /** The runbook the checks come from, as the panel names it. */
  get runbook(): IndexedRunbook | undefined {
    return this.runbookEntry;
  }

  views(): ProjectHealthView[] {
    return this.monitor?.views() ?? [];
  }

  /** Worst over every watched project; undefined before watching starts. */
  get worst(): HealthState | undefined {
    const views = this.views();
    if (!this.monitor || views.length === 0) return undefined;
    return views.reduce<HealthState>(
      (worst, v) => (HEALTH_STATE_ORDER.indexOf(v.state) > HEALTH_STATE_ORDER.indexOf(worst) ? v.state : worst),
      'healthy',
    );
  }

  /** Starts watching (remembered for this workspace); false in Restricted Mode, where nothing runs. */
  async start(): Promise<boolean> {
    if (!vscode.workspace.isTrusted) return false;
    await this.deps.state.update(STARTED_KEY, true);
    // A load that fails says so itself; a Stop pressed meanwhile wins.
    if (!this.monitor) await this.createMonitor();
    await this.syncing;
    return true;
  }

  /** Stops watching, and forgets that this workspace wanted it (the panel or the view start it again). */
  async stop(): Promise<void> {
    await this.deps.state.update(STARTED_KEY, false);
    this.generation++;
    this.monitor?.dispose();
    this.monitor = undefined;
    this.announceWatching();
    this.changed.fire();
  }

  /** Polls every check now. */
  refresh(): void {
    this.keys.clear();
    void this.syncProjects().then(() => this.monitor?.pollNow());
  }

  /** A surface that shows the results (the panel, the view) became visible or hidden. */
  setShowing(surface: string, visible: boolean): void {
    if (visible) this.showing.add(surface);
    else this.showing.delete(surface);
    this.updatePause();
  }

  /** For the tests: resolves once no poll runs and projects are in sync. */
  async idle(): Promise<void> {
    await this.creating;
    await this.syncing;
    await this.monitor?.idle();
  }

  protected override onDispose(): void {
    this.generation++;
    this.monitor?.dispose();
    this.monitor = undefined;
  }

  private startIfWanted(): void {
    if (!vscode.workspace.isTrusted || this.monitor) return;
    const settings = this.deps.config.settings.health;
    if (settings.startOnActivation || this.deps.state.get<boolean>(STARTED_KEY)) void this.createMonitor();
  }

  private restart(): void {
    if (!this.monitor) return;
    this.monitor.dispose();
    this.monitor = undefined;
    void this.createMonitor();
  }

  private createMonitor(): Promise<void> {
    const generation = ++this.generation;
    this.creating = this.loadMonitorCode().then(
      (code) => {
        if (this.isDisposed || generation !== this.generation || this.monitor) return;
        this.useMonitor(code.createHealthMonitor(this.deps.config.settings.health));
      },
      (error: unknown) => {
        this.deps.log.error(`Health: the checks could not load: ${(error as Error).message}`);
        void vscode.window.showErrorMessage(`Runbook health checks could not load: ${(error as Error).message}`);
      },
    );
    return this.creating;
  }

  private useMonitor(monitor: HealthMonitor): void {
    this.monitor = monitor;
    this.announceWatching();
    monitor.onEvent((event) => {
      if (event.type !== 'updated') this.events.fire(event);
      this.changed.fire();
    });
    this.useRunbook();
    this.updatePause();
    void this.syncProjects();
  }

  /** For the Health view's welcome and menus: whether the checks run. */
  private announceWatching(): void {
    void vscode.commands.executeCommand('setContext', 'runbook.healthWatching', this.monitor !== undefined);
  }

  private useRunbook(): void {
    const entry = chooseRunbook(this.deps.index.all, this.deps.config.settings.health.runbook);
    this.runbookEntry = entry;
    this.monitor?.setRunbook(entry?.runbook, entry ? runbookName(entry) : undefined);
    this.changed.fire();
  }

  private syncProjects(): Promise<void> {
    const run = async () => {
      const monitor = this.monitor;
      if (!monitor) return;
      await this.deps.projects.ready();
      const watched: MonitoredProject[] = [];
      for (const project of this.deps.projects.all) watched.push(await this.monitored(project));
      if (this.monitor === monitor) monitor.setProjects(watched);
      this.changed.fire();
    };
    this.syncing = this.syncing
      .then(run, run)
      .catch((error: unknown) =>
        this.deps.log.error(`Health: reading the projects failed: ${(error as Error).message}`),
      );
    return this.syncing;
  }

  private async monitored(project: LinkedProject): Promise<MonitoredProject> {
    const notes: string[] = [];
    const key = await this.keys.keyFor(project);
    if (key.note) notes.push(key.note);
    const management = (await this.deps.management.hasToken()) && project.ref ? project.ref : undefined;
    const watched: MonitoredProject = {
      identity: {
        project: project.name,
        label: projectLabel(project),
        production: project.production,
        ...(project.apiUrl ? { apiUrl: project.apiUrl } : {}),
        ...(project.ref ? { ref: project.ref } : {}),
      },
      target: {
        ...(project.apiUrl ? { apiUrl: project.apiUrl } : {}),
        ...(key.key ? { key: key.key } : {}),
        ...(project.db
          ? {
              database: async () => {
                const password = await this.deps.secrets.knownDatabasePassword(project);
                return password === undefined ? undefined : this.deps.runners.get(project, password);
              },
            }
          : {}),
        ...(management ? { management: { client: this.deps.management, ref: management } } : {}),
      },
      notes,
    };
    if (key.source) watched.keySource = key.source;
    if (!management && project.ref)
      notes.push(
        'Without a personal access token the Management API is not asked and error rate and P95 come from the probes (Runbook: Set Project Secret).',
      );
    return watched;
  }

  private updatePause(): void {
    const monitor = this.monitor;
    if (!monitor) return;
    const pause =
      this.deps.config.settings.health.pauseWhenUnfocused && !vscode.window.state.focused && this.showing.size === 0;
    if (pause && !monitor.paused) {
      monitor.pause();
      this.deps.log.info('Health: polling paused (the window is unfocused and nothing shows the results)');
    } else if (!pause && monitor.paused) {
      monitor.resume();
      this.deps.log.info('Health: polling resumed');
    }
    this.changed.fire();
  }
}

/**
 * The runbook named by runbook.health.runbook, else the workspace's first with monitoring tables (a runbook of its
 * own before the sample).
 */
export function chooseRunbook(entries: readonly IndexedRunbook[], named = ''): IndexedRunbook | undefined {
  const wanted = named.trim().replace(/^\.?\//, '');
  if (wanted) {
    const found = entries.find((e) => !e.isSample && vscode.workspace.asRelativePath(e.uri, false) === wanted);
    if (found) return found;
  }
  const has = (r: Runbook) =>
    Boolean(r.typed.monitoringEndpoints ?? r.typed.criticalMetrics ?? r.typed.healthCheckFrequency);
  return entries.find((e) => !e.isSample && has(e.runbook)) ?? entries.find((e) => has(e.runbook));
}

function runbookName(entry: IndexedRunbook): string {
  return entry.isSample ? 'the sample runbook' : vscode.workspace.asRelativePath(entry.uri);
}
