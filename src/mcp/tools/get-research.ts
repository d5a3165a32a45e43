// fay_get_research: the status of a research, with its answer once COMPLETED.
import { guarded, type ToolModule } from '../tool.js';
import { requestIdArg, requestIdInput } from '../args.js';
import { readResearch, researchStateShape, stateResult } from '../research-state.js';
import { withDeadline } from '../wait.js';

export const getResearchTool: ToolModule = {
  name: 'fay_get_research',
  register(server, ctx) {
    server.registerTool(
      'fay_get_research',
      {
        title: 'Get a Fay research',
        description:
          'Get the status of a Fay research by its request_id (from fay_research or ' +
          'fay_start_research), and its answer once the status is COMPLETED, or the reason once ' +
          'it is FAILED. While the status is PENDING or PROCESSING, call it again after a minute ' +
          'or two (each call spends status-check quota). Does not change anything.',
        inputSchema: requestIdInput,
        outputSchema: researchStateShape,
        annotations: {
          readOnlyHint: true,
          destructiveHint: false,
          idempotentHint: true,
          openWorldHint: true,
        },
      },
      guarded(ctx, async (args, extra) => {
        const client = await ctx.client();
        const requestId = requestIdArg(args);
        return stateResult(
          await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
            readResearch(client, requestId, signal),
          ),
        );
      }),
    );
  },
};
