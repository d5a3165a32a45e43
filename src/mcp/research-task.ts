// fay_research as an MCP task: the client gets a task id at once; the job is created and followed
// in the background (up to FAY_MAX_WAIT_SECONDS); the task's status message follows the Fay job;
// tasks/result returns the same result a plain call would; tasks/cancel stops the Fay job (through
// StoppingTaskStore).
import type { ToolTaskHandler } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { CreateTaskRequestHandlerExtra } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CreatedConversation, JobStatus } from '../core/index.js';
import { researchArgs, type researchInput } from './args.js';
import type { ToolContext } from './context.js';
import { FayStopNotConfirmedError } from '../core/index.js';
import { describeError, errorResult } from './errors.js';
import { createAndFollow } from './run-research.js';
import { stopResearch } from './tools/stop-research.js';
import { progressNotifier } from './wait.js';

/** How often clients are told to poll tasks/get (served from memory, no Fay call). */
const TASK_POLL_INTERVAL_MS = 2_000;
/** How long a finished task's result stays available. */
const RESULT_KEPT_MS = 3_600_000;

export function researchTaskHandler(ctx: ToolContext): ToolTaskHandler<typeof researchInput> {
  return {
    async createTask(args, extra) {
      // The store forgets a task when its ttl runs out, even mid-run: keep it past the longest wait.
      const ttl = Math.max(extra.taskRequestedTtl ?? 0, ctx.config.maxWaitMs + RESULT_KEPT_MS);
      const task = await extra.taskStore.createTask({ ttl, pollInterval: TASK_POLL_INTERVAL_MS });
      followInTask(ctx, task.taskId, args, extra);
      return { task };
    },
    getTask: (_args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args, extra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
}

function followInTask(
  ctx: ToolContext,
  taskId: string,
  args: unknown,
  extra: CreateTaskRequestHandlerExtra,
): void {
  const store = extra.taskStore;
  const abort = new AbortController();
  let created: CreatedConversation | undefined;
  let markCreateSettled = () => {};
  const createSettled = new Promise<void>((resolve) => (markCreateSettled = resolve));
  let lastStatus: JobStatus | undefined;
  const report = (requestId: string, status: JobStatus) => {
    if (status === lastStatus) return;
    lastStatus = status;
    store
      .updateTaskStatus(taskId, 'working', `Fay research ${requestId} is ${status}.`)
      .catch(() => {
        // Cancelled meanwhile: the task is terminal and keeps that state.
      });
  };

  // tasks/cancel: wait for the create to settle (aborting it could leave an unknown job), stop
  // following, then stop the job itself (for at most STOP_TIMEOUT_MS). A failed or unconfirmed
  // stop still cancels the task, and says so.
  ctx.taskStore.onCancel(taskId, async () => {
    await createSettled;
    abort.abort();
    if (!created) return 'Cancelled before a Fay research was created.';
    const id = created.requestId;
    try {
      const state = await stopResearch(await ctx.client(), id);
      return `Cancelled; Fay research ${id} is ${state.status}.`;
    } catch (error) {
      const message =
        error instanceof FayStopNotConfirmedError
          ? `Cancelled, but ${describeError(error)}`
          : `Cancelled, but stopping Fay research ${id} failed: ${describeError(error)} Stop it with fay_stop_research.`;
      ctx.log.log('warning', message);
      return message;
    }
  });

  const run = async (): Promise<CallToolResult> => {
    try {
      return await createAndFollow(ctx, researchArgs(args), {
        signal: abort.signal,
        maxWaitMs: ctx.config.maxWaitMs,
        onProgress: progressNotifier(extra),
        onCreated: (job) => {
          created = job;
          markCreateSettled();
          report(job.requestId, job.status);
        },
        onStatus: (status) => report(status.requestId, status.status),
      });
    } catch (error) {
      return errorResult(error, ctx.log);
    } finally {
      markCreateSettled();
    }
  };

  void run().then(async (result) => {
    if (abort.signal.aborted) return; // cancelled: the store already says so
    ctx.taskStore.settled(taskId);
    await store
      .storeTaskResult(taskId, result.isError ? 'failed' : 'completed', result)
      .catch((error: unknown) => ctx.log.log('warning', `Task ${taskId}: ${String(error)}`));
  });
}
