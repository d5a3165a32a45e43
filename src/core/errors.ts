// The one error hierarchy of the Fay client. Every failure a caller can see is a FayError with a
// stable `code` (the API's own code where it has one), so hosts can branch on codes, not messages.
// Messages are sentences a user can act on; none of them ever contains the API key or headers.
import { failureReason, lastStatusNote, stopNotConfirmed } from './wording.js';

export interface FayErrorDetails {
  code: string;
  httpStatus?: number;
  requestId?: string;
  cause?: unknown;
}

export class FayError extends Error {
  readonly code: string;
  readonly httpStatus?: number;
  readonly requestId?: string;

  constructor(message: string, details: FayErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    if (details.httpStatus !== undefined) this.httpStatus = details.httpStatus;
    if (details.requestId !== undefined) this.requestId = details.requestId;
  }
}

type Extra = Omit<FayErrorDetails, 'code'>;

export class FayAuthenticationError extends FayError {
  constructor(message: string, extra: Extra & { code?: string } = {}) {
    super(message, { httpStatus: 401, ...extra, code: extra.code ?? 'INVALID_API_KEY' });
  }
}

export class FayNotFoundError extends FayError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { httpStatus: 404, ...extra, code: 'REQUEST_NOT_FOUND' });
  }
}

/** VALIDATION_ERROR from the API (HTTP 400), or INVALID_INPUT for checks made before sending. */
export class FayValidationError extends FayError {
  /** The input at fault, as the core names it ('prompt', 'outputSchema', 'baseUrl', …). */
  readonly field?: string;
  /**
   * For INVALID_INPUT: what is wrong, without the field's name ("is empty: write the question
   * to research."), so each face can name the field its own way. The message is field + problem.
   */
  readonly problem?: string;

  constructor(
    message: string,
    extra: Extra & {
      code?: 'VALIDATION_ERROR' | 'INVALID_INPUT';
      field?: string;
      problem?: string;
    } = {},
  ) {
    const { field, problem, ...rest } = extra;
    super(message, { ...rest, code: extra.code ?? 'INVALID_INPUT' });
    if (field !== undefined) this.field = field;
    if (problem !== undefined) this.problem = problem;
  }
}

export class FayNotCompletedError extends FayError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { httpStatus: 400, ...extra, code: 'RESEARCH_NOT_COMPLETED' });
  }
}

export class FayAlreadyFinishedError extends FayError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { httpStatus: 400, ...extra, code: 'CONVERSATION_ALREADY_COMPLETED' });
  }
}

/**
 * RATE_LIMIT_EXCEEDED: Fay answered 429. STATUS_BUDGET_EXHAUSTED: this client's own
 * statusCallsPerHour is spent, so a one-shot getStatus was not sent (no HTTP status).
 */
export type FayRateLimitCode = 'RATE_LIMIT_EXCEEDED' | 'STATUS_BUDGET_EXHAUSTED';

export class FayRateLimitError extends FayError {
  declare readonly code: FayRateLimitCode;
  /** How long to wait: Fay's Retry-After, or until a status call leaves the budget's hour. */
  readonly retryAfterMs?: number;

  constructor(
    message: string,
    extra: Extra & { retryAfterMs?: number; code?: FayRateLimitCode } = {},
  ) {
    const { retryAfterMs, code = 'RATE_LIMIT_EXCEEDED', ...rest } = extra;
    const http = code === 'RATE_LIMIT_EXCEEDED' ? { httpStatus: 429 } : {};
    super(message, { ...http, ...rest, code });
    if (retryAfterMs !== undefined) this.retryAfterMs = retryAfterMs;
  }
}

export class FayServerError extends FayError {
  /** Start of a non-JSON body (e.g. a proxy's HTML 502 page), ≤ 200 characters. */
  readonly excerpt?: string;

  constructor(message: string, extra: Extra & { excerpt?: string } = {}) {
    const { excerpt, ...rest } = extra;
    super(message, { ...rest, code: 'SERVER_ERROR' });
    if (excerpt !== undefined) this.excerpt = excerpt;
  }
}

export class FayInvalidResponseError extends FayError {
  readonly excerpt: string;

  constructor(message: string, extra: Extra & { excerpt: string }) {
    const { excerpt, ...rest } = extra;
    super(message, { ...rest, code: 'INVALID_RESPONSE' });
    this.excerpt = excerpt;
  }
}

export class FayConnectionError extends FayError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { ...extra, code: 'CONNECTION_ERROR' });
  }
}

