// The retry engine for hosts that forbid p-retry (n8n's verified community nodes may not ship a
// runtime package): the attempts in turn, each resend after the policy's pause on the host's own
// sleep. The policy, which failures are retried and for how long to wait, is the client's
// (retry.ts), the same one p-retry runs on Node.
import type { RetryEngine } from './retry.js';

export const retryInTurn: RetryEngine = async (attempt, policy) => {
  for (let attemptNumber = 1; ; attemptNumber++) {
    policy.signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (error) {
      if (attemptNumber > policy.retries || !policy.shouldRetry(error)) throw error;
      await policy.beforeRetry(error, attemptNumber);
    }
  }
};
