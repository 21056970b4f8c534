// One small connection pool per project, closed when the active project changes or on deactivate.
import type { LinkedProject } from '../../core/projects/linkedProject';
import { PgRunner } from '../../node/pg/pgRunner';

export class RunnerRegistry {
  private readonly runners = new Map<string, { runner: PgRunner; password: string }>();

  constructor(private readonly poolSize: () => number) {}

  private key(project: LinkedProject): string {
    const db = project.db!;
    return `${project.name}|${db.user}@${db.host}:${db.port}/${db.database}|${db.sslmode}|${db.caFile ?? ''}`;
  }

  get(project: LinkedProject, password: string): PgRunner {
    const key = this.key(project);
    const existing = this.runners.get(key);
    if (existing && existing.password === password) return existing.runner;
    if (existing) void existing.runner.dispose();
    const db = project.db!;
    const runner = new PgRunner({
      connection: { host: db.host, port: db.port, database: db.database, user: db.user, password, sslmode: db.sslmode, ...(db.caFile ? { caFile: db.caFile } : {}), applicationName: 'runbook-companion' },
      poolSize: this.poolSize(),
    });
    this.runners.set(key, { runner, password });
    return runner;
  }

  forget(project: LinkedProject): void {
    const key = this.key(project);
    const existing = this.runners.get(key);
    if (existing) { void existing.runner.dispose(); this.runners.delete(key); }
  }

  activeConnections(): number {
    let n = 0;
    for (const { runner } of this.runners.values()) n += runner.activeConnections();
    return n;
  }

  async disposeAll(): Promise<void> {
    const all = [...this.runners.values()];
    this.runners.clear();
    await Promise.all(all.map(({ runner }) => runner.dispose()));
  }
}
