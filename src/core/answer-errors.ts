// How one answer (or one failure to get one) becomes either the call's data or a typed FayError.
// Pure functions: the client's request path hands in the call, the answer and what they need to
// know about the client (its limits, its redaction); nothing here sends, sleeps or keeps state.
import type { z } from 'zod';
import {
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
  FayServerError,
  FayTimeoutError,
  FayValidationError,
} from './errors.js';
import { networkErrorCode, parseRetryAfter, wasNeverSent, type Endpoint } from './retry.js';
import { describeIssue, envelopeSchema, type Envelope } from './schemas.js';
import type { TransportResponse } from './types.js';
import { describePause, inSentence } from './wording.js';

const EXCERPT_LENGTH = 200;

/** The facts of one call that its errors name. */
export interface CallFacts {
  endpoint: Endpoint;
  path: string;
  requestId?: string;
}

/** What the mapping needs from the client: its address, its limits and its key's redaction. */
export interface ClientFacts {
  baseUrl: string;
  timeoutMs: number;
  maxRetryAfterMs: number;
  /** `text` with the client's key removed. */
  redact: (text: string) => string;
  /** A failure rebuilt with the client's key removed at every depth of its cause chain. */
  redactError: (error: unknown) => Error;
}

/** The call's data from a 2xx answer whose envelope holds valid data; a typed FayError otherwise. */
export function interpretAnswer<T>(
  call: CallFacts,
  schema: z.ZodType<T>,
  response: TransportResponse,
  client: ClientFacts,
): T {
  const { status } = response;
  if (status >= 300 && status < 400) throw redirectError(call, response, client);
  const envelope = parseEnvelope(response.body);
  const ok = status >= 200 && status < 300;
  if (ok && envelope?.status === true) {
    const data = schema.safeParse(envelope.data);
    if (data.success) return data.data;
    throw invalidAnswer(call, response, client, `unexpected data (${describeIssue(data.error)})`);
  }
  if (ok && envelope?.status !== false) {
    const what = envelope ? 'an envelope without data' : 'a non-JSON body';
    throw invalidAnswer(call, response, client, what);
  }
  throw errorAnswer(call, response, envelope, client);
}

/** An error answer, mapped by the API's code first, then by HTTP status. */
function errorAnswer(
  call: CallFacts,
  response: TransportResponse,
  envelope: Envelope | undefined,
  client: ClientFacts,
): FayError {
  // Fay's own message goes inside our sentence, so without its final period.
  const fayMessage = inSentence(client.redact(envelope?.error?.message ?? ''));
  const answer: ErrorAnswer = {
    call,
    response,
    envelope,
    client,
    said: fayMessage ? `: ${fayMessage}` : '',
    extra: { httpStatus: response.status, requestId: call.requestId },
    job: call.requestId ? `research ${call.requestId}` : 'the research',
  };
  return accessOrJobError(answer) ?? limitOrServerError(answer);
}

interface ErrorAnswer {
  call: CallFacts;
  response: TransportResponse;
  envelope: Envelope | undefined;
  client: ClientFacts;
  /** ": <Fay's message>", or '' when Fay said nothing. */
  said: string;
  extra: { httpStatus: number; requestId: string | undefined };
  /** How the messages name the job. */
  job: string;
}

/** Refused keys, missing jobs and jobs in the wrong state; undefined for any other answer. */
function accessOrJobError({ call, envelope, said, extra, job }: ErrorAnswer): FayError | undefined {
  const { httpStatus } = extra;
  const code = envelope?.error?.code;
  if (code === 'INVALID_API_KEY' || httpStatus === 401) {
    return new FayAuthenticationError(
      `Fay rejected the API key (HTTP ${httpStatus}${said}). Check that the key is correct ` +
        'and has not expired or been revoked.',
      extra,
    );
  }
  if (httpStatus === 403) {
    return new FayAuthenticationError(
      `Fay refused access (HTTP 403${said}). Check that the API key is allowed to use this endpoint.`,
      { ...extra, code: code ?? 'FORBIDDEN' },
    );
  }
  if (code === 'REQUEST_NOT_FOUND' || httpStatus === 404) {
    return new FayNotFoundError(
      call.requestId
        ? `Fay has no ${job} (HTTP 404${said}). Check the request id; outputs are kept 30 days.`
        : `Fay answered HTTP 404 for ${call.path}${said}. Check that baseUrl points at the Fay API.`,
      extra,
    );
  }
  if (code === 'RESEARCH_NOT_COMPLETED') {
    return new FayNotCompletedError(
      `Fay ${job} has not completed yet${said}. Wait for status COMPLETED before getting its output.`,
      extra,
    );
  }
  if (code === 'CONVERSATION_ALREADY_COMPLETED') {
    return new FayAlreadyFinishedError(
      `Fay ${job} has already finished (completed, failed or stopped)${said}, so it cannot be stopped.`,
      extra,
    );
  }
  return undefined;
}

