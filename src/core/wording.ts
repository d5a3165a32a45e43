// Phrases the core's messages are made of, written once. The faces reuse them (through
// internal.ts) where they tell the same fact in their own sentences: a pause, a date, a failed
// job's reason, the last status a wait saw, a stop Fay did not confirm.

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/**
 * A moment as every message writes it: "2026-12-13 09:40 UTC". Rounded up to the minute: it is
 * always a time to wait until, and a time rounded down would invite a call that is still refused.
 */
export function utcMinute(epochMs: number): string {
  const minute = Math.ceil(epochMs / MINUTE_MS) * MINUTE_MS;
  return `${new Date(minute).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * A pause as a person reads it: "45 s", "12 min", "5 h", "10 days"; from an hour on, with the
 * date it ends ("10 days (until 2026-12-13 09:40 UTC)"), so a far-off time is never hidden.
 */
export function describePause(ms: number, nowMs: number = Date.now()): string {
  if (ms < 90_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  if (ms < 90 * MINUTE_MS) return `${Math.round(ms / MINUTE_MS)} min`;
  const amount =
    ms < 48 * HOUR_MS ? `${Math.round(ms / HOUR_MS)} h` : `${Math.round(ms / DAY_MS)} days`;
  return `${amount} (until ${utcMinute(nowMs + ms)})`;
}

/** Fay's own text, ready to sit inside one of our sentences: without its final punctuation. */
export function inSentence(text: string): string {
  return text.trim().replace(/[.!?\s]+$/, '');
}

/** A failed job's reason, ready to sit inside a sentence. */
export function failureReason(errorMessage: string | null): string {
  return inSentence(errorMessage ?? 'Fay gave no reason');
}

/** How a wait that ran out describes the last status it saw: '(last status: X)'. */
export function lastStatusNote(lastStatus: string | null): string {
  return lastStatus === null ? '(no status checked yet)' : `(last status: ${lastStatus})`;
}

/** A stop Fay did not confirm, as a sentence without its final period (each face adds advice). */
export function stopNotConfirmed(requestId: string, waitedMs: number): string {
  return (
    `Fay did not confirm within ${describePause(waitedMs)} that research ${requestId} ` +
    'stopped, so it may still be running'
  );
}
