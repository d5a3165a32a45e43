// Waiting for a Fay job while keeping the client informed. The core polls on its budget-aware
// schedule (every 3 s at first, up to 30 s apart); a separate heartbeat reports the last known
// status and the elapsed time between polls, so a client sees the call is alive.
import {
  FayWaitTimeoutError,
  type ConversationStatus,
  type FayClient,
  type JobStatus,
} from '../../core/index.js';
import type { Progress } from './progress.js';

/** The default heartbeat: often enough that clients never see a call go quiet for 10 s. */
export const HEARTBEAT_MS = 5_000;

export interface HeartbeatWaitOptions {
  signal?: AbortSignal;
  /** Ends the wait at once as if maxWaitMs had run out (the server shuts down). */
  handBack?: AbortSignal;
  /** Give up waiting (without stopping the job) after this long. */
  maxWaitMs: number;
  heartbeatMs: number;
  /** When the research was started, for the elapsed time, on the `now` clock. */
  startedAt: number;
  now: () => number;
  initialStatus: JobStatus;
  onProgress: (progress: Progress) => void;
}

export type WaitOutcome =
  | { done: true; status: ConversationStatus }
  /** `answered`: false when the wait ended on a status check Fay never answered. */
  | { done: false; lastStatus: JobStatus; answered: boolean };

/**
 * Waits for a job just created. Resolves with the COMPLETED status, or `done: false` when
 * `maxWaitMs` ran out (or `handBack` fired) first. Throws the core's errors (failed, stopped, aborted, …). The remote
 * job is never stopped here.
 */
export async function waitWithHeartbeat(
  client: FayClient,
  requestId: string,
  options: HeartbeatWaitOptions,
): Promise<WaitOutcome> {
  let last = options.initialStatus;
  const beat = () =>
    options.onProgress({ requestId, status: last, elapsedMs: options.now() - options.startedAt });
  beat();
  const heartbeat = setInterval(beat, options.heartbeatMs);
  try {
    const signals = [options.signal, options.handBack].filter((s) => s !== undefined);
    const status = await client.waitForCompletion(requestId, {
      signal: signals.length > 1 ? AbortSignal.any(signals) : signals[0],
      // A job just created cannot be done yet: one status call saved per research.
      justCreated: true,
      // A slow create may have spent the window already; the core takes only positive waits.
      maxWaitMs: Math.max(1, Math.round(options.maxWaitMs)),
      onStatus: (current) => {
        const changed = current.status !== last;
        last = current.status;
        if (changed) beat();
      },
    });
    return { done: true, status };
  } catch (error) {
    if (error instanceof FayWaitTimeoutError) {
      return { done: false, lastStatus: last, answered: !error.checkPending };
    }
    if (options.handBack?.aborted && !options.signal?.aborted) {
      return { done: false, lastStatus: last, answered: true };
    }
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}
