import type { IDataObject } from 'n8n-workflow';
import { requestIdParameter, type OperationContext } from './context.js';

/** → { requestId, status: 'STOPPED', message }. */
export async function stop(ctx: OperationContext): Promise<IDataObject> {
  const stopped = await ctx.client.stopConversation(requestIdParameter(ctx), {
    signal: ctx.signal,
  });
  return { ...stopped } as IDataObject;
}
