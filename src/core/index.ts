// Root export of n8n-nodes-fay, the public API alone: the Fay client, its types, errors, limits,
// schedule, transports and webhook helpers. What only the MCP server and the n8n node share with
// the core is in internal.ts, which the package does not export.
export { FayClient, STOP_CONFIRM_TIMEOUT_MS } from './client.js';
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
export { fetchTransport, httpTransport } from './transport.js';
// For a host's own transport that rebuilds an error and must keep its Node-style network code.
export { networkErrorCode } from './retry.js';
export { defaultSleep } from './sleep.js';
export {
  DEFAULT_BASE_URL,
  MAX_OUTPUT_SCHEMA_DEPTH,
  MAX_PROMPT_LENGTH,
  MIN_API_KEY_LENGTH,
} from './input.js';
