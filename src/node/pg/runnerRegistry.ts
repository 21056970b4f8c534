// One small connection pool per project. A pool that is no longer wanted (its project stopped being the
// active one, its password changed or was cleared) closes once its runs have finished, at once when it
// is idle: switching projects never cancels a query the user started elsewhere ("Run on…"). Only
// deactivation closes everything at once.
// The runner and pg are loaded on the first run, not at activation: most sessions open the tree and never run SQL.
import type { LinkedProject } from '../../core/projects/linkedProject';
import type { PgRunner } from './pgRunner';

export class RunnerRegistry {
  private readonly runners = new Map<string, { runner: PgRunner; password: string }>();
  /** Pools on their way out: no new run gets them; they close when their last run ends. */
  private readonly closing = new Set<PgRunner>();

  constructor(private readonly poolSize: () => number) {}

  private key(project: LinkedProject): string {
    const db = project.db!;
    return `${project.name}|${db.user}@${db.host}:${db.port}/${db.database}|${db.sslmode}|${db.caFile ?? ''}`;
  }

  async get(project: LinkedProject, password: string): Promise<PgRunner> {
    const { PgRunner } = await import('./pgRunner');
    const key = this.key(project);
    const existing = this.runners.get(key);
    if (existing && existing.password === password) return existing.runner;
    if (existing) void this.closeWhenIdle(key);
    const db = project.db!;
    const runner = new PgRunner({
      connection: {
        host: db.host,
        port: db.port,
        database: db.database,
        user: db.user,
        password,
        sslmode: db.sslmode,
        ...(db.caFile ? { caFile: db.caFile } : {}),
        applicationName: 'runbook-companion',
      },
      poolSize: this.poolSize(),
    });
    this.runners.set(key, { runner, password });
    return runner;
  }

  /** The project's credentials are wrong or gone: its pool closes once its runs end. */
  forget(project: LinkedProject): Promise<void> {
    return project.db ? this.closeWhenIdle(this.key(project)) : Promise.resolve();
  }

  /**
   * The project is no longer the active one (or its settings changed): its pool closes once its runs
   * end, at once when idle. Nothing happens when it is still `current`'s pool.
   */
  retire(previous: LinkedProject | undefined, current?: LinkedProject): Promise<void> {
    if (!previous?.db) return Promise.resolve();
    const key = this.key(previous);
    if (current?.db && this.key(current) === key) return Promise.resolve();
    return this.closeWhenIdle(key);
  }

  /** Server connections held by every pool, those closing included. */
  activeConnections(): number {
    let n = 0;
    for (const { runner } of this.runners.values()) n += runner.activeConnections();
    for (const runner of this.closing) n += runner.activeConnections();
    return n;
  }

  /** Runs in progress on any pool. */
  get busy(): boolean {
    return (
      [...this.runners.values()].some(({ runner }) => runner.busy) || [...this.closing].some((runner) => runner.busy)
    );
  }

  /** Cancels every run and closes every pool now (deactivation). */
  async disposeAll(): Promise<void> {
    const all = [...[...this.runners.values()].map(({ runner }) => runner), ...this.closing];
    this.runners.clear();
    this.closing.clear();
    await Promise.all(all.map((runner) => runner.dispose()));
  }

  private async closeWhenIdle(key: string): Promise<void> {
    const entry = this.runners.get(key);
    if (!entry) return;
    this.runners.delete(key);
    this.closing.add(entry.runner);
    await entry.runner.whenIdle();
    await entry.runner.dispose();
    this.closing.delete(entry.runner);
  }
}
