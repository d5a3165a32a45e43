// The core on Node, what library users and the MCP server get: the client with Node's facilities
// as its host (global fetch, timers, p-retry as the retry engine). Hosts that forbid these (n8n's
// verified community nodes) build the client from portable.ts with their own.
import pRetry from 'p-retry';
import { FayClient as HostedFayClient } from './client.js';
import type { RetryEngine } from './retry.js';
import { defaultSleep } from './sleep.js';
import { fetchTransport } from './transport.js';
import type { FayClientOptions, FayHost } from './types.js';

/** The client's retry policy run by p-retry. */
export const pRetryEngine: RetryEngine = (attempt, policy) =>
  pRetry(attempt, {
    retries: policy.retries,
    // p-retry computes its own backoff but always waits it on its own setTimeout, with no way to
    // inject a Sleep (virtual time in tests, a host's sleep). So it waits 0 ms, and the policy's
    // pause (Retry-After, or the backoff) is taken in onFailedAttempt, on the client's sleep.
    minTimeout: 0,
    signal: policy.signal,
    shouldRetry: ({ error }) => policy.shouldRetry(error),
    onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
      if (retriesLeft === 0 || !policy.shouldRetry(error)) return;
      await policy.beforeRetry(error, attemptNumber);
    },
  });

export const nodeHost: FayHost = {
  transport: fetchTransport,
  sleep: defaultSleep,
  timer: defaultSleep,
  retry: pRetryEngine,
};

/** The Fay client on Node: `new FayClient({ apiKey })`. */
export class FayClient extends HostedFayClient {
  constructor(options: FayClientOptions) {
    super(options, nodeHost);
  }
}
