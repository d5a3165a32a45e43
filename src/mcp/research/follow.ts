// fay_research without a task: create the job, then follow it within the call window, bounded by
// a deadline whatever Fay does.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ResearchInput } from '../../core/index.js';
import type { ToolContext } from './context.js';
import { createResearch } from './create.js';
import { CALL_MARGIN_MS, withDeadline } from './deadline.js';
import { waitWithHeartbeat } from './heartbeat.js';
import { notAnsweringMessage, stillRunningMessage } from './messages.js';
import type { Progress } from './progress.js';
import { completedState, researchResult } from './read.js';
import { stateResult } from './state.js';

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
  input: ResearchInput,
  options: FollowOptions,
): Promise<CallToolResult> {
  const startedAt = ctx.now();
  const client = await ctx.client();
  const bound = options.maxWaitMs + CALL_MARGIN_MS;
  return withDeadline(bound, options.signal, async ({ signal, deadline }) => {
    const created = await createResearch(ctx, input, deadline);
    const outcome = await waitWithHeartbeat(client, created.requestId, {
      signal,
      handBack: ctx.shutdown,
      maxWaitMs: options.maxWaitMs - (ctx.now() - startedAt),
      heartbeatMs: ctx.heartbeatMs,
      startedAt,
      now: ctx.now,
      initialStatus: created.status,
      onProgress: options.onProgress,
    });
    if (outcome.done) {
      return researchResult(ctx, await completedState(ctx, client, outcome.status, signal));
    }
    const seconds = Math.round((ctx.now() - startedAt) / 1000);
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
