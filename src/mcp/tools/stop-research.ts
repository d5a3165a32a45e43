// fay_stop_research: stop a running research for good (also what a cancelled task does).
import {
  FayAlreadyFinishedError,
  STOP_CONFIRM_TIMEOUT_MS,
  type FayClient,
} from '../../core/index.js';
import { guarded, type ToolModule } from '../tool.js';
import { withDeadline } from '../wait.js';
import { requestIdArg, requestIdInput } from '../args.js';
import {
  researchStateShape,
  stateFromStatus,
  stateResult,
  type ResearchState,
} from '../research-state.js';

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

export const stopResearchTool: ToolModule = {
  name: 'fay_stop_research',
  register(server, ctx) {
    server.registerTool(
      'fay_stop_research',
      {
        title: 'Stop a Fay research',
        description:
          'Stop a running Fay research by its request_id. This is final: a stopped research has ' +
          'no partial answer and cannot be resumed. Use it only when the answer is no longer ' +
          'wanted (e.g. the question was wrong); to stop waiting, just stop calling ' +
          'fay_get_research. A research that already finished is reported as such.',
        inputSchema: requestIdInput,
        outputSchema: researchStateShape,
        annotations: {
          readOnlyHint: false,
          destructiveHint: true,
          idempotentHint: true,
          openWorldHint: true,
        },
      },
      guarded(ctx, async (args, extra) => {
        const client = await ctx.client();
        const requestId = requestIdArg(args);
        const state = await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
          stopResearch(client, requestId, signal),
        );
        ctx.log.log('info', `Research ${state.request_id}: stop requested, now ${state.status}.`);
        return stateResult(state);
      }),
    );
  },
};
