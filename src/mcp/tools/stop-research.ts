// fay_stop_research: stop a running research for good (also what a cancelled task does).
import { requestIdInput } from './input.js';
import { researchFacts, stateResult } from '../research/state.js';
import { stopResearch } from '../research/stop.js';
import { defineTool } from './define.js';
import { withDeadline } from '../research/deadline.js';

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
    const client = await ctx.client();
    const state = await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
      stopResearch(client, args.request_id, signal),
    );
    ctx.log.log('info', `Research ${state.request_id}: stop requested, now ${state.status}.`);
    return stateResult(state);
  },
});
