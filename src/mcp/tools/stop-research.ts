// fay_stop_research: stop a running research for good (also what a cancelled task does).
import { linkSignal } from '../../core/abort.js';
import { FayAlreadyFinishedError } from '../../core/errors.js';
import type { FayClient } from '../../core/index.js';
import { StopNotConfirmedError } from '../errors.js';
import { defineTool } from '../tool.js';
import { requestIdInput } from '../args.js';
import {
  researchFacts,
  stateFromStatus,
  stateResult,
  type ResearchState,
} from '../research-state.js';

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

export const stopResearchTool = defineTool({
  name: 'fay_stop_research',
  title: 'Stop a Fay research',
  description:
    'Stop a running Fay research by its request_id. This is final: a stopped research has no ' +
    'partial answer and cannot be resumed. Use it only when the answer is no longer wanted (e.g. ' +
    'the question was wrong); to stop waiting, just stop calling fay_get_research. A research ' +
    'that already finished is reported as such.',
  inputSchema: requestIdInput,
  outputSchema: researchFacts,
  annotations: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: true,
    openWorldHint: true,
  },
  handler: (ctx) => async (args, extra) => {
    const state = await stopResearch(await ctx.client(), args.request_id, extra.signal);
    ctx.log.log('info', `Research ${state.request_id}: stop requested, now ${state.status}.`);
    return stateResult(state);
  },
});
