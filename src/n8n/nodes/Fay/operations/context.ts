// What every operation gets: the n8n context (for its item's parameters), the execution's Fay
// client, the item's index and the signal that stops it (execution cancelled, or a sibling item
// failed without "Continue on Fail").
import type {
  IDataObject,
  IExecuteFunctions,
  INodePropertyOptions,
  INodeProperties,
} from 'n8n-workflow';
import type { FayClient } from '../../../../core/portable.js';

export interface OperationContext {
  fn: IExecuteFunctions;
  client: FayClient;
  itemIndex: number;
  signal: AbortSignal;
}

export type Operation = (ctx: OperationContext) => Promise<IDataObject>;

/**
 * One operation of the node, all in its own `*.operation.ts` file: its entry in the Operation
 * list, its parameters (shown only for it: the node adds the displayOptions) and its code.
 */
export interface FayOperation {
  option: INodePropertyOptions & { value: string; action: string };
  properties: INodeProperties[];
  execute: Operation;
}

/** The Request ID parameter, for the operations that act on an existing research. */
export const requestIdProperty: INodeProperties = {
  displayName: 'Request ID',
  name: 'requestId',
  type: 'string',
  required: true,
  default: '',
  placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174000',
  description: 'The request ID Fay returned when the research was created',
};

/** The item's Request ID parameter; the core checks it is a UUID before any request. */
export function requestIdParameter({ fn, itemIndex }: OperationContext): string {
  return String(fn.getNodeParameter('requestId', itemIndex)).trim();
}
