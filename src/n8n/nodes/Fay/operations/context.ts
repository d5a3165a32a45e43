// What every operation gets: the n8n context (for its item's parameters), the execution's Fay
// client, the item's index and the signal that stops it (execution cancelled, or a sibling item
// failed without "Continue on Fail").
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import type { FayClient } from '../../../../core/index.js';

export interface OperationContext {
  fn: IExecuteFunctions;
  client: FayClient;
  itemIndex: number;
  signal: AbortSignal;
}

export type Operation = (ctx: OperationContext) => Promise<IDataObject>;

/** The item's Request ID parameter; the core checks it is a UUID before any request. */
export function requestIdParameter({ fn, itemIndex }: OperationContext): string {
  return String(fn.getNodeParameter('requestId', itemIndex)).trim();
}
