// Time, injected: the health scheduler runs on the system clock in VS Code and on a virtual one in tests and the
// benchmark, where ten minutes of polling pass in a few seconds.

export interface Clock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending poll must never keep a CLI process alive.
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface VirtualTimer {
  at: number;
  seq: number;
  callback: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to, firing the timers that fall due in order (by time, then by when they were
 * set). A binary heap keeps each step logarithmic: the benchmark runs a hundred checks for hours of virtual time.
 */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly heap: VirtualTimer[] = [];
  private readonly byId = new Map<number, VirtualTimer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const timer: VirtualTimer = { at: this.time + Math.max(0, ms), seq: ++this.seq, callback, cancelled: false };
    this.byId.set(timer.seq, timer);
    this.push(timer);
    return timer.seq;
  }

  clearTimeout(handle: unknown): void {
    const timer = this.byId.get(handle as number);
    if (!timer) return;
    timer.cancelled = true;
    this.byId.delete(timer.seq);
  }

  /** When the next timer falls due, or undefined when none is set. */
  nextDue(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  /** Moves to `time`, firing every timer due by then (timers set while firing included), earliest first. */
  advanceTo(time: number): void {
    for (;;) {
      this.dropCancelled();
      const due = this.heap[0];
      if (!due || due.at > time) break;
      this.pop();
      this.byId.delete(due.seq);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  get pendingTimers(): number {
    return this.byId.size;
  }

  private dropCancelled(): void {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
  }

  private before(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    heap.push(timer);
    for (let i = heap.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop()!;
    if (heap.length === 0) return;
    heap[0] = last;
    for (let i = 0; ;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && this.before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) break;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
