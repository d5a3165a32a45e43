// tools/call, answered through the SDK's public API. McpServer answers a call made WITHOUT a task
// to a tool that supports tasks by creating a task itself and polling it to the end: no progress,
// no call window, no regard for the client's cancel. fay_research must instead run its blocking
// handler for such calls. So this server keeps the tools it registers and installs its own
// tools/call handler (the low-level Server's request handlers are public): input checked against
// the declared schema and worded as the SDK words it, a task call answered by the tool's
// createTask, any other call by its blocking handler, and structured output checked as the SDK does.
// tools/list is answered here too, as the SDK answers it, but with each schema converted to JSON
// Schema once per process: the SDK converts every schema on every tools/list, and over stateless
// HTTP each request builds a new server, so the conversion would be a large share of every listing.
import {
  McpServer,
  type RegisteredTool,
  type ToolCallback,
} from '@modelcontextprotocol/sdk/server/mcp.js';
import { toJsonSchemaCompat } from '@modelcontextprotocol/sdk/server/zod-json-schema-compat.js';
import {
  getParseErrorMessage,
  normalizeObjectSchema,
  safeParseAsync,
  type AnySchema,
  type ZodRawShapeCompat,
} from '@modelcontextprotocol/sdk/server/zod-compat.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type CreateTaskResult,
  type Tool,
  type ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
import type { ToolTaskHandler } from '@modelcontextprotocol/sdk/experimental/tasks/interfaces.js';
import type { ToolExtra, ToolHandler, ToolServer } from '../tools/define.js';

type TaskHandler = ToolTaskHandler<AnySchema>;
type ToolArgs = Record<string, unknown>;

function isTaskHandler(handler: RegisteredTool['handler']): handler is TaskHandler {
  return typeof handler === 'object' && 'createTask' in handler;
}

async function parsed(schema: AnySchema | undefined, value: unknown, what: string) {
  const object = normalizeObjectSchema(schema);
  if (!object) return value;
  const result = await safeParseAsync(object, value);
  if (!result.success) {
    throw new McpError(ErrorCode.InvalidParams, `${what}: ${getParseErrorMessage(result.error)}`);
  }
  return result.data;
}

type Io = 'input' | 'output';
const converted: Record<Io, WeakMap<object, Tool['inputSchema']>> = {
  input: new WeakMap(),
  output: new WeakMap(),
};

/** A tool schema as JSON Schema, converted with the SDK's converter and options, once per schema. */
function jsonSchemaOf(schema: AnySchema | undefined, io: Io): Tool['inputSchema'] | undefined {
  const object = normalizeObjectSchema(schema);
  if (!object) return io === 'input' ? { type: 'object', properties: {} } : undefined;
  let json = converted[io].get(object);
  if (json === undefined) {
    json = toJsonSchemaCompat(object, {
      strictUnions: true,
      pipeStrategy: io,
    }) as Tool['inputSchema'];
    converted[io].set(object, json);
  }
  return json;
}

/** A registered tool as tools/list shows it (the fields the SDK lists). */
function listed(name: string, tool: RegisteredTool): Tool {
  const definition: Tool = {
    name,
    title: tool.title,
    description: tool.description,
    inputSchema: jsonSchemaOf(tool.inputSchema, 'input') as Tool['inputSchema'],
    annotations: tool.annotations,
    execution: tool.execution,
    _meta: tool._meta,
  };
  const output = jsonSchemaOf(tool.outputSchema, 'output');
  if (output) definition.outputSchema = output;
  return definition;
}

export class FayMcpServer extends McpServer implements ToolServer {
  readonly #tools = new Map<string, RegisteredTool>();
  readonly #withoutTask = new Map<string, ToolHandler<unknown>>();

  override registerTool<
    OutputArgs extends ZodRawShapeCompat | AnySchema,
    InputArgs extends undefined | ZodRawShapeCompat | AnySchema = undefined,
  >(
    name: string,
    config: {
      title?: string;
      description?: string;
      inputSchema?: InputArgs;
      outputSchema?: OutputArgs;
      annotations?: ToolAnnotations;
      _meta?: Record<string, unknown>;
    },
    cb: ToolCallback<InputArgs>,
  ): RegisteredTool {
    return this.#keep(name, super.registerTool(name, config, cb));
  }

  /**
   * A tool registered with experimental.tasks.registerToolTask: task calls get its createTask,
   * calls without a task run `blocking`.
   */
  serveWithoutTask<Args>(name: string, tool: RegisteredTool, blocking: ToolHandler<Args>): void {
    // Its arguments are checked against the tool's input schema before it runs (#call).
    this.#withoutTask.set(name, blocking as ToolHandler<unknown>);
    this.#keep(name, tool);
  }

  #keep(name: string, tool: RegisteredTool): RegisteredTool {
    this.#tools.set(name, tool);
    // McpServer installs its own handlers with the first tool; ours replace them (a plain set).
    this.server.setRequestHandler(CallToolRequestSchema, (request, extra) =>
      this.#call(request.params, extra),
    );
    this.server.setRequestHandler(ListToolsRequestSchema, () => ({
      tools: [...this.#tools].filter(([, t]) => t.enabled).map(([n, t]) => listed(n, t)),
    }));
    return tool;
  }

  async #call(
    params: { name: string; arguments?: ToolArgs; task?: unknown },
    extra: ToolExtra,
  ): Promise<CallToolResult | CreateTaskResult> {
    const { name } = params;
    const tool = this.#tools.get(name);
    if (!tool?.enabled) throw new McpError(ErrorCode.InvalidParams, `Tool ${name} not found`);
    const invalidInput = `Input validation error: Invalid arguments for tool ${name}`;
    const blocking = isTaskHandler(tool.handler)
      ? this.#withoutTask.get(name)
      : (tool.handler as ToolHandler<unknown>);
    if (params.task) {
      // A task call that fails before its task exists is a JSON-RPC error: there is no task.
      if (!isTaskHandler(tool.handler) || !extra.taskStore) {
        throw new McpError(ErrorCode.InvalidParams, `Tool ${name} does not run as a task`);
      }
      const args = await parsed(tool.inputSchema, params.arguments ?? {}, invalidInput);
      return tool.handler.createTask(args as never, { ...extra, taskStore: extra.taskStore });
    }
    if (!blocking) throw new McpError(ErrorCode.MethodNotFound, `Tool ${name} runs only as a task`);
    try {
      const args = (await parsed(
        tool.inputSchema,
        params.arguments ?? {},
        invalidInput,
      )) as ToolArgs;
      const result = await blocking(args, extra);
      if (!result.isError && tool.outputSchema) {
        if (!result.structuredContent) {
          throw new McpError(
            ErrorCode.InvalidParams,
            `Output validation error: Tool ${name} has an output schema but no structured content was provided`,
          );
        }
        await parsed(
          tool.outputSchema,
          result.structuredContent,
          `Output validation error: Invalid structured content for tool ${name}`,
        );
      }
      return result;
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return { isError: true, content: [{ type: 'text', text }] };
    }
  }
}
