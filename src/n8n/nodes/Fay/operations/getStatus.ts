import type { IDataObject } from 'n8n-workflow';
import { requestIdParameter, type OperationContext } from './context.js';

/** → the ConversationStatus: { requestId, status, prompt, …, completedAt, errorMessage, metadata }. */
export async function getStatus(ctx: OperationContext): Promise<IDataObject> {
  const status = await ctx.client.getStatus(requestIdParameter(ctx), { signal: ctx.signal });
  return { ...status } as IDataObject;
}
