import type { IDataObject } from 'n8n-workflow';
import { requestIdParameter, type OperationContext } from './context.js';

/** → { requestId, conversationId, status, output } (output: Markdown, or JSON for structured output). */
export async function getOutput(ctx: OperationContext): Promise<IDataObject> {
  const requestId = requestIdParameter(ctx);
  const result = await ctx.client.getOutput(requestId, { signal: ctx.signal });
  return { requestId, ...result } as IDataObject;
}
