// Waiting for a job to finish: poll on the schedule, report each status, turn final states into
// results or typed errors, and give up cleanly on abort or maxWaitMs.
import { linkSignal } from './abort.js';
import {
  FayAbortedError,
  FayAlreadyFinishedError,
  FayRateLimitError,
  FayResearchFailedError,
  FayResearchStoppedError,
  FayStopNotConfirmedError,
  FayWaitTimeoutError,
  type FayJobStop,
} from './errors.js';
import { isTransient } from './retry.js';
import type { ConversationStatus, Sleep, WaitOptions } from './types.js';
import { describePause, stopNotConfirmed } from './wording.js';

const FINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETED', 'FAILED', 'STOPPED']);

/** COMPLETED, FAILED and STOPPED are final; any other (even unknown) status is still running. */
export function isFinalStatus(status: string): boolean {
  return FINAL_STATUSES.has(status);
}

/** Polls that failed even after the request path's own retries, in a row, before giving up. */
const MAX_FAILED_POLLS_IN_A_ROW = 3;

export interface WaitDeps {
  /** `deadline` (epoch ms): the request path does not sleep on a Retry-After past it. */
  getStatus(requestId: string, signal: AbortSignal, deadline?: number): Promise<ConversationStatus>;
  /** Used only with stopOnCancel; bounded by STOP_CONFIRM_TIMEOUT_MS. */
  stop(requestId: string): Promise<unknown>;
  sleep: Sleep;
  /** Ends the wait at maxWaitMs (a real timer, unlike `sleep`, which tests may speed up). */
  timer: Sleep;
  schedule(elapsedMs: number): number;
  now(): number;
  /** The longest pause Fay may ask for (the client's maxRetryAfterMs). */
  maxRetryAfterMs: number;
}

interface CancelOutcome {
  /** What became of the job, as FayAbortedError.jobStop states it. */
  jobStop: FayJobStop;
  /** How the message says it. */
  note: string;
}

const LEFT_RUNNING: CancelOutcome = {
  jobStop: 'left-running',
  note: 'the job keeps running on Fay (stopOnCancel stops it).',
};

async function stopAfterCancel(deps: WaitDeps, requestId: string): Promise<CancelOutcome> {
  try {
    await deps.stop(requestId);
    return { jobStop: 'stopped', note: 'the job was stopped.' };
  } catch (error) {
    if (error instanceof FayAlreadyFinishedError) {
      return { jobStop: 'already-finished', note: 'the job had already finished.' };
    }
    if (error instanceof FayStopNotConfirmedError) {
      return {
        jobStop: 'not-confirmed',
        note: `${stopNotConfirmed(requestId, error.waitedMs)}.`,
      };
    }
    return { jobStop: 'failed', note: 'stopping the job failed, so it may still run.' };
  }
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
  const { signal, maxWaitMs, onStatus, stopOnCancel = false } = opts;
  const link = linkSignal(signal, maxWaitMs, deps.timer);
  const started = deps.now();
  const deadline = maxWaitMs === undefined ? undefined : started + maxWaitMs;
  const nextPollDelay = () => deps.schedule(deps.now() - started);
  let last: ConversationStatus | undefined;
  let failedInARow = 0;
  let checking = false;
  let delay = pollFirst ? 0 : nextPollDelay();
  const polls: PollFacts = { deps, requestId, deadline, nextPollDelay };
  try {
    for (;;) {
      if (delay > 0) await deps.sleep(delay, link.signal);
      try {
        checking = true;
        last = await deps.getStatus(requestId, link.signal, deadline);
        checking = false;
        failedInARow = 0;
      } catch (error) {
        // Left set when the wait runs out on this check: Fay did not answer it.
        if (link.signal.aborted) throw error;
        checking = false;
        if (!(error instanceof FayRateLimitError)) failedInARow++;
        delay = delayAfterFailedPoll(error, polls, failedInARow);
        continue;
      }
      onStatus?.(last);
      if (isDone(last, requestId)) return last;
      delay = nextPollDelay();
    }
  } catch (error) {
    if (!link.signal.aborted) throw error;
    // maxWaitMs running out never stops the job: its answer can still be fetched later.
    if (link.timedOut()) {
      throw new FayWaitTimeoutError(requestId, last?.status ?? null, maxWaitMs as number, checking);
    }
    const { jobStop, note } = stopOnCancel ? await stopAfterCancel(deps, requestId) : LEFT_RUNNING;
    throw new FayAbortedError(
      `Waiting for Fay research ${requestId} was cancelled by the caller; ${note}`,
      { requestId, cause: signal?.reason, jobStop },
    );
  } finally {
    link.dispose();
  }
}

interface PollFacts {
  deps: WaitDeps;
  requestId: string;
  deadline: number | undefined;
  nextPollDelay: () => number;
}

/**
 * The pause before the next poll after a failed one; throws the error that ends the wait.
 * `failedInARow` counts this failure (rate limits are not counted).
 */
function delayAfterFailedPoll(error: unknown, polls: PollFacts, failedInARow: number): number {
  const { deps, requestId, deadline, nextPollDelay } = polls;
  // Fay asked us to slow down: pause the wait instead of failing it, unless the pause
  // outlasts what this wait may spend.
  if (error instanceof FayRateLimitError) {
    const pause = error.retryAfterMs;
    const leftMs = deadline === undefined ? Infinity : deadline - deps.now();
    if (pause !== undefined && pause > deps.maxRetryAfterMs) throw error;
    if (pause !== undefined && pause > leftMs) {
      throw pauseOutlastsWait(error, requestId, pause, leftMs);
    }
    // At least the schedule's delay: a Retry-After of 0 must not turn the wait into a loop.
    return Math.max(pause ?? 0, nextPollDelay());
  }
  // A long research should survive a short outage: try again at the next poll.
  if (isTransient(error) && failedInARow < MAX_FAILED_POLLS_IN_A_ROW) return nextPollDelay();
  throw error;
}

/** True once COMPLETED; a FAILED or STOPPED job ends the wait with its typed error. */
function isDone(last: ConversationStatus, requestId: string): boolean {
  if (last.status === 'FAILED') throw new FayResearchFailedError(requestId, last.errorMessage);
  if (last.status === 'STOPPED') throw new FayResearchStoppedError(requestId);
  return last.status === 'COMPLETED';
}

function pauseOutlastsWait(
  error: FayRateLimitError,
  requestId: string,
  pauseMs: number,
  leftMs: number,
): FayRateLimitError {
  return new FayRateLimitError(
    `Fay's rate limit is reached and it asks to wait ${describePause(pauseMs)}, longer than the ` +
      `${describePause(Math.max(0, leftMs))} left of this wait for research ${requestId}. The ` +
      'research keeps running on Fay: check it again after the pause.',
    {
      code: error.code,
      httpStatus: error.httpStatus,
      requestId,
      retryAfterMs: pauseMs,
    },
  );
}
