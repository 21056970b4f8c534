// Probe samples over a sliding window, in a ring buffer whose size is fixed when created: memory stays flat however
// long the panel polls. Percentiles are nearest-rank over the samples in the window.
import type { Percentiles } from '../../shared/health/healthView';

export interface Sample {
  /** Epoch ms. */
  t: number;
  /** null when the probe failed (no latency to speak of). */
  ms: number | null;
  ok: boolean;
}

export class SlidingWindow {
  private readonly times: Float64Array;
  private readonly latencies: Float64Array;
  private readonly oks: Uint8Array;
  private start = 0;
  private count = 0;

  /** `capacity` bounds memory; samples older than `spanMs` leave the window when newer ones arrive. */
  constructor(
    readonly spanMs: number,
    readonly capacity: number,
  ) {
    this.times = new Float64Array(capacity);
    this.latencies = new Float64Array(capacity);
    this.oks = new Uint8Array(capacity);
  }

  add(sample: Sample): void {
    this.dropBefore(sample.t - this.spanMs);
    const slot = (this.start + this.count) % this.capacity;
    if (this.count === this.capacity) this.start = (this.start + 1) % this.capacity;
    else this.count++;
    this.times[slot] = sample.t;
    this.latencies[slot] = sample.ms ?? Number.NaN;
    this.oks[slot] = sample.ok ? 1 : 0;
  }

  /** The samples at or after `since`, oldest first. */
  samples(since = Number.NEGATIVE_INFINITY): Sample[] {
    const out: Sample[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (this.times[slot] < since) continue;
      const ms = this.latencies[slot];
      out.push({ t: this.times[slot], ms: Number.isNaN(ms) ? null : ms, ok: this.oks[slot] === 1 });
    }
    return out;
  }

  /** Failed and total samples at or after `since`. */
  errors(since: number): { failed: number; total: number } {
    let failed = 0;
    let total = 0;
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      if (this.times[slot] < since) continue;
      total++;
      if (this.oks[slot] === 0) failed++;
    }
    return { failed, total };
  }

  /** p50, p95 and p99 of the latencies at or after `since`; undefined with no latency in range. */
  percentiles(since: number): Percentiles | undefined {
    const values: number[] = [];
    for (let i = 0; i < this.count; i++) {
      const slot = (this.start + i) % this.capacity;
      const ms = this.latencies[slot];
      if (this.times[slot] >= since && !Number.isNaN(ms)) values.push(ms);
    }
    return percentilesOf(values);
  }

  get size(): number {
    return this.count;
  }

  private dropBefore(cutoff: number): void {
    while (this.count > 0 && this.times[this.start] < cutoff) {
      this.start = (this.start + 1) % this.capacity;
      this.count--;
    }
  }
}

/** Nearest-rank percentiles (p95 of 20 values is the 19th smallest). */
export function percentilesOf(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = Float64Array.from(values).sort();
  const rank = (p: number) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  return { p50: rank(50), p95: rank(95), p99: rank(99), samples: sorted.length };
}
