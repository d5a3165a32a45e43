// Root export of n8n-nodes-fay: the Fay client, its types, errors, schedule and webhook helpers,
// and the few parts the MCP server and n8n node share with it (transports, redaction, limits).
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
// For host transports (n8n's) that rebuild an error and must keep its Node-style network code.
export { networkErrorCode } from './retry.js';
export { redactError, redactText, REDACTED } from './redact.js';
export { defaultSleep } from './sleep.js';
export {
  DEFAULT_BASE_URL,
  isLoopbackHost,
  MAX_OUTPUT_SCHEMA_DEPTH,
  MAX_PROMPT_LENGTH,
  promptSchema,
  MIN_API_KEY_LENGTH,
  validateBaseUrl,
  validateClientOptions,
} from './input.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
