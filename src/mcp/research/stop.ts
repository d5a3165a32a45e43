// Stopping a Fay job: what fay_stop_research and a cancelled task both do.
import {
  FayAlreadyFinishedError,
  STOP_CONFIRM_TIMEOUT_MS,
  type FayClient,
} from '../../core/index.js';
import { stateFromStatus, type ResearchState } from './state.js';

/**
 * Stops the job; a job that had already finished is reported as such, not as a failure. The core
 * gives up after STOP_CONFIRM_TIMEOUT_MS with FayStopNotConfirmedError (a stop retried for minutes
 * would hold a cancel or a tool call far too long).
 */
export async function stopResearch(
  client: FayClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<ResearchState> {
  try {
    const stopped = await client.stopConversation(requestId, {
      signal,
      confirmWithinMs: STOP_CONFIRM_TIMEOUT_MS,
    });
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
