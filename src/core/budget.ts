// The status-call budget: at most `perHour` status requests in any sliding hour, shared by every
// wait (and retry) of one client. Waits pace their polls so that together they fit the budget
// (pollSpacingMs), and a wait that still finds it spent waits for the oldest call to leave the
// window, through the injected (abortable) sleep. A one-shot call uses tryTake and never waits.
import type { Sleep } from './types.js';

export const HOUR_MS = 3_600_000;

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
    const now = this.#now();
    while (this.#calls.length > 0 && (this.#calls[0] as number) <= now - HOUR_MS) {
      this.#calls.shift();
    }
    // Checked and counted in the same synchronous step, so concurrent callers cannot overshoot.
    if (this.#calls.length < this.perHour) {
      this.#calls.push(now);
      return 0;
    }
    return (this.#calls[0] as number) + HOUR_MS - now;
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

  /** The least time between two polls of one wait for all running waits to fit the budget. */
  pollSpacingMs(): number {
    return (this.#activeWaits * HOUR_MS) / this.perHour;
  }
}
