// What a tool file exports, and the wrapper that turns every failure into an isError result.
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { ToolArgs } from './args.js';
import type { ToolContext } from './context.js';
import { errorResult } from './errors.js';
import type { FayMcpServer } from './tool-calls.js';
import type { ToolExtra } from './wait.js';

export interface ToolModule {
  name: string;
  register(server: FayMcpServer, ctx: ToolContext): void;
}

/** The truth about a tool that starts a research: it creates (and bills) a new job on each call. */
export const STARTS_RESEARCH: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

export type ToolHandler = (args: ToolArgs, extra: ToolExtra) => Promise<CallToolResult>;

/** Wraps a tool handler so that every failure becomes an isError result, never a crash. */
export function guarded(ctx: ToolContext, handler: ToolHandler): ToolHandler {
  return async (args, extra) => {
    try {
      return await handler(args, extra);
    } catch (error) {
      return errorResult(error, ctx.log);
    }
  };
}
