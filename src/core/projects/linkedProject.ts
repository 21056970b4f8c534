// A Supabase project the runbook's snippets can run against. Secrets are never part of it.
export const SSL_MODES = ['disable', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];
/** A Supabase project ref: 20 lowercase letters or digits. */
export const PROJECT_REF = /^[a-z0-9]{20}$/;

/** What a project's database settings mean when they leave these out. */
export const DATABASE_DEFAULTS = { port: 5432, database: 'postgres', user: 'postgres' } as const;

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
  source: 'settings' | 'supabase link' | 'config.toml' | 'local stack';
}

export function describeTarget(project: LinkedProject): string {
  if (!project.db) return project.apiUrl ?? project.name;
  return `${project.db.user}@${project.db.host}:${project.db.port}/${project.db.database}`;
}

// Names that say "production" even when the setting does not: prod, production, live, as a word of the
// name (eu-production, acme-prod, live). Safety over convenience: such a project asks for its ref.
const PRODUCTION_WORD = /(^|[^a-z0-9])(prod|production|live)([^a-z0-9]|$)/i;

export function nameSaysProduction(name: string): boolean {
  return PRODUCTION_WORD.test(name);
}

// Names that say an environment is not production, as a word of the name (staging, eu-staging, dev, preview-42).
const NOT_PRODUCTION_WORD =
  /(^|[^a-z0-9])(staging|stage|dev|develop|development|preview|test|testing|qa|sandbox)([^a-z0-9]|$)/i;

export function nameSaysNotProduction(name: string): boolean {
  return NOT_PRODUCTION_WORD.test(name);
}

/** The project as the user reads it everywhere: its name, and "(production)" unless the name says so. */
export function projectLabel(project: Pick<LinkedProject, 'name' | 'production'>): string {
  return project.production && !nameSaysProduction(project.name) ? `${project.name} (production)` : project.name;
}
