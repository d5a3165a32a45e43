// fay_get_research: the status of a research, with its answer once COMPLETED.
import { defineTool } from './define.js';
import { requestIdInput } from './input.js';
import { readResearch } from '../research/read.js';
import { researchFacts, stateResult } from '../research/state.js';
import { withDeadline } from '../research/deadline.js';

export const getResearchTool = defineTool({
  name: 'fay_get_research',
  title: 'Get a Fay research',
  description:
    'Get the status of a Fay research by its request_id (from fay_research or ' +
    'fay_start_research), and its answer once the status is COMPLETED, or the reason once it is ' +
    'FAILED. While the status is PENDING or PROCESSING, call it again after a minute or two (each ' +
    'call spends status-check quota). Does not change anything.',
  inputSchema: requestIdInput,
  outputSchema: researchFacts,
  annotations: {
    readOnlyHint: true,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  handler: (ctx) => async (args, extra) => {
    const client = await ctx.client();
    return stateResult(
      await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
        readResearch(client, args.request_id, signal),
      ),
    );
  },
});
