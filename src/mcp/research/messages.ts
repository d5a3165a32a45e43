// What the MCP face says about a research's state; the same words whether they end a tool call,
// a task or an error.
import type { JobStatus } from '../../core/index.js';
import { failureReason } from '../../core/internal.js';

export function stillRunningMessage(requestId: string, status: JobStatus): string {
  return (
    `Fay is still researching (status ${status}); the job keeps running. Call fay_get_research ` +
    `with request_id "${requestId}" in a minute or two to get the result.`
  );
}

/** How a FAILED research is told: Fay's reason and what to do. */
export function failedOnFay(errorMessage: string | null): string {
  return `failed on Fay's side: ${failureReason(errorMessage)}. Rephrase the prompt or try again later.`;
}

/** What a tool says when Fay did not answer in time: with the request_id when there is one. */
export function notAnsweringMessage(requestId: string | undefined, seconds: number): string {
  if (requestId === undefined) {
    return (
      `Fay is not answering: no answer within ${seconds} s, so a research started by this call ` +
      'may or may not have been created. Try again in a few minutes (check the Fay dashboard ' +
      'first to avoid a second, billed research).'
    );
  }
  return (
    `Fay is not answering: no answer about research ${requestId} within ${seconds} s. It may ` +
    `still be running: call fay_get_research with request_id "${requestId}" in a few minutes.`
  );
}
