// Damps flapping, so a state change means something. The rule:
//
//  1. A poll makes one attempt plus the runbook's retries (Health Check Frequency), each with the row's timeout, and
//     fails only when every attempt failed. A poll whose retry passed is "passed after retry": not a failure, and
//     never a clean pass.
//  2. Getting worse takes effect at once: the poll has already spent its retries (and metric verdicts are already
//     taken over a window).
//  3. Getting better needs RECOVERY_PASSES polls in a row that are better than the current state; back to Healthy
//     they must be clean passes (first attempt, no retry). The new state is the worst of those polls. Until then the
//     check keeps its state and says how far its recovery has come.
//  4. The first poll of a check sets its state at once: there is nothing to damp yet.
import { HEALTH_STATE_ORDER, type HealthState } from '../../shared/health/healthView';

/** Clean passes in a row that bring a failing check back to Healthy. */
export const RECOVERY_PASSES = 2;

export interface PollResult {
  state: HealthState;
  /** The first attempt answered as expected: no retry was needed. */
  clean: boolean;
}

export interface StateChange {
  from: HealthState | undefined;
  to: HealthState;
}

const rank = (state: HealthState) => HEALTH_STATE_ORDER.indexOf(state);

export class DampedState {
  private current: HealthState | undefined;
  private streak = 0;
  private streakWorst: HealthState = 'healthy';

  constructor(private readonly recoveryPasses = RECOVERY_PASSES) {}

  get state(): HealthState | undefined {
    return this.current;
  }

  /** Polls counted towards recovery so far, when the check is recovering. */
  get recovering(): { passes: number; needed: number } | undefined {
    return this.streak > 0 ? { passes: this.streak, needed: this.recoveryPasses } : undefined;
  }

  /** Takes one poll; returns the change it caused, if any. */
  take(poll: PollResult): StateChange | undefined {
    const from = this.current;
    if (from === undefined || rank(poll.state) >= rank(from)) {
      this.streak = 0;
      if (poll.state === from) return undefined;
      if (from !== undefined && rank(poll.state) === rank(from)) return undefined;
      this.current = poll.state;
      return { from, to: poll.state };
    }
    // Better than now: count it towards recovery, unless it claims Healthy without a clean pass.
    if (poll.state === 'healthy' && !poll.clean) {
      this.streak = 0;
      return undefined;
    }
    this.streakWorst = this.streak === 0 || rank(poll.state) > rank(this.streakWorst) ? poll.state : this.streakWorst;
    this.streak++;
    if (this.streak < this.recoveryPasses) return undefined;
    const to = this.streakWorst;
    this.streak = 0;
    this.current = to;
    return { from, to };
  }
}
