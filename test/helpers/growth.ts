// How an algorithm's time grows with its input: the time for size 4n divided by the time for size n, in the same run.
// A linear algorithm gives about 4, a quadratic one about 16, whatever the machine's speed or load: no time limit.

/** The ratio below which growth counts as linear: twice the linear 4, half the quadratic 16. */
export const LINEAR_GROWTH_LIMIT = 8;

// CPU time of this process, in ms: unlike the wall clock it does not count the time other processes on a shared
// machine held the processor.
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

function timed(work: (size: number) => unknown, size: number, repeat: number): number {
  const started = cpuMs();
  for (let k = 0; k < repeat; k++) work(size);
  return cpuMs() - started;
}

/**
 * time(4n) / time(n). `work` builds its input of about `size` characters and processes it. Each timing repeats the
 * work until it lasts a few milliseconds, so timer resolution does not decide the ratio while the inputs stay small
 * enough for the processor's caches to treat both sizes alike. The two sizes are timed in turn, `runs` times each, and
 * the fastest of each is kept (the least disturbed by other processes on a shared machine); load only ever adds time,
 * so the lowest ratio of a few attempts is the truest, and a quadratic algorithm stays far above the limit in all.
 */
export function growthRatio(work: (size: number) => unknown, size: number, runs = 7): number {
  work(size); // warm up the JIT on this shape
  const fastestOf = (n: number, repeat: number, times: number) => {
    let best = Infinity;
    for (let k = 0; k < times; k++) best = Math.min(best, timed(work, n, repeat));
    return best;
  };
  let repeat = 1;
  while (fastestOf(size, repeat, 5) < 10 && repeat < 4096) repeat *= 2;
  let best = Infinity;
  for (let attempt = 0; attempt < 3 && best >= LINEAR_GROWTH_LIMIT; attempt++) {
    let small = Infinity;
    let large = Infinity;
    for (let r = 0; r < runs; r++) {
      small = Math.min(small, timed(work, size, repeat));
      large = Math.min(large, timed(work, size * 4, repeat));
    }
    best = Math.min(best, large / small);
  }
  return best;
}
