// fay_stop_research: stop a running research for good (also what a cancelled task does).
import { FayAlreadyFinishedError } from '../../core/errors.js';
import type { FayClient } from '../../core/index.js';
import { guarded, type ToolModule } from '../tool.js';
import { requestIdArg, requestIdInput } from '../args.js';
import {
  researchStateShape,
  stateFromStatus,
  stateResult,
  type ResearchState,
} from '../research-state.js';

/** Stops the job; a job that had already finished is reported as such, not as a failure. */
export async function stopResearch(client: FayClient, requestId: string): Promise<ResearchState> {
  try {
    const stopped = await client.stopConversation(requestId);
    return {
      request_id: stopped.requestId,
      status: stopped.status,
      message:
        `Research ${stopped.requestId} was stopped${stopped.message ? ` (${stopped.message})` : ''}. ` +
        'A stopped research has no output and cannot be resumed.',
    };
  } catch (error) {
    if (!(error instanceof FayAlreadyFinishedError)) throw error;
    const status = await client.getStatus(requestId);
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
      guarded(ctx, async (args) => {
        const state = await stopResearch(await ctx.client(), requestIdArg(args));
        ctx.log.log('info', `Research ${state.request_id}: stop requested, now ${state.status}.`);
        return stateResult(state);
      }),
    );
  },
};
