import type { IDataObject } from 'n8n-workflow';
import {
  requestIdParameter,
  requestIdProperty,
  type FayOperation,
  type OperationContext,
} from './context.js';

/** → { requestId, status: 'STOPPED', message }. */
export async function stop(ctx: OperationContext): Promise<IDataObject> {
  const stopped = await ctx.client.stopConversation(requestIdParameter(ctx), {
    signal: ctx.signal,
  });
  return { ...stopped } as IDataObject;
}

export const stopOperation: FayOperation = {
  option: {
    name: 'Stop',
    value: 'stop',
    description: 'Stop a running research (a stopped research has no output)',
    action: 'Stop a research',
  },
  properties: [requestIdProperty],
  execute: stop,
};
