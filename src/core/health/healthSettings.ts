// The runbook.health.* settings, read through the one settings schema (core/settings): defaults that suit an
// on-call engineer, and a bad value falls back to its default instead of stopping the checks.
import * as z from 'zod';

const timingOverride = z.object({
  /** The Health Check Frequency row's name ("Edge Functions"), or "default" for checks no row names. */
  check: z.string().min(1),
  intervalSeconds: z.number().min(1).max(86_400).optional(),
  timeoutSeconds: z.number().min(0.1).max(600).optional(),
  retries: z.number().int().min(0).max(10).optional(),
});

export const HEALTH_DEFAULTS = {
  startOnActivation: false,
  pauseWhenUnfocused: true,
  recoveryPasses: 2,
  timing: [] as Array<z.infer<typeof timingOverride>>,
  functionLogsPollSeconds: 5,
  managementApiUrl: 'https://api.supabase.com',
  runbook: '',
};

export const healthSettingsSchema = z
  .object({
    /** Watch from activation, rather than from the first time the panel or view is opened. */
    startOnActivation: z.boolean().default(HEALTH_DEFAULTS.startOnActivation),
    /** Pause polling while the window is unfocused and neither the panel nor the view is visible. */
    pauseWhenUnfocused: z.boolean().default(HEALTH_DEFAULTS.pauseWhenUnfocused),
    /** Clean passes in a row that bring a failing check back to Healthy. */
    recoveryPasses: z.number().int().min(1).max(10).default(HEALTH_DEFAULTS.recoveryPasses),
    /** Overrides by Health Check Frequency row name ("Edge Functions"), or "default" for checks without a row. */
    timing: z.array(timingOverride).default(HEALTH_DEFAULTS.timing),
    functionLogsPollSeconds: z.number().min(2).max(300).default(HEALTH_DEFAULTS.functionLogsPollSeconds),
    /** The runbook whose tables judge (workspace-relative); empty: the first with monitoring tables. */
    runbook: z.string().default(HEALTH_DEFAULTS.runbook),
    /** Where the personal access token is sent. Machine-scoped in package.json: a workspace cannot redirect it. */
    managementApiUrl: z.url({ protocol: /^https?$/ }).default(HEALTH_DEFAULTS.managementApiUrl),
  })
  .default(HEALTH_DEFAULTS);

export type HealthSettings = z.infer<typeof healthSettingsSchema>;

/** The timing overrides by the name they override (the last one wins). */
export function timingOverrides(settings: HealthSettings): Record<string, z.infer<typeof timingOverride>> {
  return Object.fromEntries(settings.timing.map((t) => [t.check, t]));
}
