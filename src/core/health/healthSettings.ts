// The runbook.health.* settings, read through the one settings schema (core/settings): defaults that suit an
// on-call engineer, and a bad value falls back to its default instead of stopping the checks.
import * as z from '../schema/zod';

const timingOverride = z.object({
  /** The Health Check Frequency row's name ("Edge Functions"), or "default" for checks no row names. */
  check: z.string().check(z.minLength(1)),
  intervalSeconds: z.optional(z.number().check(z.minimum(1), z.maximum(86_400))),
  timeoutSeconds: z.optional(z.number().check(z.minimum(0.1), z.maximum(600))),
  retries: z.optional(z.int().check(z.minimum(0), z.maximum(10))),
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

export const healthSettingsSchema = z._default(
  z.object({
    /** Watch from activation, rather than from the first time the panel or view is opened. */
    startOnActivation: z._default(z.boolean(), HEALTH_DEFAULTS.startOnActivation),
    /** Pause polling while the window is unfocused and neither the panel nor the view is visible. */
    pauseWhenUnfocused: z._default(z.boolean(), HEALTH_DEFAULTS.pauseWhenUnfocused),
    /** Clean passes in a row that bring a failing check back to Healthy. */
    recoveryPasses: z._default(z.int().check(z.minimum(1), z.maximum(10)), HEALTH_DEFAULTS.recoveryPasses),
    /** Overrides by Health Check Frequency row name ("Edge Functions"), or "default" for checks without a row. */
    timing: z._default(z.array(timingOverride), HEALTH_DEFAULTS.timing),
    functionLogsPollSeconds: z._default(
      z.number().check(z.minimum(2), z.maximum(300)),
      HEALTH_DEFAULTS.functionLogsPollSeconds,
    ),
    /** The runbook whose tables judge (workspace-relative); empty: the first with monitoring tables. */
    runbook: z._default(z.string(), HEALTH_DEFAULTS.runbook),
    /** Where the personal access token is sent. Machine-scoped in package.json: a workspace cannot redirect it. */
    managementApiUrl: z._default(z.url({ protocol: /^https?$/ }), HEALTH_DEFAULTS.managementApiUrl),
  }),
  HEALTH_DEFAULTS,
);

export type HealthSettings = z.infer<typeof healthSettingsSchema>;

/** The timing overrides by the name they override (the last one wins). */
export function timingOverrides(settings: HealthSettings): Record<string, z.infer<typeof timingOverride>> {
  return Object.fromEntries(settings.timing.map((t) => [t.check, t]));
}
