// A Supabase project the runbook's snippets can run against. Secrets are never part of it.
export type SslMode = 'disable' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';

export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  caFile?: string;
}

export interface LinkedProject {
  /** Unique, shown to the user: "local", "staging", "production". */
  name: string;
  ref?: string;
  apiUrl?: string;
  db?: DatabaseTarget;
  production: boolean;
  isLocal: boolean;
  /** Where it was found, for the picker's description. */
  source: 'settings' | 'supabase link' | 'local stack';
}

export function describeTarget(project: LinkedProject): string {
  if (!project.db) return project.apiUrl ?? project.name;
  return `${project.db.user}@${project.db.host}:${project.db.port}/${project.db.database}`;
}
