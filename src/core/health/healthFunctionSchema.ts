// The JSON the team's `health` Edge Function answers, as the runbook's "Application Health Endpoints" describes it:
// { status, version, timestamp, checks: { name: "ok" | … }, circuit_breakers: { name: "closed" | "open" | … } }.
// Values a function may nest (`{ "status": "ok", "latency_ms": 3 }`) are read by their status.
import * as z from '../schema/zod';

const componentStatus = z.union([
  z.string(),
  z.transformed(z.object({ status: z.string() }), (value) => value.status),
  z.transformed(z.boolean(), (ok) => (ok ? 'ok' : 'failing')),
]);

export const healthFunctionBody = z.object({
  status: z.string().check(z.minLength(1)),
  version: z.optional(z.string()),
  timestamp: z.optional(z.string()),
  checks: z.optional(z.record(z.string(), componentStatus)),
  circuit_breakers: z.optional(z.record(z.string(), componentStatus)),
});

export type HealthFunctionBody = z.infer<typeof healthFunctionBody>;

/**
 * Validates a health answer by the schema above. The usual answer (every field a string) is recognised by a plain
 * check first: it is exactly what the schema accepts unchanged, and the check is a fraction of zod's cost, paid on
 * every poll. Anything else (a nested status, a boolean, a wrong type) goes through zod, which also words the issues.
 */
export function parseHealthBody(
  value: unknown,
): { success: true; data: HealthFunctionBody } | { success: false; error: z.core.$ZodError } {
  if (isPlainHealthBody(value)) return { success: true, data: value };
  return healthFunctionBody.safeParse(value);
}

function isPlainHealthBody(value: unknown): value is HealthFunctionBody {
  if (!isRecord(value)) return false;
  const { status, version, timestamp, checks, circuit_breakers: breakers } = value;
  return (
    typeof status === 'string' &&
    status.length > 0 &&
    (version === undefined || typeof version === 'string') &&
    (timestamp === undefined || typeof timestamp === 'string') &&
    (checks === undefined || allStrings(checks)) &&
    (breakers === undefined || allStrings(breakers))
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function allStrings(value: unknown): boolean {
  if (!isRecord(value)) return false;
  for (const key in value) if (Object.hasOwn(value, key) && typeof value[key] !== 'string') return false;
  return true;
}

/** What a component's status word means: "ok", "healthy", "up", "pass" are good; "degraded" is a warning. */
export function componentState(status: string): 'ok' | 'degraded' | 'failing' {
  const s = status.trim().toLowerCase();
  if (/^(ok|okay|healthy|up|pass(ed)?|green|available|connected|closed)$/.test(s)) return 'ok';
  if (/^(degraded|slow|warn(ing)?|yellow|half[-_ ]?open)$/.test(s)) return 'degraded';
  return 'failing';
}

/** A circuit breaker's status word: only "open" (and "tripped") counts as open; half-open is recovering. */
export function breakerIsOpen(status: string): boolean {
  return /^(open|tripped)$/i.test(status.trim());
}

/** How to add the function when `/functions/v1/health` answers 404. */
export const HEALTH_FUNCTION_HELP =
  'No `health` Edge Function is deployed: `/functions/v1/health` answered 404. Add one with `supabase functions new health`, make it answer the runbook\'s health JSON ({ "status": "healthy", "version", "timestamp", "checks", "circuit_breakers" }), and deploy it with `supabase functions deploy health` (add `--no-verify-jwt` to probe it with the anon key alone).';
