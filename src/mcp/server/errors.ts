// The one sentence a user or assistant reads for any failure: what happened and what to do. The
// core's messages are already written for users; here we add what only the MCP face knows (the
// env variable to set, the tool to call next, the argument names). Tools, tasks and resources get
// it as the context's describe(error).
import {
  FayAuthenticationError,
  FayError,
  FayRateLimitError,
  FayResearchFailedError,
  FayStopNotConfirmedError,
  FayValidationError,
} from '../../core/index.js';
import { stopNotConfirmed, utcMinute } from '../../core/internal.js';
import { MissingApiKeyError } from '../config/index.js';
import { FayNotAnsweringError } from '../research/deadline.js';
import { failedOnFay } from '../research/messages.js';

// The core names its inputs in camelCase; the tools declare them as snake_case arguments.
const ARGUMENT_NAMES: Record<string, string> = {
  outputSchema: 'output_schema',
  requestId: 'request_id',
};

function retryHint(error: FayRateLimitError): string {
  const job = error.requestId
    ? ` Research ${error.requestId} keeps running: get it with fay_get_research then.`
    : '';
  if (error.retryAfterMs === undefined) {
    return `Retry in a few minutes: Fay limits calls per hour (the free plan allows 10 researches and 100 status checks an hour).${job}`;
  }
  // A date, not a duration: a pause of days must not read like one of minutes.
  return `Retry after ${utcMinute(Date.now() + error.retryAfterMs)}.${job}`;
}

/**
 * Where the Fay key came from: this server's FAY_API_KEY, the client's Authorization header
 * (remote server), or the consent page of a sign-in (remote server with OAuth).
 */
export type KeySource = 'server' | 'header' | 'sign-in';

/**
 * The sentence a user or assistant reads for `error`; `keySource` says where a rejected key is
 * fixed.
 */
export function describeError(error: unknown, keySource: KeySource = 'server'): string {
  if (error instanceof MissingApiKeyError || error instanceof FayNotAnsweringError) {
    return error.message;
  }
  if (error instanceof FayAuthenticationError && error.code === 'INVALID_API_KEY') {
    if (keySource === 'sign-in') {
      return (
        'Fay rejected the API key given when you signed in to this Fay server (it is wrong, ' +
        'revoked or expired). Sign in again with a current key from the Fay dashboard: remove ' +
        'the Fay connection in your app and add it again.'
      );
    }
    if (keySource === 'header') {
      return (
        'Fay rejected the API key your MCP client sent (it is wrong, revoked or expired). Create ' +
        'a new key in the Fay dashboard and send it as "Authorization: Bearer <key>" in the ' +
        'headers of the fay-mcp server in your MCP client configuration.'
      );
    }
    return (
      'Fay rejected the API key (it is wrong, revoked or expired). Create a new key in the Fay ' +
      'dashboard, put it in FAY_API_KEY in the "env" of the fay-mcp server in your MCP client ' +
      'configuration, and restart the client.'
    );
  }
  if (error instanceof FayRateLimitError) {
    // Our own status budget, spent before asking Fay: say which setting governs it.
    const which =
      error.code === 'STATUS_BUDGET_EXHAUSTED'
        ? 'The status-check budget set by FAY_STATUS_CALLS_PER_HOUR is spent for this hour.'
        : "Fay's rate limit was reached.";
    return `${which} ${retryHint(error)}`;
  }
  if (error instanceof FayResearchFailedError) {
    return `The research ${error.requestId} ${failedOnFay(error.errorMessage)}`;
  }
  if (error instanceof FayStopNotConfirmedError) {
    return (
      `${stopNotConfirmed(error.requestId, error.waitedMs)}. Check it with fay_get_research ` +
      'and, if it is still PENDING or PROCESSING, call fay_stop_research again.'
    );
  }
  if (error instanceof FayValidationError) {
    const { field, problem } = error;
    if (field === undefined || problem === undefined) return `Invalid input: ${error.message}`;
    return `Invalid input: ${ARGUMENT_NAMES[field] ?? field} ${problem}`;
  }
  if (error instanceof FayError) {
    return error.message;
  }
  return `Unexpected error in the Fay MCP server: ${error instanceof Error ? error.message : String(error)}`;
}
