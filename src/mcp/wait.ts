// Waiting for a Fay job while keeping the client informed. The core polls on its budget-aware
// schedule (every 3 s at first, up to 30 s apart); a separate heartbeat reports the last known
// status and the elapsed time every few seconds, so progress keeps flowing between polls.
import {
  FayAbortedError,
  FayWaitTimeoutError,
  type ConversationStatus,
  type FayClient,
  type JobStatus,
} from '../core/index.js';
import { FayNotAnsweringError } from './errors.js';
import type { ToolExtra } from './tool.js';

export interface Progress {
  requestId: string;
  status: JobStatus;
  elapsedMs: number;
}

export interface HeartbeatWaitOptions {
  signal?: AbortSignal;
  /** Give up waiting (without stopping the job) after this long. */
  maxWaitMs: number;
  heartbeatMs: number;
  /** When the research was started, for the elapsed time. */
  startedAt: number;
  initialStatus: JobStatus;
  onProgress: (progress: Progress) => void;
}

export type WaitOutcome =
  | { done: true; status: ConversationStatus }
  /** `answered`: false when the wait ended on a status check Fay never answered. */
  | { done: false; lastStatus: JobStatus; answered: boolean };

/** Time a call may take past its window to hand back what it has (the answer, or the id). */
export const CALL_MARGIN_MS = 5_000;

/**
 * Runs `work` with a signal that aborts when the caller cancels or `deadlineMs` has passed, so a
 * tool call answers in time whatever Fay does: the core's per-attempt timeout times its retries
 * could otherwise hold it for minutes. `deadline` aborts only on time (for a create, which a
 * caller's cancel must not cut short). A call cut short by the deadline throws
 * FayNotAnsweringError, with the request_id when the failure names one.
 */
export async function withDeadline<T>(
  deadlineMs: number,
  signal: AbortSignal | undefined,
  work: (signals: { signal: AbortSignal; deadline: AbortSignal }) => Promise<T>,
): Promise<T> {
  // A timer cleared when the call ends (AbortSignal.timeout's would outlive every call).
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(new Error('deadline')), deadlineMs);
  const deadline = timeout.signal;
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  try {
    return await work({ signal: combined, deadline });
  } catch (error) {
    if (!deadline.aborted || signal?.aborted) throw error;
    const requestId = error instanceof FayAbortedError ? error.requestId : undefined;
    throw new FayNotAnsweringError(deadlineMs, requestId, error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Waits for a job just created. Resolves with the COMPLETED status, or `done: false` when
 * `maxWaitMs` ran out first. Throws the core's errors (failed, stopped, aborted, …). The remote
 * job is never stopped here.
 */
export async function waitWithHeartbeat(
  client: FayClient,
  requestId: string,
  options: HeartbeatWaitOptions,
): Promise<WaitOutcome> {
  let last = options.initialStatus;
  const beat = () =>
    options.onProgress({ requestId, status: last, elapsedMs: Date.now() - options.startedAt });
  beat();
  const heartbeat = setInterval(beat, options.heartbeatMs);
  try {
    const status = await client.waitForCompletion(requestId, {
      signal: options.signal,
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
    throw error;
  } finally {
    clearInterval(heartbeat);
  }
}

/**
 * Sends notifications/progress for the call when the client gave a progress token (else does
 * nothing). `progress` is the elapsed time in seconds, which only grows, as the spec requires.
 */
export function progressNotifier(extra: ToolExtra): (progress: Progress) => void {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let previous = 0;
  return ({ requestId, status, elapsedMs }) => {
    const progress = Math.max(Math.round(elapsedMs) / 1000, previous + 0.001);
    previous = progress;
    const message = `Fay research ${status}, ${Math.round(elapsedMs / 1000)} s elapsed (request_id ${requestId}).`;
    extra
      .sendNotification({
        method: 'notifications/progress',
        params: { progressToken: token, progress, message },
      })
      .catch(() => {
        // The client went away; the job goes on regardless.
      });
  };
}
