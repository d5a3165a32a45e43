// Progress notifications for a call that waits for Fay.
import type { JobStatus } from '../../core/index.js';
import type { ToolExtra } from './context.js';

export interface Progress {
  requestId: string;
  status: JobStatus;
  elapsedMs: number;
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
