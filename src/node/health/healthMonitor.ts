// Polls every linked project's checks on the runbook's schedule and keeps their damped states: what the panel, the
// status bar and the journal listen to. The clock is injected, so tests and the benchmark run minutes of polling in
// seconds; one prober (one keep-alive pool per origin) serves every project.
import type { Runbook } from '../../core/model/types';
import { planChecks, unprobedRows, type CheckSpec, type TimingOverride } from '../../core/health/checkPlan';
import { ProjectHealth, type CheckStateChange, type ProjectIdentity } from '../../core/health/projectHealth';
import type { StateChange } from '../../core/health/flapping';
import { RECOVERY_PASSES } from '../../core/health/flapping';
import { Disposable, type DisposableLike } from '../../core/lifecycle/disposable';
import type { ProjectHealthView } from '../../shared/health/healthView';
import type { Clock } from '../http/clock';
import { HttpProber } from '../http/httpProber';
import { PollScheduler } from '../http/pollScheduler';
import { pollCheck, type HealthTarget, type PollContext } from './pollCheck';

export interface MonitoredProject {
  identity: ProjectIdentity;
  target: HealthTarget;
  /** How the key was found ("SecretStorage", "Management API", "local stack default"): never the key. */
  keySource?: string;
  /** Problems of the setup the panel shows with the card. */
  notes?: string[];
}

export type HealthEvent =
  | { type: 'check'; project: string; change: CheckStateChange }
  | { type: 'project'; project: string; change: StateChange; view: ProjectHealthView }
  /** Something was polled; the views changed. */
  | { type: 'updated'; project: string };

export interface HealthMonitorOptions {
  clock: Clock;
  prober?: HttpProber;
  recoveryPasses?: number;
  overrides?: Readonly<Record<string, TimingOverride>>;
}

interface Entry {
  project: MonitoredProject;
  health: ProjectHealth;
  /** What the plan was made from, lines left out: an entry with the same key keeps its history. */
  key: string;
  tasks: DisposableLike[];
}

/** The checks as planned, without the lines they came from (moving a table does not change what is checked). */
function planKey(checks: readonly CheckSpec[]): string {
  return JSON.stringify(checks, (key, value: unknown) => (key === 'line' ? undefined : value));
}

export class HealthMonitor extends Disposable {
  private readonly scheduler: PollScheduler;
  private readonly prober: HttpProber;
  private readonly ownsProber: boolean;
  private readonly entries = new Map<string, Entry>();
  private readonly listeners = new Set<(event: HealthEvent) => void>();
  private runbook: Runbook | undefined;
  private runbookName: string | undefined;
  private context: PollContext | undefined;

  constructor(private readonly options: HealthMonitorOptions) {
    super();
    this.scheduler = this._register(new PollScheduler(options.clock));
    this.ownsProber = !options.prober;
    this.prober = options.prober ?? new HttpProber();
  }

