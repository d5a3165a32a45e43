// What a tool file exports, and the wrapper that turns every failure into an isError result.
import type { ToolCallback } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type * as z from 'zod';
import type { ToolContext } from './context.js';
import { errorResult } from './errors.js';
import type { FayMcpServer } from './tool-calls.js';

/** What the SDK hands a tool handler besides its arguments (signal, progress token, …). */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

/** A tool: its name (the one place it is spelled) and how it registers under that name. */
export interface ToolModule {
  readonly name: string;
  register(server: FayMcpServer, ctx: ToolContext): void;
}

/** The truth about a tool that starts a research: it creates (and bills) a new job on each call. */
export const STARTS_RESEARCH: ToolAnnotations = {
  readOnlyHint: false,
  destructiveHint: false,
  idempotentHint: false,
  openWorldHint: true,
};

export type ToolHandler<Args> = (args: Args, extra: ToolExtra) => Promise<CallToolResult>;

/** Wraps a tool handler so that every failure becomes an isError result, never a crash. */
export function guarded<Args>(ctx: ToolContext, handler: ToolHandler<Args>): ToolHandler<Args> {
  return async (args, extra) => {
    try {
      return await handler(args, extra);
    } catch (error) {
      return errorResult(error, ctx.log, ctx.config.keyFromClient);
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
