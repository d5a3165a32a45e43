// tasks/get, tasks/result and tasks/cancel, answered here in place of the SDK's own handlers,
// which read the task with no deadline (a Fay that hangs held them for minutes), wait in
// tasks/result with no bound, and read the task before a cancel sends its stop. Here each answers
// within the call window in the tools' words (a rate limit at once, with the date to retry
// after); tasks/result hands the task back when its window ends or the server shuts down, and
// tasks/cancel sends its stop first.
import {
  CancelTaskRequestSchema,
  ErrorCode,
  GetTaskPayloadRequestSchema,
  GetTaskRequestSchema,
  McpError,
  RELATED_TASK_META_KEY,
} from '@modelcontextprotocol/sdk/types.js';
import { isTerminal } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { defaultSleep } from '../../core/index.js';
import type { ToolContext } from '../research/context.js';
import { withDeadline } from '../research/deadline.js';
import { stillRunningMessage } from '../research/messages.js';
import type { FayTaskStore } from './store.js';

/** A task still working when its tasks/result must answer: what to call next, as a tool says it. */
const STILL_RUNNING = ErrorCode.RequestTimeout;

export function registerTaskMethods(server: Server, store: FayTaskStore, ctx: ToolContext): void {
  const windowMs = ctx.config.callWindowMs;
  /** `work` within the call window; a failure in the words a tool would use. */
  const bounded = async <T>(
    signal: AbortSignal,
    work: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    try {
      return await withDeadline(windowMs, signal, (signals) => work(signals.signal));
    } catch (error) {
      if (error instanceof McpError) throw error;
      throw new McpError(ErrorCode.InternalError, ctx.describe(error));
    }
  };

  server.setRequestHandler(GetTaskRequestSchema, ({ params }, extra) =>
    bounded(extra.signal, async (signal) => {
      const read = await store.readTask(params.taskId, signal);
      if (!read)
        throw new McpError(ErrorCode.InvalidParams, 'Failed to retrieve task: Task not found');
      return read.task;
    }),
  );

  server.setRequestHandler(GetTaskPayloadRequestSchema, ({ params: { taskId } }, extra) => {
    const startedAt = ctx.now();
    return bounded(extra.signal, async (signal) => {
      const stopWaiting = AbortSignal.any([signal, ctx.shutdown]);
      for (;;) {
        const read = await store.readTask(taskId, signal);
        if (!read) throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
        if (isTerminal(read.task.status)) {
          const result = await store.readTaskResult(taskId, signal);
          return { ...result, _meta: { ...result._meta, [RELATED_TASK_META_KEY]: { taskId } } };
        }
        // The next read on the task's poll schedule, if the window has room for it.
        const leftMs = windowMs - (ctx.now() - startedAt);
        const nextMs = read.task.pollInterval ?? leftMs;
        // Cut short by the caller or the shutdown, even one that came during the read: no error
        // here, the lines below answer.
        if (nextMs < leftMs) await defaultSleep(nextMs, stopWaiting).catch(() => {});
        if (nextMs >= leftMs || ctx.shutdown.aborted) {
          throw new McpError(STILL_RUNNING, stillRunningMessage(taskId, read.status));
        }
      }
    });
  });

  server.setRequestHandler(CancelTaskRequestSchema, ({ params }) =>
    // Not cut short by the client's own cancel: a stop half sent is worse than one confirmed.
    bounded(new AbortController().signal, (signal) => store.cancel(params.taskId, signal)),
  );
}
