// Reading a research from Fay: its status, and its answer once COMPLETED.
import {
  parseStructuredOutput,
  type ConversationStatus,
  type FayClient,
} from '../../core/index.js';
import { failedOnFay, stillRunningMessage } from './messages.js';
import { stateFromStatus, type ResearchState } from './state.js';

/** The state of a COMPLETED research, with its output. */
export async function completedState(
  client: FayClient,
  status: ConversationStatus,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const { output } = await client.getOutput(status.requestId, { signal });
  return { ...stateFromStatus(status), output: structuredValue(output, status.structuredOutput) };
}

function structuredValue(output: unknown, structured: boolean): unknown {
  return structured ? parseStructuredOutput(output) : output;
}

/** Current state of a research: its status, plus the output once COMPLETED. */
export async function readResearch(
  client: FayClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const status = await client.getStatus(requestId, { signal });
  const state = stateFromStatus(status);
  switch (status.status) {
    case 'COMPLETED':
      return completedState(client, status, signal);
    case 'FAILED':
      return {
        ...state,
        message: `The research ${failedOnFay(status.errorMessage)}`,
      };
    case 'STOPPED':
      return {
        ...state,
        message: 'The research was stopped; it has no output. Start a new one if needed.',
      };
    default:
      return { ...state, message: stillRunningMessage(requestId, status.status) };
  }
}