  onEvent(listener: (event: HealthEvent) => void): DisposableLike {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * The runbook whose tables say what to check and how to judge it. A project whose plan is unchanged (an edit
   * elsewhere in the runbook, lines moved) keeps its history and judges by the new rules from its next poll.
   */
  setRunbook(runbook: Runbook | undefined, name?: string): void {
    this.runbook = runbook;
    this.runbookName = name;
    this.sync([...this.entries.values()].map((e) => e.project));
  }

  /** The projects to watch; a project whose target and plan are unchanged keeps its history. */
  setProjects(projects: readonly MonitoredProject[]): void {
    this.sync(projects);
  }

  views(): ProjectHealthView[] {
    const now = this.options.clock.now();
    return [...this.entries.values()].map((e) => e.health.view(now));
  }

  view(project: string): ProjectHealthView | undefined {
    return this.entries.get(project)?.health.view(this.options.clock.now());
  }

  get projects(): string[] {
    return [...this.entries.keys()];
  }

  pause(): void {
    this.scheduler.pause();
  }

  resume(): void {
    this.scheduler.resume();
  }

  get paused(): boolean {
    return this.scheduler.isPaused;
  }

  pollNow(): void {
    this.scheduler.pollAllNow();
  }

  /** Resolves once no poll is running (tests and the benchmark step the clock between). */
  idle(): Promise<void> {
    return this.scheduler.idle();
  }

  get pollsStarted(): number {
    return this.scheduler.pollsStarted;
  }

  protected override onDispose(): void {
    for (const entry of this.entries.values()) for (const task of entry.tasks) task.dispose();
    this.entries.clear();
    if (this.ownsProber) void this.prober.close();
  }

  private sync(projects: readonly MonitoredProject[]): void {
    const runbook = this.runbook;
    const wanted = new Set(projects.map((p) => p.identity.project));
    for (const [name, entry] of this.entries)
      if (!runbook || !wanted.has(name) || this.isDisposed) this.drop(name, entry);
    if (!runbook || this.isDisposed) return;
    projects.forEach((project, index) => {
      const checks = planChecks(runbook, {
        database: Boolean(project.target.database),
        managementApi: Boolean(project.target.management),
        ...(this.options.overrides ? { overrides: this.options.overrides } : {}),
      });
      const key = `${planKey(checks)}|${JSON.stringify(project.identity)}|${project.target.apiUrl}`;
      const notes = [
        ...(project.notes ?? []),
        ...unprobedRows(runbook, { database: Boolean(project.target.database) }).map((r) => r.why),
      ];
      const existing = this.entries.get(project.identity.project);
      if (existing && existing.key === key) {
        existing.project = project;
        existing.health.useRunbook(runbook);
        existing.health.notes = notes;
        existing.health.keySource = project.keySource;
        return;
      }
      if (existing) this.drop(project.identity.project, existing);
      this.start(project, checks, key, notes, index);
    });
  }

  /** One poll context per runbook, not one per poll. */
  private contextFor(runbook: Runbook): PollContext {
    if (this.context?.runbook !== runbook)
      this.context = { runbook, prober: this.prober, now: () => this.options.clock.now() };
    return this.context;
  }

  private drop(name: string, entry: Entry): void {
    for (const task of entry.tasks) task.dispose();
    this.entries.delete(name);
  }

  private start(project: MonitoredProject, checks: CheckSpec[], key: string, notes: string[], index: number): void {
    const health = new ProjectHealth(
      project.identity,
      this.runbook!,
      this.runbookName,
      checks,
      this.options.recoveryPasses ?? RECOVERY_PASSES,
    );
    health.keySource = project.keySource;
    health.notes = notes;
    const entry: Entry = { project, health, key, tasks: [] };
    this.entries.set(project.identity.project, entry);
    const name = project.identity.project;
    health.polledChecks.forEach((check, checkIndex) => {
      const task = {
        intervalMs: check.timing.intervalMs,
        run: async () => {
          const runbook = this.runbook;
          if (!runbook) return;
          // The target as it is now: a key set since the plan was made is used at once.
          const poll = await pollCheck(check, entry.project.target, this.contextFor(runbook));
          // A plan replaced while the poll ran has another ProjectHealth: this result belongs to no one.
          if (this.entries.get(name) !== entry) return;
          const effects = health.record(check.id, poll);
          for (const change of effects.changes) this.emit({ type: 'check', project: name, change });
          if (effects.project)
            this.emit({
              type: 'project',
              project: name,
              change: effects.project,
              view: health.view(this.options.clock.now()),
            });
          if (this.listeners.size) this.emit({ type: 'updated', project: name });
        },
      };
      // First polls spread over a second, so twenty projects do not fire at one instant.
      entry.tasks.push(this.scheduler.add(task, ((index * 7 + checkIndex) * 37) % 1000));
    });
  }

  private emit(event: HealthEvent): void {
    if (this.listeners.size === 0) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
