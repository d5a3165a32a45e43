// fay_get_research: the status of a research, with its answer once COMPLETED.
import { defineTool } from './define.js';
import { getResearchInput } from './input.js';
import { readResearch, researchResult } from '../research/read.js';
import { researchFacts } from '../research/state.js';
import { withDeadline } from '../research/deadline.js';

export const getResearchTool = defineTool({
  name: 'fay_get_research',
  title: 'Get a Fay research',
  description:
    'Get the status of a Fay research by its request_id (from fay_research or ' +
    'fay_start_research), and its answer once the status is COMPLETED, or the reason once it is ' +
    'FAILED. While the status is PENDING or PROCESSING, call it again after a minute or two (each ' +
    'call spends status-check quota). An answer too long for one result comes in parts: the ' +
    'result holds part 1 and says how many there are, and part k is read with request_id and ' +
    'part k (no extra Fay quota). Does not change anything.',
  inputSchema: getResearchInput,
  outputSchema: researchFacts,
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  handler: (ctx) => async (args, extra) => {
    const client = await ctx.client();
    const state = await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
      readResearch(ctx, client, args.request_id, signal),
    );
    return researchResult(ctx, state, args.part);
  },
});
