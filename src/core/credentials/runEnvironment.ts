// What a run's process (a terminal, a task) is given: the database password as libpq's PG* variables, the access
// token as SUPABASE_ACCESS_TOKEN, secret placeholder values as RUNBOOK_SECRET_*; the values to mask wherever the run
// is shown or recorded; and the words that tell such a terminal apart ("database + access token").
import type { DatabaseTarget } from '../projects/linkedProject';
import { databaseEnvironment } from './databaseEnvironment';

export interface RunSecrets {
  /** The database password, with the database it is for. */
  database?: { db: DatabaseTarget; password: string };
  accessToken?: string;
  /** Secret placeholder values by variable name. */
  secretEnv?: Readonly<Record<string, string>>;
}

export interface RunEnvironment {
  env: Record<string, string>;
  /** Every secret value in `env`, for masking. */
  secrets: string[];
  /** Which of the extension's secrets the environment holds: "database", "access token", "database + access token". */
  holds: string;
}

export function runEnvironment(secrets: RunSecrets): RunEnvironment {
  const env: Record<string, string> = {};
  if (secrets.accessToken) env.SUPABASE_ACCESS_TOKEN = secrets.accessToken;
  if (secrets.database) Object.assign(env, databaseEnvironment(secrets.database.db, secrets.database.password));
  Object.assign(env, secrets.secretEnv ?? {});
  const values = [secrets.accessToken, secrets.database?.password, ...Object.values(secrets.secretEnv ?? {})];
  return {
    env,
    secrets: values.filter((s): s is string => Boolean(s)),
    holds: [secrets.database ? 'database' : '', secrets.accessToken ? 'access token' : ''].filter(Boolean).join(' + '),
  };
}
