// The one cheap Fay call made before a code is issued: the status of a request id that cannot
// exist. Fay checks the key before it looks at the id, so 404 means the key is good and 401 that
// it is not; a 429 also means the key passed (the rate limit is per key, after auth). Anything
// else (Fay down, too slow) is "cannot check now", never "accepted".
import {
  FayAuthenticationError,
  FayClient,
  FayNotFoundError,
  FayRateLimitError,
  FayValidationError,
} from '../../../core/index.js';
import { PACKAGE_VERSION } from '../../../core/internal.js';

export type KeyCheck = { ok: true } | { ok: false; rejected: boolean; reason: string };
export type CheckKey = (key: string) => Promise<KeyCheck>;

/** The whole check, retries included, answers within this. */
const KEY_CHECK_DEADLINE_MS = 10_000;
/** A UUID Fay never hands out (its ids are random v4). */
const NO_SUCH_REQUEST = '00000000-0000-4000-8000-000000000000';

/**
 * Key checks in flight at once on one replica. Past it a sign-in is asked to try again, so a flood
 * of guessed keys cannot turn this server into a hammer on Fay (nor get its address blocked).
 */
const MAX_KEY_CHECKS_IN_FLIGHT = 16;

/** `check`, with at most `max` calls in flight; one more answers "try again" at once. */
export function bounded(check: CheckKey, max = MAX_KEY_CHECKS_IN_FLIGHT): CheckKey {
  let inFlight = 0;
  return async (key) => {
    if (inFlight >= max) {
      return {
        ok: false,
        rejected: false,
        reason: 'Too many sign-ins are being checked right now. Try again in a few seconds.',
      };
    }
    inFlight += 1;
    try {
      return await check(key);
    } finally {
      inFlight -= 1;
    }
  };
}

export interface FayEndpoint {
  baseUrl: string;
  allowInsecureHttp: boolean;
}

export function fayKeyCheck(fay: FayEndpoint): CheckKey {
  return async (key) => {
    let client: FayClient;
    try {
      client = new FayClient({
        apiKey: key,
        baseUrl: fay.baseUrl,
        allowInsecureHttp: fay.allowInsecureHttp,
        timeoutMs: KEY_CHECK_DEADLINE_MS / 2,
        maxRetries: 1,
        maxRetryAfterMs: 2_000,
        userAgent: `fay-mcp/${PACKAGE_VERSION} (sign-in)`,
      });
    } catch (error) {
      if (error instanceof FayValidationError && error.field === 'apiKey') {
        return {
          ok: false,
          rejected: true,
          reason: `This key ${error.problem ?? 'is not usable'}`,
        };
      }
      throw error;
    }
    try {
      await client.getStatus(NO_SUCH_REQUEST, {
        signal: AbortSignal.timeout(KEY_CHECK_DEADLINE_MS),
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof FayNotFoundError) return { ok: true };
      if (error instanceof FayRateLimitError && error.code === 'RATE_LIMIT_EXCEEDED') {
        return { ok: true };
      }
      if (error instanceof FayAuthenticationError) {
        return {
          ok: false,
          rejected: true,
          reason:
            'Fay did not accept this key: it is wrong, revoked or expired. Copy it again from ' +
            'your Fay dashboard (API Keys).',
        };
      }
      return {
        ok: false,
        rejected: false,
        reason:
          'Fay could not be reached to check the key just now. Nothing was saved; try again in a ' +
          'moment.',
      };
    }
  };
}
