// Root export of n8n-nodes-fay: the Fay client, its types, errors, schedule and webhook helpers.
export { FayClient } from './client.js';
export * from './errors.js';
export type * from './types.js';
export { pollDelayMs, MIN_POLL_DELAY_MS, MAX_POLL_DELAY_MS } from './schedule.js';
export { isFinalStatus } from './wait.js';
export { verifyWebhook, signWebhook, DEFAULT_WEBHOOK_TOLERANCE_SECONDS } from './webhook.js';
export { fetchTransport, httpTransport } from './transport.js';
// For host transports (n8n's) that rebuild an error and must keep its Node-style network code.
export { networkErrorCode } from './retry.js';
export { defaultSleep } from './sleep.js';
export { DEFAULT_BASE_URL, MAX_PROMPT_LENGTH, promptSchema } from './input.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
