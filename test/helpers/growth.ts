// How an algorithm's time grows: the time for input of size 2n divided by the time for size n, in the same run. A
// linear algorithm gives about 2, a quadratic one about 4, whatever the machine's speed or load; no wall-clock bound.

/** The fastest of `runs` timings of `work(size)`, in ms: the least disturbed by other processes on the machine. */
function fastest(work: (size: number) => unknown, size: number, runs: number): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    work(size);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * time(2n) / time(n). `work` builds its input of about `size` characters and processes it; the size should make one run
 * take a few milliseconds at least, so that timer resolution does not decide the ratio.
 */
export function growthRatio(work: (size: number) => unknown, size: number, runs = 5): number {
  work(size); // warm up the JIT on this shape
  const small = fastest(work, size, runs);
  const large = fastest(work, size * 2, runs);
  return large / Math.max(small, 0.05);
}
