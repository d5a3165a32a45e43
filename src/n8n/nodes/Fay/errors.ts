// Turns whatever an item's operation threw into what the user sees: a NodeOperationError for input
// to fix (or a wait that ran out), a NodeApiError for what Fay answered, both with Fay's own
// message and code; or, with "Continue on Fail", an error item. Built from the core's messages
// only, which never contain the API key, and no raw cause is attached.
import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { FayError, FayWaitTimeoutError } from '../../../core/portable.js';
import { lastStatusNote } from '../../../core/internal.js';

export type NodeError = NodeApiError | NodeOperationError;

// Problems solved in the node's parameters rather than on Fay's side.
const OPERATION_CODES: ReadonlySet<string> = new Set(['INVALID_INPUT', 'WAIT_TIMEOUT', 'ABORTED']);

/** The message for the user: the core's, except a wait that ran out, told in the node's terms. */
export function userMessage(error: unknown): string {
  if (error instanceof FayWaitTimeoutError) {
    return (
      `Fay research ${error.requestId} did not finish within the node's "Max Wait (Seconds)" ` +
      `${lastStatusNote(error.lastStatus)}. It keeps running on Fay: get its answer ` +
      `later with the Get Output operation and request ID ${error.requestId}, raise the maximum ` +
      'wait, or turn off "Wait for Completion" and use the Fay Trigger to be notified.'
    );
  }
  return error instanceof Error ? error.message : String(error);
}

function describe(error: FayError): string {
  const requestId = error.requestId ? ` · Request ID: ${error.requestId}` : '';
  return `Fay error code: ${error.code}${requestId}`;
}

export function toNodeError(node: INode, error: unknown, itemIndex?: number): NodeError {
  if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
  const context = itemIndex === undefined ? {} : { itemIndex };
  const message = userMessage(error);
  if (!(error instanceof FayError)) return new NodeOperationError(node, message, context);
  const description = describe(error);
  if (OPERATION_CODES.has(error.code)) {
    return new NodeOperationError(node, message, { ...context, description });
  }
  const response: JsonObject = { message, code: error.code };
  if (error.requestId) response.requestId = error.requestId;
  const apiError = new NodeApiError(node, response, {
    ...context,
    message,
    description,
    ...(error.httpStatus === undefined ? {} : { httpCode: String(error.httpStatus) }),
  });
  // n8n swaps a message naming ECONNREFUSED & co. for a generic one: keep Fay's in the description.
  if (apiError.message !== message) apiError.description = `${message} ${description}`;
  return apiError;
}

/** The JSON of a "Continue on Fail" item: { error, code?, requestId? }. */
export function errorItemJson(error: unknown): IDataObject {
  const json: IDataObject = { error: userMessage(error) };
  if (error instanceof FayError) {
    json.code = error.code;
    if (error.requestId) json.requestId = error.requestId;
  }
  return json;
}
