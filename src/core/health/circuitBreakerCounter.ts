// Counts circuit breaker opens seen in the health function's answers, for the runbook's "Circuit Breaker Opens:
// Any / 3+ in 5min". An open is a breaker seen open that was not open at the previous probe (or at the first one).
// A breaker that stays open keeps counting as one, even after its open has left the window: it is still open.
import { breakerIsOpen } from './healthFunctionSchema';

/** Opens older than this are forgotten, whatever window a runbook asks for. */
const MAX_KEPT_MS = 3_600_000;
/** And never more than this many: memory stays flat when a breaker flaps. */
const MAX_KEPT_OPENS = 256;

export class CircuitBreakerCounter {
  private readonly lastOpen = new Map<string, boolean>();
  private opens: Array<{ t: number; name: string }> = [];

  /** Takes one probe's breakers (name → status word). */
  observe(t: number, breakers: Readonly<Record<string, string>>): void {
    for (const name in breakers) {
      if (!Object.hasOwn(breakers, name)) continue;
      const open = breakerIsOpen(breakers[name]);
      if (open && !this.lastOpen.get(name)) this.opens.push({ t, name });
      this.lastOpen.set(name, open);
    }
    const cutoff = t - MAX_KEPT_MS;
    if (this.opens.length > MAX_KEPT_OPENS || (this.opens.length > 0 && this.opens[0].t < cutoff))
      this.opens = this.opens.filter((o) => o.t >= cutoff).slice(-MAX_KEPT_OPENS);
  }

  /** Opens within `windowMs` before `now`, and never fewer than the breakers open now. */
  count(now: number, windowMs: number): number {
    let recent = 0;
    for (let i = this.opens.length - 1; i >= 0 && this.opens[i].t > now - windowMs; i--) recent++;
    let openNow = 0;
    for (const open of this.lastOpen.values()) if (open) openNow++;
    return Math.max(recent, openNow);
  }

  openNow(): string[] {
    const names: string[] = [];
    for (const [name, open] of this.lastOpen) if (open) names.push(name);
    return names;
  }
}
