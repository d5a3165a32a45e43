// Create a research and follow it: the create is shared by fay_start_research and fay_research's
// task path (the task is answered once its job exists); createAndFollow is fay_research without a
// task, within its call window. Both are bounded by a deadline here, whatever Fay does.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CreatedConversation } from '../core/index.js';
import type { ResearchArgs } from './args.js';
import type { ToolContext } from './context.js';
import { notAnsweringMessage } from './errors.js';
import { completedState, stateResult, stillRunningMessage } from './research-state.js';
import { CALL_MARGIN_MS, waitWithHeartbeat, withDeadline, type Progress } from './wait.js';

/**
 * Creates the job, within the call window. Never cut short by a caller's cancel (a lost answer
 * could leave an unknown, billed job), only by `deadline` or the window.
 */
export async function createResearch(
  ctx: ToolContext,
  input: ResearchArgs,
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

export interface FollowOptions {
  /** Stops waiting (the job keeps running). */
  signal?: AbortSignal;
  /** Time budget from the start of the call, creation included. */
  maxWaitMs: number;
  onProgress: (progress: Progress) => void;
}

/**
 * Creates a research and waits for it: the answer when it completes in time, otherwise a
 * (non-error) hand-back naming the request_id for fay_get_research. Throws on failure, and
 * FayNotAnsweringError when Fay does not answer within maxWaitMs plus CALL_MARGIN_MS.
 */
export async function createAndFollow(
  ctx: ToolContext,
  input: ResearchArgs,
  options: FollowOptions,
): Promise<CallToolResult> {
  const startedAt = Date.now();
  const client = await ctx.client();
  const bound = options.maxWaitMs + CALL_MARGIN_MS;
  return withDeadline(bound, options.signal, async ({ signal, deadline }) => {
    const created = await createResearch(ctx, input, deadline);
    const outcome = await waitWithHeartbeat(client, created.requestId, {
      signal,
      maxWaitMs: options.maxWaitMs - (Date.now() - startedAt),
      heartbeatMs: ctx.config.heartbeatMs,
      startedAt,
      initialStatus: created.status,
      onProgress: options.onProgress,
    });
    if (outcome.done) {
      return stateResult(await completedState(client, outcome.status, signal));
    }
    const seconds = Math.round((Date.now() - startedAt) / 1000);
    ctx.log.log(
      'info',
      `Research ${created.requestId} still running after ${seconds} s; handed back.`,
    );
    return stateResult({
      request_id: created.requestId,
      status: outcome.lastStatus,
      created_at: created.createdAt,
      message: outcome.answered
        ? stillRunningMessage(created.requestId, outcome.lastStatus)
        : notAnsweringMessage(created.requestId, seconds),
    });
  });
}
