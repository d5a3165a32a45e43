// Stopping a Fay job within a bound: what fay_stop_research and a cancelled task both do.
import { linkSignal } from '../core/abort.js';
import { FayAlreadyFinishedError } from '../core/errors.js';
import type { FayClient } from '../core/index.js';
import { StopNotConfirmedError } from './errors.js';
import { stateFromStatus, type ResearchState } from './research-state.js';

/**
 * How long a stop may take. The core retries a stop for minutes (5 attempts of up to 30 s); a
 * cancel or a stop call should answer soon, and say so when Fay did not confirm.
 */
export const STOP_TIMEOUT_MS = 10_000;

/**
 * Stops the job within STOP_TIMEOUT_MS (or until `signal` aborts); a job that had already finished
 * is reported as such, not as a failure. Throws StopNotConfirmedError when the time ran out.
 */
export async function stopResearch(
  client: FayClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const bound = linkSignal(signal, STOP_TIMEOUT_MS);
  try {
    return await stopOrReport(client, requestId, bound.signal);
  } catch (error) {
    if (bound.timedOut()) throw new StopNotConfirmedError(requestId, STOP_TIMEOUT_MS, error);
    throw error;
  } finally {
    bound.dispose();
  }
}

async function stopOrReport(
  client: FayClient,
  requestId: string,
  signal: AbortSignal,
): Promise<ResearchState> {
  try {
    const stopped = await client.stopConversation(requestId, { signal });
    return {
      request_id: stopped.requestId,
      status: stopped.status,
      message:
        `Research ${stopped.requestId} was stopped${stopped.message ? ` (${stopped.message})` : ''}. ` +
        'A stopped research has no output and cannot be resumed.',
    };
  } catch (error) {
    if (!(error instanceof FayAlreadyFinishedError)) throw error;
    const status = await client.getStatus(requestId, { signal });
    return {
      ...stateFromStatus(status),
      message:
        `Research ${requestId} had already finished (${status.status}), so nothing was stopped.` +
        (status.status === 'COMPLETED' ? ' Get its answer with fay_get_research.' : ''),
    };
  }
}
