// Every call has a deadline: the core's per-attempt timeout times its retries could otherwise
// hold a tool call for minutes, past what clients wait.
import { FayAbortedError } from '../../core/index.js';
import { notAnsweringMessage } from './messages.js';

/** Time a call may take past its window to hand back what it has (the answer, or the id). */
export const CALL_MARGIN_MS = 5_000;

/** Fay did not answer within the call's deadline (see withDeadline). */
export class FayNotAnsweringError extends Error {
  readonly waitedMs: number;
  /** The research concerned, when one was created or named. */
  readonly requestId?: string;

  constructor(waitedMs: number, requestId: string | undefined, cause: unknown) {
    super(notAnsweringMessage(requestId, Math.round(waitedMs / 1000)), { cause });
    this.name = 'FayNotAnsweringError';
    this.waitedMs = waitedMs;
    if (requestId !== undefined) this.requestId = requestId;
  }
}

/**
 * Runs `work` with a signal that aborts when the caller cancels or `deadlineMs` has passed, so a
 * tool call answers in time whatever Fay does. `deadline` aborts only on time (for a create, which
 * a caller's cancel must not cut short). A call cut short by the deadline throws
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