export class FayTimeoutError extends FayError {
  constructor(message: string, extra: Extra = {}) {
    super(message, { ...extra, code: 'TIMEOUT' });
  }
}

/**
 * What became of a running job when the caller cancelled its wait: with stopOnCancel, 'stopped'
 * (Fay confirmed), 'already-finished', 'not-confirmed' (no confirmation within
 * STOP_CONFIRM_TIMEOUT_MS) or 'failed'; without it, 'left-running'.
 */
export type FayJobStop =
  'stopped' | 'already-finished' | 'not-confirmed' | 'failed' | 'left-running';

export class FayAbortedError extends FayError {
  /** Set when a wait on a created job was cancelled: what happened to the job. */
  readonly jobStop?: FayJobStop;

  constructor(
    message = 'The Fay call was cancelled by the caller.',
    extra: Extra & { jobStop?: FayJobStop } = {},
  ) {
    const { jobStop, ...rest } = extra;
    super(message, { ...rest, code: 'ABORTED' });
    if (jobStop !== undefined) this.jobStop = jobStop;
  }
}

/** A stop Fay did not confirm within the time the caller allowed: the job may still run. */
export class FayStopNotConfirmedError extends FayError {
  declare readonly requestId: string;
  readonly waitedMs: number;

  constructor(requestId: string, waitedMs: number, cause?: unknown) {
    super(
      `${stopNotConfirmed(requestId, waitedMs)}. Check its status, and stop it again if it ` +
        'is still PENDING or PROCESSING.',
      { code: 'STOP_NOT_CONFIRMED', requestId, cause },
    );
    this.waitedMs = waitedMs;
  }
}

/** A 3xx answer: API calls never follow one (the key and prompt would go where it points). */
export class FayRedirectError extends FayError {
  /** The Location header, as Fay (or a proxy) sent it; null when absent. */
  readonly location: string | null;

  constructor(message: string, extra: Extra & { location: string | null }) {
    const { location, ...rest } = extra;
    super(message, { ...rest, code: 'UNEXPECTED_REDIRECT' });
    this.location = location;
  }
}

export class FayResearchFailedError extends FayError {
  /** The job's own error_message, as Fay reported it. */
  readonly errorMessage: string | null;

  constructor(requestId: string, errorMessage: string | null) {
    super(
      `Fay research ${requestId} failed: ${failureReason(errorMessage)}. ` +
        'Rephrase the prompt or try again later.',
      { code: 'RESEARCH_FAILED', requestId },
    );
    this.errorMessage = errorMessage;
  }
}

export class FayResearchStoppedError extends FayError {
  constructor(requestId: string) {
    super(
      `Fay research ${requestId} was stopped before it finished, so it has no output. ` +
        'Start a new research to get an answer.',
      { code: 'RESEARCH_STOPPED', requestId },
    );
  }
}

export class FayWaitTimeoutError extends FayError {
  declare readonly requestId: string;
  /** The last job status seen before giving up (null when no status call succeeded). */
  readonly lastStatus: string | null;
  /** True when the wait ran out while a status check was still unanswered (Fay not answering). */
  readonly checkPending: boolean;

  constructor(
    requestId: string,
    lastStatus: string | null,
    maxWaitMs: number,
    checkPending = false,
  ) {
    super(
      `Fay research ${requestId} did not finish within ${maxWaitMs} ms ` +
        lastStatusNote(lastStatus) +
        '. It may still be running: wait for it again with its request id, or raise maxWaitMs.',
      { code: 'WAIT_TIMEOUT', requestId },
    );
    this.lastStatus = lastStatus;
    this.checkPending = checkPending;
  }
}

export class FayCreateOutcomeUnknownError extends FayError {
  constructor(reason: string, extra: Extra = {}) {
    super(
      `The research request was sent to Fay but its answer was lost (${reason}), so the job may ` +
        'or may not have been created. It was not resent, to avoid starting (and paying for) a ' +
        'second job: check your Fay dashboard before trying again.',
      { ...extra, code: 'CREATE_OUTCOME_UNKNOWN' },
    );
  }
}

export type FayWebhookErrorCode =
  'WEBHOOK_INVALID_SIGNATURE' | 'WEBHOOK_STALE' | 'WEBHOOK_INVALID_EVENT' | 'WEBHOOK_NO_SECRET';

export class FayWebhookError extends FayError {
  declare readonly code: FayWebhookErrorCode;

  constructor(message: string, code: FayWebhookErrorCode) {
    super(message, { code });
  }
}
