import type { IDataObject } from 'n8n-workflow';
import {
  requestIdParameter,
  requestIdProperty,
  type FayOperation,
  type OperationContext,
} from './context.js';

/** → { requestId, conversationId, status, output } (output: Markdown, or JSON for structured output). */
export async function getOutput(ctx: OperationContext): Promise<IDataObject> {
  const requestId = requestIdParameter(ctx);
  const result = await ctx.client.getOutput(requestId, { signal: ctx.signal });
  return { requestId, ...result } as IDataObject;
}

export const getOutputOperation: FayOperation = {
  option: {
    name: 'Get Output',
    value: 'getOutput',
    description: 'Get the answer of a completed research',
    action: 'Get the output of a research',
  },
  properties: [requestIdProperty],
  execute: getOutput,
};
