// Resources: every research started through this server is listed, and any research is readable,
// as fay://research/{request_id} (its status, and its answer once COMPLETED, as JSON).
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { FayNotFoundError, FayValidationError } from '../../core/index.js';
import type { ToolContext } from '../research/context.js';
import { withDeadline } from '../research/deadline.js';
import { readResearch } from '../research/read.js';

const TITLE_LENGTH = 80;
const RESOURCE_NOT_FOUND = -32002; // the spec's code for an unknown resource

function errorCodeOf(error: unknown): number {
  if (error instanceof FayNotFoundError) return RESOURCE_NOT_FOUND;
  return error instanceof FayValidationError ? ErrorCode.InvalidParams : ErrorCode.InternalError;
}

function researchUri(requestId: string): string {
  return `fay://research/${requestId}`;
}

function titleOf(prompt: string): string {
  const line = prompt.replace(/\s+/g, ' ').trim();
  return line.length > TITLE_LENGTH ? `${line.slice(0, TITLE_LENGTH - 1)}…` : line;
}

export function registerResearchResource(server: McpServer, ctx: ToolContext): void {
  const template = new ResourceTemplate('fay://research/{request_id}', {
    list: () => ({
      resources: ctx.researches.list().map((research) => ({
        uri: researchUri(research.requestId),
        name: `research-${research.requestId}`,
        title: titleOf(research.prompt),
        description: `Fay research started ${research.createdAt ?? 'in this session'}: "${titleOf(research.prompt)}"`,
        mimeType: 'application/json',
      })),
    }),
  });
  server.registerResource(
    'fay-research',
    template,
    {
      title: 'Fay research',
      description:
        'A Fay research by request_id: its status, and its answer once COMPLETED (JSON).',
      mimeType: 'application/json',
    },
    async (uri, variables, extra) => {
      const requestId = String(variables.request_id ?? '');
      try {
        const client = await ctx.client();
        const state = await withDeadline(ctx.config.callWindowMs, extra.signal, ({ signal }) =>
          readResearch(ctx, client, requestId, signal),
        );
        return {
          contents: [
            { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(state, null, 2) },
          ],
        };
      } catch (error) {
        // A resource read has no isError result: answer a protocol error with the same sentence.
        throw new McpError(errorCodeOf(error), ctx.describe(error));
      }
    },
  );
}
