// Timers: every delay of the client (poll pause, backoff, Retry-After, budget) reaches a timer
// through here. Node fires a setTimeout longer than 2^31-1 ms after 1 ms instead, which would turn
// a long pause into a hot loop, so every delay is clamped first.
import type { Sleep } from './types.js';

/** The longest delay a Node timer holds (about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay a timer keeps: 0 for negative or NaN, at most MAX_TIMER_MS. */
export function timerDelayMs(ms: number): number {
  return ms > 0 ? Math.min(ms, MAX_TIMER_MS) : 0;
}

/**
 * The default Sleep: a global-setTimeout timer (so fake timers in tests drive it) that rejects
 * with the signal's reason as soon as it aborts, and removes its listener and timer either way.
 */
export const defaultSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelayMs(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** An injected Sleep (a host's own timer) that is never handed a delay a timer cannot hold. */
export function clampedSleep(sleep: Sleep): Sleep {
  return (ms, signal) => sleep(timerDelayMs(ms), signal);
}
