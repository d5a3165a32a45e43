// The core without Node's facilities: the client takes its host (transport, sleep, timer, retry
// engine) from the caller. Nothing reachable from here uses Node's timers, HTTP, `process` or a
// runtime package other than zod, so a host that forbids them (n8n's verified community nodes,
// which bundle this) can run it. Library users import index.ts, the same API with Node's host.
export { FayClient, STOP_CONFIRM_TIMEOUT_MS } from './client.js';
export { retryInTurn } from './retry-in-turn.js';
export type { RetryEngine, RetryPolicy } from './retry.js';
export {
  FayAbortedError,
  FayAlreadyFinishedError,
  FayAuthenticationError,
  FayConnectionError,
  FayCreateOutcomeUnknownError,
  FayError,
  FayInvalidResponseError,
  FayNotCompletedError,
  FayNotFoundError,
  FayRateLimitError,
  FayRedirectError,
  FayResearchFailedError,
  FayResearchStoppedError,
  FayServerError,
  FayStopNotConfirmedError,
  FayTimeoutError,
  FayValidationError,
  FayWaitTimeoutError,
  FayWebhookError,
} from './errors.js';
export type {
  FayErrorDetails,
  FayJobStop,
  FayRateLimitCode,
  FayWebhookErrorCode,
} from './errors.js';
export type * from './types.js';
export { pollDelayMs, MIN_POLL_DELAY_MS, MAX_POLL_DELAY_MS } from './schedule.js';
export { isFinalStatus } from './wait.js';
export { parseStructuredOutput } from './schemas.js';
export { verifyWebhook, signWebhook, DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from './webhook.js';
// For a host's own transport that rebuilds an error and must keep its Node-style network code.
export { networkErrorCode } from './retry.js';
export {
  DEFAULT_BASE_URL,
  MAX_OUTPUT_SCHEMA_DEPTH,
  MAX_PROMPT_LENGTH,
  MIN_API_KEY_LENGTH,
} from './input.js';
