// Creating a research: shared by fay_start_research, fay_research and its task path (a task is
// answered once its job exists).
import type { CreatedConversation, ResearchInput } from '../../core/index.js';
import type { ToolContext } from './context.js';
import { withDeadline } from './deadline.js';

/**
 * Creates the job, within the call window. Never cut short by a caller's cancel (a lost answer
 * could leave an unknown, billed job), only by `deadline` or the window.
 */
export async function createResearch(
  ctx: ToolContext,
  input: ResearchInput,
  deadline?: AbortSignal,
): Promise<CreatedConversation> {
  const client = await ctx.client();
  const created = await withDeadline(ctx.config.callWindowMs, deadline, ({ signal }) =>
    client.createConversation(input, { signal }),
  );
  ctx.researches.add({
    requestId: created.requestId,
    prompt: input.prompt,
    createdAt: created.createdAt,
  });
  ctx.log.log('info', `Research ${created.requestId} started.`);
  return created;
}
