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
}

/** A clock that moves only when told to, firing the timers that fall due in order. */
export class VirtualClock implements Clock {
  private time: number;
  private seq = 0;
  private readonly timers = new Map<number, VirtualTimer>();

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.timers.set(id, { at: this.time + Math.max(0, ms), seq: id, callback });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  /** When the next timer falls due, or undefined when none is set. */
  nextDue(): number | undefined {
    let next: number | undefined;
    for (const timer of this.timers.values()) if (next === undefined || timer.at < next) next = timer.at;
    return next;
  }

  /** Moves to `time`, firing every timer due by then (timers set while firing included), earliest first. */
  advanceTo(time: number): void {
    for (;;) {
      let due: VirtualTimer | undefined;
      for (const timer of this.timers.values())
        if (timer.at <= time && (!due || timer.at < due.at || (timer.at === due.at && timer.seq < due.seq)))
          due = timer;
      if (!due) break;
      this.timers.delete(due.seq);
      this.time = Math.max(this.time, due.at);
      due.callback();
    }
    this.time = Math.max(this.time, time);
  }

  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }
}
