// The entries of the setting `runbook.projects`, checked one by one. A value the user left out
// stays out: discoverProjects decides what it means (production from a name such as "production",
// TLS `require` for a remote host, `disable` for the local machine), so the schema never fills a
// default that would hide those decisions. A broken entry is reported and skipped; the others stay.
import * as z from '../schema/zod';
import type { ProjectSettingInput } from './discoverProjects';
import { DATABASE_DEFAULTS, PROJECT_REF, SSL_MODES } from './linkedProject';

// `default` here only documents what discoverProjects fills in (package.json shows it in the settings editor);
// zod never applies it, so a left-out value stays out.
const databaseSchema = z.object({
  host: z.string().check(z.minLength(1, 'db.host must not be empty')),
  port: z.optional(z.int().check(z.minimum(1), z.maximum(65535))).check(z.meta({ default: DATABASE_DEFAULTS.port })),
  database: z.optional(z.string().check(z.minLength(1))).check(z.meta({ default: DATABASE_DEFAULTS.database })),
  user: z.optional(z.string().check(z.minLength(1))).check(z.meta({ default: DATABASE_DEFAULTS.user })),
  sslmode: z.optional(z.enum(SSL_MODES)),
  caFile: z.optional(z.string().check(z.minLength(1))),
});

/** One entry of runbook.projects. */
export const projectSchema = z.object({
  name: z.string().check(z.trim(), z.minLength(1, 'name must not be empty')),
  ref: z.optional(z.string().check(z.regex(PROJECT_REF, 'a Supabase project ref is 20 lowercase letters or digits'))),
  apiUrl: z.optional(z.url()),
  production: z.optional(z.boolean()),
  db: z.optional(databaseSchema),
});

const KNOWN_KEYS = new Set(Object.keys(projectSchema.shape));
const KNOWN_DB_KEYS = new Set(Object.keys(databaseSchema.shape));

export interface ProjectSettingProblem {
  /** Position in the runbook.projects array. */
  index: number;
  /** The entry's name, when it has a readable one. */
  name?: string;
  /** One sentence: what is wrong. */
  message: string;
  /** False when the entry was skipped; true when it is used and only a detail was ignored. */
  kept: boolean;
}

export interface ParsedProjectSettings {
  projects: ProjectSettingInput[];
  problems: ProjectSettingProblem[];
}

export function parseProjectSettings(value: unknown): ParsedProjectSettings {
  if (value === undefined || value === null) return { projects: [], problems: [] };
  if (!Array.isArray(value)) {
    return {
      projects: [],
      problems: [{ index: -1, message: 'runbook.projects must be a list of projects', kept: false }],
    };
  }
  const projects: ProjectSettingInput[] = [];
  const problems: ProjectSettingProblem[] = [];
  const names = new Set<string>();
  value.forEach((entry, index) => {
    const name = readableName(entry);
    const parsed = projectSchema.safeParse(entry);
    if (!parsed.success) {
      const message = parsed.error.issues
        .map((issue) => `${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}`)
        .join('; ');
      problems.push({ index, ...(name ? { name } : {}), message, kept: false });
      return;
    }
    // zod leaves the keys the user left out absent, as discoverProjects needs.
    const project: ProjectSettingInput = parsed.data;
    if (names.has(project.name)) {
      problems.push({
        index,
        name: project.name,
        message: `another project is already named "${project.name}"; this one is skipped`,
        kept: false,
      });
      return;
    }
    names.add(project.name);
    for (const key of unknownKeys(entry as Record<string, unknown>)) {
      problems.push({ index, name: project.name, message: `unknown key "${key}" is ignored`, kept: true });
    }
    projects.push(project);
  });
  return { projects, problems };
}

/** "runbook.projects[2] (staging): db.port: Too big" — for logs and notifications. */
export function describeProjectProblem(problem: ProjectSettingProblem): string {
  const where =
    problem.index < 0
      ? 'runbook.projects'
      : `runbook.projects[${problem.index}]${problem.name ? ` ("${problem.name}")` : ''}`;
  return `${where}: ${problem.message}${problem.kept ? '' : problem.index < 0 ? '' : '. This project is not available until it is fixed.'}`;
}

function readableName(entry: unknown): string | undefined {
  const name = entry && typeof entry === 'object' ? (entry as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() ? name.trim() : undefined;
}

function unknownKeys(entry: Record<string, unknown>): string[] {
  const unknown = Object.keys(entry).filter((key) => !KNOWN_KEYS.has(key));
  const db = entry.db;
  if (db && typeof db === 'object')
    unknown.push(
      ...Object.keys(db)
        .filter((key) => !KNOWN_DB_KEYS.has(key))
        .map((key) => `db.${key}`),
    );
  return unknown;
}
