// The environment that points psql, pg_dump and the Supabase CLI's database commands at a project's database:
// libpq's PG* variables, the password among them. Only a run that logs in to that database gets it.
import type { DatabaseTarget } from '../projects/linkedProject';

export function databaseEnvironment(db: DatabaseTarget, password: string): Record<string, string> {
  return {
    PGHOST: db.host,
    PGPORT: String(db.port),
    PGUSER: db.user,
    PGDATABASE: db.database,
    PGPASSWORD: password,
    PGSSLMODE: db.sslmode,
    ...(db.caFile && (db.sslmode === 'verify-ca' || db.sslmode === 'verify-full') ? { PGSSLROOTCERT: db.caFile } : {}),
  };
}
