// The JSON the team's `health` Edge Function answers, as the runbook's "Application Health Endpoints" describes it:
// { status, version, timestamp, checks: { name: "ok" | … }, circuit_breakers: { name: "closed" | "open" | … } }.
// Values a function may nest (`{ "status": "ok", "latency_ms": 3 }`) are read by their status.
import * as z from 'zod';

const componentStatus = z.union([
  z.string(),
  z.object({ status: z.string() }).transform((value) => value.status),
  z.boolean().transform((ok) => (ok ? 'ok' : 'failing')),
]);

export const healthFunctionBody = z.object({
  status: z.string().min(1),
  version: z.string().optional(),
  timestamp: z.string().optional(),
  checks: z.record(z.string(), componentStatus).optional(),
  circuit_breakers: z.record(z.string(), componentStatus).optional(),
});

export type HealthFunctionBody = z.infer<typeof healthFunctionBody>;

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
