// fay_research: start a research and wait for its answer, within a call window short enough for
// clients that give a tool call about 60 s. Task-aware clients get an MCP task instead: the Fay
// job is created first, then the task is answered; its id is the job's request_id, so every later
// tasks/get, tasks/result and tasks/cancel is answered from Fay by whichever replica receives it
// (see tasks/store.ts). Nothing runs in the background here.
import type { ToolTaskHandler } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FayAbortedError, FayValidationError } from '../../core/index.js';
import { MissingApiKeyError } from '../config/index.js';
import type { ToolContext } from '../research/context.js';
import { createResearch } from '../research/create.js';
import { createAndFollow } from '../research/follow.js';
import { progressNotifier } from '../research/progress.js';
import { researchFacts } from '../research/state.js';
import { taskOf } from '../tasks/task.js';
import { guarded, STARTS_RESEARCH, type ToolModule } from './define.js';
import { researchInput, researchInputOf, type ResearchArgs } from './input.js';

// The one spelling of the name; the registration below reads it.
const NAME = 'fay_research';

function description(ctx: ToolContext): string {
  const windowSeconds = Math.round(ctx.config.callWindowMs / 1000);
  return (
    'Research a question on the web with Fay and get a sourced answer: Markdown with ' +
    'headings and links to sources, or a JSON value shaped by output_schema. Use it for ' +
    'questions that need current or cited information gathered from several sources. A ' +
    'research takes from tens of seconds to several minutes; this call waits up to ' +
    `${windowSeconds} s. If the answer is not ready by then, it returns the request_id and ` +
    'the status (not an error): the research keeps running, and fay_get_research with that ' +
    'request_id returns the answer later. An answer too long for one result comes in parts: ' +
    'this call returns part 1 with an outline, and fay_get_research with the request_id and ' +
    'part reads the others.'
  );
}

// A task request that fails before its job exists has no task to carry the failure: it is a
// JSON-RPC error, worded like the tool's own error result.
function creationError(ctx: ToolContext, error: unknown): McpError {
  const invalid = error instanceof FayValidationError || error instanceof MissingApiKeyError;
  return new McpError(
    invalid ? ErrorCode.InvalidParams : ErrorCode.InternalError,
    ctx.describe(error),
  );
}

function taskHandler(ctx: ToolContext): ToolTaskHandler<typeof researchInput> {
  return {
    async createTask(args) {
      // Checked against researchInput already (server/mcp-server.ts), before any task exists.
      try {
        const created = await createResearch(ctx, researchInputOf(args as ResearchArgs));
        return { task: taskOf(created, ctx.now()) };
      } catch (error) {
        throw creationError(ctx, error);
      }
    },
    getTask: async (_args, extra) => extra.taskStore.getTask(extra.taskId),
    getTaskResult: async (_args, extra) =>
      (await extra.taskStore.getTaskResult(extra.taskId)) as CallToolResult,
  };
}

export const researchTool: ToolModule = {
  name: NAME,
  register(server, ctx) {
    const tool = server.experimental.tasks.registerToolTask(
      NAME,
      {
        title: 'Research with Fay',
        description: description(ctx),
        inputSchema: researchInput,
        outputSchema: researchFacts,
        annotations: STARTS_RESEARCH,
        execution: { taskSupport: 'optional' },
      },
      taskHandler(ctx),
    );

    // A plain call: wait within the call window, with progress; the client's cancel (extra.signal)
    // only ends the wait, never the job.
    server.serveWithoutTask(
      NAME,
      tool,
      guarded<ResearchArgs>(ctx, async (args, extra) => {
        try {
          return await createAndFollow(ctx, researchInputOf(args), {
            signal: extra.signal,
            maxWaitMs: ctx.config.callWindowMs,
            onProgress: progressNotifier(extra),
          });
        } catch (error) {
          if (error instanceof FayAbortedError) {
            ctx.log.log(
              'info',
              `fay_research call cancelled by the client; research ${error.requestId ?? '(not created)'} keeps running.`,
            );
          }
          throw error;
        }
      }),
    );
  },
};
