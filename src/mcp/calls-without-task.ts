// fay_research is registered with registerToolTask (taskSupport 'optional') so task-aware clients
// get a task. But for a call made WITHOUT a task, the SDK (1.32) answers in the private
// McpServer.handleAutomaticTaskPolling: it creates a task itself and polls it to the end, with no
// progress notifications, no call window and no regard for the client's cancel. We replace that
// fallback on our instance so such calls run the tool's own blocking handler instead. The SDK's
// fallback runs only for exactly these calls (optional task tool, no `task` param), so nothing
// else changes; if a future SDK drops the method we fail at start rather than silently lose the
// call window (test/mcp covers the behaviour end to end).
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolRequest, CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolExtra, ToolHandler } from './tool.js';

type PollingFallback = (
  tool: unknown,
  request: CallToolRequest,
  extra: ToolExtra,
) => Promise<CallToolResult>;

export function handleCallsWithoutTask(
  server: McpServer,
  toolName: string,
  handler: ToolHandler<unknown>,
): void {
  const host = server as unknown as { handleAutomaticTaskPolling?: PollingFallback };
  const sdkFallback = host.handleAutomaticTaskPolling;
  if (typeof sdkFallback !== 'function') {
    throw new Error(
      'This @modelcontextprotocol/sdk version has no McpServer.handleAutomaticTaskPolling, so ' +
        `${toolName} could not keep its call window; use the SDK version in package.json.`,
    );
  }
  host.handleAutomaticTaskPolling = (tool, request, extra) =>
    request.params.name === toolName
      ? handler(request.params.arguments ?? {}, extra)
      : sdkFallback.call(server, tool, request, extra);
}
