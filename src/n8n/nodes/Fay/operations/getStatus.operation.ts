import type { IDataObject } from 'n8n-workflow';
import {
  requestIdParameter,
  requestIdProperty,
  type FayOperation,
  type OperationContext,
} from './context.js';

/** → the ConversationStatus: { requestId, status, prompt, …, completedAt, errorMessage, metadata }. */
export async function getStatus(ctx: OperationContext): Promise<IDataObject> {
  const status = await ctx.client.getStatus(requestIdParameter(ctx), { signal: ctx.signal });
  return { ...status } as IDataObject;
}

export const getStatusOperation: FayOperation = {
  option: {
    name: 'Get Status',
    value: 'getStatus',
    description: 'Get the state and timestamps of a research',
    action: 'Get the status of a research',
  },
  properties: [requestIdProperty],
  execute: getStatus,
};
