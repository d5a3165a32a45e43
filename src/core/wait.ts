// Waiting for a job to finish: poll on the schedule, report each status, turn final states into
// results or typed errors, and give up cleanly on abort or maxWaitMs.
import { linkSignal } from './abort.js';
import {
  FayAbortedError,
  FayConnectionError,
  FayInvalidResponseError,
  FayRateLimitError,
  FayResearchFailedError,
  FayResearchStoppedError,
  FayServerError,
  FayTimeoutError,
  FayWaitTimeoutError,
} from './errors.js';
import type { ConversationStatus, Sleep, WaitOptions } from './types.js';

const FINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'STOPPED']);

/** COMPLETED, FAILED and STOPPED are final; any other (even unknown) status is still running. */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** Polls that failed even after the request path's own retries, in a row, before giving up. */
const MAX_FAILED_POLLS_IN_A_ROW = 3;

export interface WaitDeps {
  getStatus(requestId: string, signal: AbortSignal): Promise<ConversationStatus>;
  /** Best effort; used only with stopOnAbort. */
  stop(requestId: string): Promise<unknown>;
  sleep: Sleep;
  schedule(elapsedMs: number): number;
  now(): number;
}

function isTransient(error: unknown): boolean {
  return (
    error instanceof FayServerError ||
    error instanceof FayConnectionError ||
    error instanceof FayTimeoutError ||
    error instanceof FayInvalidResponseError
  );
}

/**
 * Resolves with the COMPLETED status. `pollFirst` is false right after a create (the job cannot
 * be done yet), true when waiting for a job of unknown age.
 */
export async function waitUntilFinished(
  deps: WaitDeps,
  requestId: string,
  opts: WaitOptions,
  pollFirst: boolean,
): Promise<ConversationStatus> {
  const { signal, maxWaitMs, onStatus, stopOnAbort = false } = opts;
  const link = linkSignal(signal, maxWaitMs);
  const started = deps.now();
  const nextPollDelay = () => deps.schedule(deps.now() - started);
  let last: ConversationStatus | undefined;
  let failedInARow = 0;
  let delay = pollFirst ? 0 : nextPollDelay();
  try {
    for (;;) {
      if (delay > 0) await deps.sleep(delay, link.signal);
      try {
        last = await deps.getStatus(requestId, link.signal);
        failedInARow = 0;
      } catch (error) {
        if (link.signal.aborted) throw error;
        // Fay asked us to slow down: pause the wait instead of failing it.
        if (error instanceof FayRateLimitError) {
          delay = error.retryAfterMs ?? nextPollDelay();
          continue;
        }
        // A long research should survive a short outage: try again at the next poll.
        if (isTransient(error) && ++failedInARow < MAX_FAILED_POLLS_IN_A_ROW) {
          delay = nextPollDelay();
          continue;
        }
        throw error;
      }
      onStatus?.(last);
      if (last.status === 'COMPLETED') return last;
      if (last.status === 'FAILED') throw new FayResearchFailedError(requestId, last.errorMessage);
      if (last.status === 'STOPPED') throw new FayResearchStoppedError(requestId);
      delay = nextPollDelay();
    }
  } catch (error) {
    if (!link.signal.aborted) throw error;
    const timedOut = link.timedOut();
    if (stopOnAbort) await deps.stop(requestId).catch(() => undefined);
    if (timedOut) {
      throw new FayWaitTimeoutError(requestId, last?.status ?? null, maxWaitMs as number);
    }
    throw new FayAbortedError(
      `Waiting for Fay research ${requestId} was cancelled by the caller; ` +
        (stopOnAbort
          ? 'the job was asked to stop.'
          : 'the job keeps running on Fay (use stopOnAbort to stop it).'),
      { requestId, cause: signal?.reason },
    );
  } finally {
    link.dispose();
  }
}