/** Rate limits, refused input, timeouts, server errors and any other error answer. */
function limitOrServerError(answer: ErrorAnswer): FayError {
  const { call, response, envelope, client, said, extra } = answer;
  const { httpStatus } = extra;
  const code = envelope?.error?.code;
  if (code === 'RATE_LIMIT_EXCEEDED' || httpStatus === 429) {
    return rateLimitError(call, response, client);
  }
  if (code === 'VALIDATION_ERROR' || httpStatus === 400) {
    return new FayValidationError(
      `Fay rejected the ${call.endpoint} request as invalid (HTTP ${httpStatus}${said}). Fix the input and try again.`,
      { ...extra, code: 'VALIDATION_ERROR' },
    );
  }
  if (httpStatus === 408) {
    return new FayTimeoutError(
      `Fay timed out handling the ${call.endpoint} request (HTTP 408).`,
      extra,
    );
  }
  const excerpt = () => excerptOf(client.redact(response.body));
  if (httpStatus >= 500) {
    return new FayServerError(
      `Fay had a server error (HTTP ${httpStatus}${said || (envelope ? '' : `: ${excerpt()}`)}). ` +
        (call.endpoint === 'create'
          ? 'The research may or may not have been created: check your Fay dashboard before trying again.'
          : 'Try again later.'),
      envelope ? extra : { ...extra, excerpt: excerpt() },
    );
  }
  if (!envelope) return invalidAnswer(call, response, client, 'a non-JSON body');
  return new FayError(`Fay answered HTTP ${httpStatus}${said}.`, {
    ...extra,
    code: code ?? `HTTP_${httpStatus}`,
  });
}

/** A 429 (or RATE_LIMIT_EXCEEDED), with the pause Fay asked for when it gave one. */
function rateLimitError(
  call: CallFacts,
  response: TransportResponse,
  client: ClientFacts,
): FayRateLimitError {
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
  const extra = { httpStatus: response.status, requestId: call.requestId, retryAfterMs };
  if (retryAfterMs !== undefined && retryAfterMs > client.maxRetryAfterMs) {
    return new FayRateLimitError(
      `Fay's rate limit for ${call.endpoint} calls is reached and it asks to wait ` +
        `${describePause(retryAfterMs)}, longer than maxRetryAfterMs ` +
        `(${client.maxRetryAfterMs} ms). Try again after that, or upgrade your Fay plan.`,
      extra,
    );
  }
  return new FayRateLimitError(
    `Fay's rate limit for ${call.endpoint} calls is reached` +
      (retryAfterMs === undefined ? '' : ` (retry in ${describePause(retryAfterMs)})`) +
      '. Make fewer calls, try again later, or upgrade your Fay plan.',
    extra,
  );
}

/** Never followed: a redirect would carry the key and the prompt to whatever it names. */
function redirectError(
  call: CallFacts,
  response: TransportResponse,
  client: ClientFacts,
): FayRedirectError {
  const raw = response.headers.get('location');
  const location = raw === null ? null : client.redact(raw);
  return new FayRedirectError(
    `Fay answered the ${call.endpoint} call with a redirect (HTTP ${response.status}) to ` +
      `${location ?? 'no location'}. API calls do not follow redirects, so nothing was sent ` +
      'there: if that address is the Fay API you trust, set baseUrl to it.',
    { httpStatus: response.status, requestId: call.requestId, location },
  );
}

/** An answer we cannot read. A 2xx one to a create still means the job was probably made. */
function invalidAnswer(
  call: CallFacts,
  response: TransportResponse,
  client: ClientFacts,
  what: string,
): FayError {
  const excerpt = excerptOf(client.redact(response.body));
  const extra = { httpStatus: response.status, requestId: call.requestId };
  if (call.endpoint === 'create' && response.status < 300) {
    return new FayCreateOutcomeUnknownError(
      `Fay answered HTTP ${response.status} with ${what}`,
      extra,
    );
  }
  return new FayInvalidResponseError(
    `Fay answered HTTP ${response.status} with ${what}, not the expected JSON ` +
      `(starts with: ${JSON.stringify(excerpt)}). Check that baseUrl points at the Fay API, ` +
      'or try again later.',
    { ...extra, excerpt },
  );
}

/** No answer: the transport failed, or the attempt ran out of time (`timedOut`). */
export function networkError(
  call: CallFacts,
  error: unknown,
  timedOut: boolean,
  client: ClientFacts,
): FayError {
  const extra = { requestId: call.requestId, cause: client.redactError(error) };
  if (timedOut) {
    return call.endpoint === 'create'
      ? new FayCreateOutcomeUnknownError(`no answer within ${client.timeoutMs} ms`, extra)
      : new FayTimeoutError(
          `Fay did not answer the ${call.endpoint} call within ${client.timeoutMs} ms. ` +
            'Try again, or raise timeoutMs.',
          extra,
        );
  }
  const code = networkErrorCode(error);
  if (call.endpoint === 'create' && !wasNeverSent(error)) {
    return new FayCreateOutcomeUnknownError(`connection lost: ${code ?? 'network error'}`, extra);
  }
  return new FayConnectionError(
    `Could not reach Fay at ${new URL(client.baseUrl).host} (${code ?? 'network error'}). ` +
      'Check baseUrl, your network or proxy, then try again.',
    extra,
  );
}

/** The caller's signal ended the call. */
export function abortedError(call: CallFacts, signal: AbortSignal): FayAbortedError {
  return new FayAbortedError(
    `The Fay ${call.endpoint} call was cancelled by the caller.` +
      (call.endpoint === 'create' ? ' The research may or may not have been created.' : ''),
    { requestId: call.requestId, cause: signal.reason },
  );
}

function parseEnvelope(body: string): Envelope | undefined {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return undefined;
  }
  const envelope = envelopeSchema.safeParse(json);
  return envelope.success ? envelope.data : undefined;
}

function excerptOf(body: string): string {
  return body.replace(/\s+/g, ' ').trim().slice(0, EXCERPT_LENGTH);
}
