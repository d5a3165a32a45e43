// Signal plumbing shared by the request path and the waiter. Everything here cleans up after
// itself: a finished call leaves no listener on the caller's signal and no pending timer.
import type { Sleep } from './types.js';

export interface LinkedSignal {
  signal: AbortSignal;
  /** True when the controller fired because `timeoutMs` elapsed (not because the parent aborted). */
  timedOut(): boolean;
  /** Removes the parent listener and cancels the timer. Call it in `finally`. */
  dispose(): void;
}

/**
 * A signal that aborts when `parent` aborts or after `timeoutMs`, counted by `timer` (the host's
 * abortable sleep). Built by hand rather than with AbortSignal.timeout/any because that timer
 * cannot be cancelled and would outlive the call.
 */
/**
 * What ends a timer whose call finished first. Given as the abort reason so that abort() does not
 * build a DOMException with a stack on every request (tens of microseconds each); nobody reads it.
 */
const CALL_ENDED = Object.freeze({ name: 'CallEnded' });

export function linkSignal(
  parent: AbortSignal | undefined,
  timeoutMs: number | undefined,
  timer: Sleep,
): LinkedSignal {
  const controller = new AbortController();
  const timerDone = new AbortController();
  let expired = false;
  const onParentAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  if (timeoutMs !== undefined && Number.isFinite(timeoutMs) && !controller.signal.aborted) {
    timer(timeoutMs, timerDone.signal).then(
      () => {
        if (controller.signal.aborted) return;
        expired = true;
        controller.abort(new Error(`timed out after ${timeoutMs} ms`));
      },
      () => {}, // cancelled by dispose: the call ended first
    );
  }
  return {
    signal: controller.signal,
    timedOut: () => expired,
    dispose() {
      parent?.removeEventListener('abort', onParentAbort);
      timerDone.abort(CALL_ENDED);
    },
  };
}
