// Pure retry policy: which failures are worth another attempt, and how long to wait before it;
// and the contract of a retry engine, which only runs attempts in turn as a policy says (p-retry
// on Node, see node.ts; retryInTurn where a host forbids p-retry, see retry-in-turn.ts).
import {
  FayConnectionError,
  FayInvalidResponseError,
  FayRateLimitError,
  FayServerError,
  FayTimeoutError,
  type FayError,
} from './errors.js';

export type Endpoint = 'create' | 'status' | 'output' | 'stop';

/**
 * Network error codes that prove the request never reached the server. ERR_BAD_PORT is set by
 * fetchTransport when fetch refuses a port (e.g. 6000) before connecting.
 */
const NOT_SENT_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ERR_BAD_PORT',
]);

/**
 * Create is not idempotent (Fay has no idempotency key), so it is retried only when Fay
 * provably did not take it: a 429, or a connection that was never made. Reads and stop are
 * retried on any transient failure. A spent local status budget is never retried.
 */
export function isRetryable(endpoint: Endpoint, error: FayError, retryAfterCapMs: number): boolean {
  if (error instanceof FayRateLimitError) {
    // The client's own spent status budget is for the caller to handle, never slept on here.
    if (error.code === 'STATUS_BUDGET_EXHAUSTED') return false;
    return error.retryAfterMs === undefined || error.retryAfterMs <= retryAfterCapMs;
  }
  if (endpoint === 'create') {
    return error instanceof FayConnectionError && wasNeverSent(error) && isTransient(error);
  }
  return isTransient(error);
}

/** Network failures that the same request would meet again: never worth another attempt. */
const PERMANENT_CODES: ReadonlySet<string> = new Set(['ERR_BAD_PORT']);

/** A failure that may pass by itself (network, timeout, 5xx, unreadable answer). */
export function isTransient(error: unknown): boolean {
  if (error instanceof FayConnectionError) {
    const code = networkErrorCode(error);
    return code === undefined || !PERMANENT_CODES.has(code);
  }
  return (
    error instanceof FayTimeoutError ||
    error instanceof FayServerError ||
    error instanceof FayInvalidResponseError
  );
}

/** The first Node-style `code` found on an error or along its `cause` chain (or AggregateError). */
export function networkErrorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const { code, cause, errors } = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === 'string' && /^E[A-Z_]+$|^UND_ERR/.test(code)) return code;
  const fromCause = networkErrorCode(cause, depth + 1);
  if (fromCause) return fromCause;
  if (Array.isArray(errors)) return networkErrorCode(errors[0], depth + 1);
  return undefined;
}

/** True when `error` (or its cause chain) proves the request never left the process. */
export function wasNeverSent(error: unknown): boolean {
  const code = networkErrorCode(error);
  return code !== undefined && NOT_SENT_CODES.has(code);
}

/** What the client asks of a retry engine for one request; the engine decides nothing itself. */
export interface RetryPolicy {
  /** Attempts after the first, at most. */
  retries: number;
  signal?: AbortSignal;
  /** Whether this failure is worth another attempt (see isRetryable). */
  shouldRetry(error: unknown): boolean;
  /** Called before each resend, with the failure and its attempt number: waits the pause. */
  beforeRetry(error: unknown, attemptNumber: number): Promise<void>;
}

/** Runs `attempt` until it succeeds or `policy` gives up, then rejects with the last failure. */
export type RetryEngine = <T>(attempt: () => Promise<T>, policy: RetryPolicy) => Promise<T>;

/**
 * The pause before resending after attempt `attemptNumber` failed: the server's Retry-After,
 * and at least our own backoff (a Retry-After of 0, or a date already past, must not make the
 * retries back-to-back).
 */
export function retryDelayMs(error: unknown, attemptNumber: number): number {
  const retryAfterMs = error instanceof FayRateLimitError ? error.retryAfterMs : undefined;
  return Math.max(retryAfterMs ?? 0, backoffDelayMs(attemptNumber));
}

const BASE_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

/** Exponential backoff with full-range jitter (×1–2, as p-retry's `randomize`). */
function backoffDelayMs(attemptNumber: number, random: number = Math.random()): number {
  const exponential = BASE_DELAY_MS * 2 ** Math.max(0, attemptNumber - 1);
  return Math.round(Math.min(MAX_DELAY_MS, exponential) * (1 + random));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent/unreadable. */
export function parseRetryAfter(
  value: string | null,
  nowMs: number = Date.now(),
): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
