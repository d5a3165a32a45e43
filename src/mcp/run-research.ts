// Create a research and follow it: shared by fay_start_research (create only) and both paths of
// fay_research (a plain call within its call window, a task up to FAY_MAX_WAIT_SECONDS).
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ConversationStatus, CreatedConversation } from '../core/index.js';
import type { ResearchArgs } from './args.js';
import type { ToolContext } from './context.js';
import { completedState, stateResult, stillRunningMessage } from './research-state.js';
import { waitWithHeartbeat, type Progress } from './wait.js';

/** Creates the job (never aborted midway: a lost answer could leave an unknown, billed job). */
export async function createResearch(
  ctx: ToolContext,
  input: ResearchArgs,
): Promise<CreatedConversation> {
  const created = await (await ctx.client()).createConversation(input);
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
  onCreated?: (created: CreatedConversation) => void;
  onStatus?: (status: ConversationStatus) => void;
}

/**
 * Creates a research and waits for it: the answer when it completes in time, otherwise a
 * (non-error) hand-back naming the request_id for fay_get_research. Throws on failure.
 */
export async function createAndFollow(
  ctx: ToolContext,
  input: ResearchArgs,
  options: FollowOptions,
): Promise<CallToolResult> {
  const startedAt = Date.now();
  const client = await ctx.client();
  const created = await createResearch(ctx, input);
  options.onCreated?.(created);
  const outcome = await waitWithHeartbeat(client, created.requestId, {
    signal: options.signal,
    maxWaitMs: options.maxWaitMs - (Date.now() - startedAt),
    heartbeatMs: ctx.config.heartbeatMs,
    startedAt,
    initialStatus: created.status,
    onProgress: options.onProgress,
    onStatus: options.onStatus,
  });
  if (outcome.done) {
    return stateResult(await completedState(client, outcome.status, options.signal));
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
    message: stillRunningMessage(created.requestId, outcome.lastStatus),
  });
}
