import type { IExecuteFunctions } from 'n8n-workflow';

/**
 * n8n 2.41's httpRequestWithAuthentication overwrites the request's `abortSignal` with the
 * context's getExecutionCancelSignal(), and offers no per-request signal. The core's per-attempt
 * signal (execution cancel + attempt timeout) must win: it enforces the timeout and lets the stop
 * sent after a cancel go out. So the helper runs on a view of the context whose cancel signal is
 * this request's. test/n8n-e2e/request-signal.test.ts fails when n8n changes that behaviour.
 */
export function withRequestSignal(fn: IExecuteFunctions, signal: AbortSignal): IExecuteFunctions {
  return Object.create(fn, {
    getExecutionCancelSignal: { value: () => signal },
  }) as IExecuteFunctions;
}
