// What a tool file exports (defineTool, or a ToolModule of its own), what a tool registers on,
// and the wrapper that turns every failure into an isError result.
import type {
  McpServer,
  RegisteredTool,
  ToolCallback,
} from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod';
import type { ToolContext, ToolExtra } from '../research/context.js';
import { errorResult } from '../research/state.js';

export type { ToolExtra };

export type ToolHandler<Args> = (args: Args, extra: ToolExtra) => Promise<CallToolResult>;

/** The server a tool registers on (server/mcp-server.ts's FayMcpServer). */
export interface ToolServer extends McpServer {
  /**
   * For a tool registered with experimental.tasks.registerToolTask: calls without a task run
   * `blocking` (task calls get its createTask).
   */
  serveWithoutTask<Args>(name: string, tool: RegisteredTool, blocking: ToolHandler<Args>): void;
}

/** A tool: its name (the one place it is spelled) and how it registers under that name. */
export interface ToolModule {
  readonly name: string;
  register(server: ToolServer, ctx: ToolContext): void;
}

/** The truth about a tool that starts a research: it creates (and bills) a new job on each call. */
export const STARTS_RESEARCH: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

/** Wraps a tool handler so that every failure becomes an isError result, never a crash. */
export function guarded<Args>(ctx: ToolContext, handler: ToolHandler<Args>): ToolHandler<Args> {
  return async (args, extra) => {
    try {
      return await handler(args, extra);
    } catch (error) {
      return errorResult(ctx, error);
    }
  };
}

export interface ToolDefinition<Input extends z.ZodObject> {
  name: string;
  title: string;
  description: string;
  /** Declared to clients and, through the SDK, the validator of the arguments. */
  inputSchema: Input;
  outputSchema: z.ZodObject;
  annotations: ToolAnnotations;
  /** Runs with validated arguments; whatever it throws becomes an isError result. */
  handler(ctx: ToolContext): ToolHandler<z.output<Input>>;
}

/** A plain (blocking) tool, registered under its own name. */
export function defineTool<Input extends z.ZodObject>(
  definition: ToolDefinition<Input>,
): ToolModule {
  const { name, handler, ...config } = definition;
  return {
    name,
    register(server, ctx) {
      server.registerTool(
        name,
        config,
        guarded(ctx, handler(ctx)) as unknown as ToolCallback<Input>,
      );
    },
  };
}
