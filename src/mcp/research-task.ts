// fay_research as an MCP task: the Fay job is created first, then the task is answered; its id is
// the job's request_id, so every later tasks/get, tasks/result and tasks/cancel is answered from
// Fay by whichever replica receives it (see task-store.ts). Nothing runs in the background here.
import type { ToolTaskHandler } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FayValidationError } from '../core/index.js';
import { researchInputOf, type ResearchArgs, type researchInput } from './args.js';
import type { ToolContext } from './context.js';
import { describeError, MissingApiKeyError } from './errors.js';
import { createResearch } from './run-research.js';
import { taskOf } from './task-store.js';

// A task request that fails before its job exists has no task to carry the failure: it is a
// JSON-RPC error, worded like the tool's own error result.
function creationError(error: unknown, keyFromClient?: boolean): McpError {
  const invalid = error instanceof FayValidationError || error instanceof MissingApiKeyError;
  return new McpError(
    invalid ? ErrorCode.InvalidParams : ErrorCode.InternalError,
    describeError(error, keyFromClient),
  );
}

export function researchTaskHandler(ctx: ToolContext): ToolTaskHandler<typeof researchInput> {
  return {
    async createTask(args) {
      // Checked against researchInput already (tool-calls.ts), before any task exists.
      try {
        return { task: taskOf(await createResearch(ctx, researchInputOf(args as ResearchArgs))) };
      } catch (error) {
        throw creationError(error, ctx.config.keyFromClient);
      }
    },
    getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args, extra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
}
