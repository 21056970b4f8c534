// Every `runbook.*` setting, read through one zod schema from the plain values VS Code returns.
// A bad value falls back to its default and is reported once, instead of breaking a feature at
// 3 a.m.; `runbook.projects` is checked entry by entry, so one bad project never hides the others.
// package.json's contributes.configuration declares the same settings for VS Code's editor; a unit test
// (test/unit/manifest/settingsManifest.test.ts) holds the two to the same types, defaults, bounds and keys.
import * as z from '../schema/zod';
import {
  parseProjectSettings,
  describeProjectProblem,
  projectSchema,
  type ProjectSettingProblem,
} from '../projects/projectSettings';
import type { ProjectSettingInput } from '../projects/discoverProjects';
import { healthSettingsSchema } from '../health/healthSettings';

export const DEFAULT_RUNBOOK_GLOBS = [
  '**/RUNBOOK.md',
  '**/runbook*.md',
  '**/Runbook*.md',
  '**/*-runbook.md',
  '**/runbooks/**/*.md',
];
export const DEFAULT_EXCLUDE = '**/{node_modules,.git,dist,out}/**';

const SQL_DEFAULTS = { statementTimeoutSeconds: 30, maxRows: 1000, poolSize: 3 };

const settingsSchema = z.object({
  files: z._default(z.array(z.string().check(z.minLength(1))), DEFAULT_RUNBOOK_GLOBS),
  exclude: z._default(z.string(), DEFAULT_EXCLUDE),
  showSampleWhenEmpty: z._default(z.boolean(), true),
  refreshDelayMs: z._default(z.int().check(z.minimum(0), z.maximum(5000)), 250),
  activeProject: z.optional(z.string()),
  sql: z._default(
    z.object({
      statementTimeoutSeconds: z._default(
        z.number().check(z.minimum(1), z.maximum(3600)),
        SQL_DEFAULTS.statementTimeoutSeconds,
      ),
      maxRows: z._default(z.int().check(z.minimum(1), z.maximum(1_000_000)), SQL_DEFAULTS.maxRows),
      poolSize: z._default(z.int().check(z.minimum(1), z.maximum(20)), SQL_DEFAULTS.poolSize),
    }),
    SQL_DEFAULTS,
  ),
  health: healthSettingsSchema,
});

/** The keys of the `runbook` section: those of the schema, and `projects`, which is checked entry by entry. */
export const RUNBOOK_SETTING_KEYS = [
  ...(Object.keys(settingsSchema.shape) as Array<keyof typeof settingsSchema.shape>),
  'projects',
] as const;
export type RunbookSettingKey = (typeof RUNBOOK_SETTING_KEYS)[number];

/** Every setting as one schema, `projects` included: what package.json must declare (for the manifest test). */
export function runbookSettingsDeclaration() {
  return z.extend(settingsSchema, { projects: z._default(z.array(projectSchema), []) });
}

export type RunbookSettings = z.infer<typeof settingsSchema> & {
  projects: ProjectSettingInput[];
  /** Entries of runbook.projects that were skipped or partly ignored, for the user to fix. */
  projectProblems: ProjectSettingProblem[];
};

/**
 * `raw` holds the values of the keys above as VS Code returns them (undefined for unset keys).
 * `onProblem` hears one sentence per problem, projects included.
 */
export function parseRunbookSettings(
  raw: Readonly<Record<string, unknown>>,
  onProblem?: (message: string) => void,
): RunbookSettings {
  const values: Record<string, unknown> = {};
  for (const key of RUNBOOK_SETTING_KEYS) {
    if (key !== 'projects' && raw[key] !== undefined && raw[key] !== null) values[key] = raw[key];
  }
  const { projects, problems: projectProblems } = parseProjectSettings(raw.projects);
  for (const problem of projectProblems) onProblem?.(describeProjectProblem(problem));

  const parsed = settingsSchema.safeParse(values);
  if (parsed.success) return { ...parsed.data, projects, projectProblems };
  // Keep every valid key and default only the broken ones.
  const bad = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  for (const issue of parsed.error.issues)
    onProblem?.(`Setting runbook.${issue.path.join('.')}: ${issue.message}. Using the default.`);
  for (const key of bad) delete values[key];
  return { ...settingsSchema.parse(values), projects, projectProblems };
}
