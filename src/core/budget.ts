// The status-call budget: at most `perHour` status requests in any sliding hour, shared by every
// wait (and retry) of one client. It spends its room first: while the hour has more room than the
// running waits hold in reserve, waits poll on the default schedule (most jobs end within a minute
// or two, and are found as fast as without a budget). Once only the reserve is left, the waits
// spread it evenly until calls leave the window (pollSpacingMs). A wait that still finds
// the budget spent waits for the oldest call to leave the window, through the injected
// (abortable) sleep. A one-shot call uses tryTake and never waits.
import type { Sleep } from './types.js';

export const HOUR_MS = 3_600_000;

/**
 * Each running wait holds back perHour / (waits + SPENT_FIRST_SHARES) of the hour for paced polls;
 * the rest is spent first. One wait keeps 1/9 back; three keep 3/11 (three 15 s jobs still fit 20
 * calls an hour at full speed); ten keep 10/18, enough for a poll every ~11 minutes each after the
 * first burst. See test/bench/budget.ts for the figures.
 */
export const SPENT_FIRST_SHARES = 8;
export class StatusBudget {
  readonly perHour: number;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  /** Start times of the calls still inside the window, oldest first. */
  readonly #calls: number[] = [];
  #activeWaits = 0;

  constructor(perHour: number, sleep: Sleep, now: () => number = () => Date.now()) {
    this.perHour = perHour;
    this.#sleep = sleep;
    this.#now = now;
  }

  /**
   * Counts a call and returns 0 when the budget allows one now; otherwise counts nothing and
   * returns the ms until the oldest call leaves the window.
   */
  tryTake(): number {
    const now = this.#prune();
    // Checked and counted in the same synchronous step, so concurrent callers cannot overshoot.
    if (this.#calls.length < this.perHour) {
      this.#calls.push(now);
      return 0;
    }
    return (this.#calls[0] as number) + HOUR_MS - now;
  }

  /** Drops the calls that left the window; returns the current time. */
  #prune(): number {
    const now = this.#now();
    while (this.#calls.length > 0 && (this.#calls[0] as number) <= now - HOUR_MS) {
      this.#calls.shift();
    }
    return now;
  }

  /** Resolves when a call may be made, and counts it; rejects if `signal` aborts meanwhile. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const waitMs = this.tryTake();
      if (waitMs === 0) return;
      await this.#sleep(waitMs, signal);
    }
  }

  /** Counts a wait as running until the returned function is called (once). */
  enterWait(): () => void {
    this.#activeWaits += 1;
    return () => {
      this.#activeWaits -= 1;
    };
  }

  /**
   * The least time between two polls of one wait: 0 (the default schedule) while the hour has
   * more room than the running waits hold in reserve; then the time that spreads the room left
   * evenly over the running waits until the oldest call leaves the window (at most an hour, when
   * the whole window has renewed).
   */
  pollSpacingMs(): number {
    const now = this.#prune();
    const room = this.perHour - this.#calls.length;
    const waits = Math.max(1, this.#activeWaits);
    if (room > (this.perHour * waits) / (waits + SPENT_FIRST_SHARES)) return 0;
    const renewsInMs = this.#calls.length > 0 ? (this.#calls[0] as number) + HOUR_MS - now : 0;
    if (room === 0) return renewsInMs;
    return Math.min(HOUR_MS, (waits * renewsInMs) / room);
  }
}
