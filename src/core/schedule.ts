// The default poll schedule: pure, so it can be read, tested and simulated (npm run bench).
//
// Poll every 3 s for the first 20 s (short jobs are found fast), then wait 15 % of the time
// already spent (a job running for 2 min is unlikely to end in the next second), capped at 30 s.
// Compared with the docs' fixed 2 s loop this spends ~10 / 20 / 37 / 77 status calls on jobs of
// 30 s / 2 min / 10 min / 30 min instead of 15 / 60 / 300 / 900, for a mean extra wait of a few
// seconds (see test/bench/polling.ts for the figures).

export const MIN_POLL_DELAY_MS = 3_000;
export const MAX_POLL_DELAY_MS = 30_000;
const GROWTH = 0.15;

/** How long to wait before the next status call, given the time already spent waiting. */
export function pollDelayMs(elapsedMs: number): number {
  const proportional = Math.round(Math.max(0, elapsedMs) * GROWTH);
  return Math.min(MAX_POLL_DELAY_MS, Math.max(MIN_POLL_DELAY_MS, proportional));
}
