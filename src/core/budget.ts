// The status-call budget: at most `perHour` status requests in any sliding hour, shared by every
// wait (and retry) of one client. A caller that finds the budget spent waits for the oldest call
// to leave the window, through the injected (abortable) sleep.
import type { Sleep } from './types.js';

export const HOUR_MS = 3_600_000;

export class StatusBudget {
  readonly #perHour: number;
  readonly #sleep: Sleep;
  readonly #now: () => number;
  /** Start times of the calls still inside the window, oldest first. */
  readonly #calls: number[] = [];

  constructor(perHour: number, sleep: Sleep, now: () => number = () => Date.now()) {
    this.#perHour = perHour;
    this.#sleep = sleep;
    this.#now = now;
  }

  /** Resolves when a call may be made, and counts it; rejects if `signal` aborts meanwhile. */
  async take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      while (this.#calls.length > 0 && (this.#calls[0] as number) <= now - HOUR_MS) {
        this.#calls.shift();
      }
      // Checked and counted in the same synchronous step, so concurrent waiters cannot overshoot.
      if (this.#calls.length < this.#perHour) {
        this.#calls.push(now);
        return;
      }
      const oldest = this.#calls[0] as number;
      await this.#sleep(Math.max(1, oldest + HOUR_MS - now), signal);
    }
  }
}
