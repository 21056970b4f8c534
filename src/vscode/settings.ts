// All `runbook.*` settings, read through one zod schema: a bad value falls back to its default
// and is reported once, instead of breaking a feature at 3 a.m.
import * as vscode from 'vscode';
import { z } from 'zod';

export const DEFAULT_RUNBOOK_GLOBS = ['**/RUNBOOK.md', '**/runbook*.md', '**/Runbook*.md', '**/*-runbook.md', '**/runbooks/**/*.md'];
export const DEFAULT_EXCLUDE = '**/{node_modules,.git,dist,out}/**';

const projectSchema = z.object({
  name: z.string().min(1),
  ref: z.string().regex(/^[a-z0-9]{20}$/, 'a Supabase project ref is 20 lowercase letters or digits').optional(),
  apiUrl: z.string().url().optional(),
  production: z.boolean().default(false),
  db: z.object({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65535).default(5432),
    database: z.string().min(1).default('postgres'),
    user: z.string().min(1).default('postgres'),
    sslmode: z.enum(['disable', 'prefer', 'require', 'verify-ca', 'verify-full']).default('prefer'),
    caFile: z.string().optional(),
  }).optional(),
});

export type ProjectSetting = z.infer<typeof projectSchema>;

const settingsSchema = z.object({
  files: z.array(z.string().min(1)).default(DEFAULT_RUNBOOK_GLOBS),
  exclude: z.string().default(DEFAULT_EXCLUDE),
  showSampleWhenEmpty: z.boolean().default(true),
  refreshDelayMs: z.number().int().min(0).max(5000).default(250),
  projects: z.array(projectSchema).default([]),
  activeProject: z.string().optional(),
  sql: z.object({
    statementTimeoutSeconds: z.number().min(1).max(3600).default(30),
    maxRows: z.number().int().min(1).max(1_000_000).default(1000),
    poolSize: z.number().int().min(1).max(20).default(3),
  }).default({ statementTimeoutSeconds: 30, maxRows: 1000, poolSize: 3 }),
});

export type RunbookSettings = z.infer<typeof settingsSchema>;

const KEYS = ['files', 'exclude', 'showSampleWhenEmpty', 'refreshDelayMs', 'projects', 'activeProject', 'sql'] as const;

export function readSettings(onProblem?: (message: string) => void): RunbookSettings {
  const config = vscode.workspace.getConfiguration('runbook');
  const raw: Record<string, unknown> = {};
  for (const key of KEYS) {
    const value = config.get(key);
    if (value !== undefined && value !== null) raw[key] = value;
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  // Keep every valid key and default only the broken ones.
  const bad = new Set(parsed.error.issues.map((i) => String(i.path[0])));
  for (const issue of parsed.error.issues) onProblem?.(`Setting runbook.${issue.path.join('.')}: ${issue.message}. Using the default.`);
  for (const key of bad) delete raw[key];
  return settingsSchema.parse(raw);
}
