// Runs every check on its own interval. Polls of one check never overlap: the next one is timed only once the last
// has finished (at its start plus the interval, or at once if it overran). Each check has its own timer, so a hung
// endpoint never delays another. Paused, nothing new starts; resumed, whatever fell due in between runs at once.
import { Disposable, type DisposableLike } from '../../core/lifecycle/disposable';
import type { Clock } from './clock';

export interface PollTask {
  intervalMs: number;
  /** Must settle: the task's own timeout bounds it. */
  run(): Promise<void>;
}

interface TaskState {
  task: PollTask;
  timer?: unknown;
  running: boolean;
  /** When the task is next due. */
  due: number;
  removed: boolean;
}

export class PollScheduler extends Disposable {
  private readonly tasks = new Set<TaskState>();
  private paused = false;
  private inFlight = 0;
  private idleWaiters: Array<() => void> = [];
  /** Polls started, for the benchmark's count. */
  pollsStarted = 0;

  constructor(private readonly clock: Clock) {
    super();
  }

  /** Starts polling the task, the first time at once (or after `firstDelayMs`). */
  add(task: PollTask, firstDelayMs = 0): DisposableLike {
    const state: TaskState = { task, running: false, due: this.clock.now() + firstDelayMs, removed: false };
    this.tasks.add(state);
    this.arm(state);
    return {
      dispose: () => {
        state.removed = true;
        this.disarm(state);
        this.tasks.delete(state);
      },
    };
  }

  get isPaused(): boolean {
    return this.paused;
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    for (const state of this.tasks) this.disarm(state);
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    for (const state of this.tasks) this.arm(state);
  }

  /** Polls every idle task now, and times the next polls from here. */
  pollAllNow(): void {
    for (const state of this.tasks) {
      if (state.running) continue;
      this.disarm(state);
      state.due = this.clock.now();
      this.start(state);
    }
  }

  /** Resolves once no poll is running. */
  idle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  get running(): number {
    return this.inFlight;
  }

  protected override onDispose(): void {
    for (const state of this.tasks) {
      state.removed = true;
      this.disarm(state);
    }
    this.tasks.clear();
  }

  private arm(state: TaskState): void {
    if (this.paused || state.running || state.removed || state.timer !== undefined) return;
    const wait = Math.max(0, state.due - this.clock.now());
    state.timer = this.clock.setTimeout(() => {
      state.timer = undefined;
      this.start(state);
    }, wait);
  }

  private disarm(state: TaskState): void {
    if (state.timer === undefined) return;
    this.clock.clearTimeout(state.timer);
    state.timer = undefined;
  }

  private start(state: TaskState): void {
    if (this.paused || state.running || state.removed) return;
    state.running = true;
    this.inFlight++;
    this.pollsStarted++;
    const startedAt = this.clock.now();
    let finished: Promise<void>;
    try {
      finished = state.task.run();
    } catch (error) {
      finished = Promise.reject(error);
    }
    // A task reports its own failures; the schedule goes on either way. One handler for both outcomes: one promise.
    const done = () => {
      state.running = false;
      state.due = Math.max(startedAt + state.task.intervalMs, this.clock.now());
      this.inFlight--;
      this.arm(state);
      if (this.inFlight === 0 && this.idleWaiters.length) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    };
    finished.then(done, done);
  }
}
