// FayClient: the public methods validate their input, then go through ONE request path
// (#request → p-retry → #attempt → transport → #interpret), which owns headers, timeouts,
// retries, the status budget, error mapping and answer validation.
import { inspect } from 'node:util';
import pRetry from 'p-retry';
import type { z } from 'zod';
import { linkSignal } from './abort.js';
import { StatusBudget } from './budget.js';
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
  FayStopNotConfirmedError,
  FayTimeoutError,
  FayValidationError,
  describePause,
  inSentence,
} from './errors.js';
import {
  validateCallOptions,
  validateClientOptions,
  validateRequestId,
  validateResearchInput,
  validateStopOptions,
  validateWaitOptions,
} from './input.js';
import { redactError, redactText } from './redact.js';
import {
  backoffDelayMs,
  isRetryable,
  networkErrorCode,
  parseRetryAfter,
  wasNeverSent,
  type Endpoint,
} from './retry.js';
import { pollDelayMs } from './schedule.js';
import {
  createdSchema,
  describeIssue,
  envelopeSchema,
  outputAnswerSchema,
  parseStructuredOutput,
  statusSchema,
  stoppedSchema,
  type Envelope,
} from './schemas.js';
import { clampedSleep, defaultSleep } from './sleep.js';
import { fetchTransport } from './transport.js';
import type {
  CallOptions,
  ConversationOutput,
  ConversationStatus,
  CreatedConversation,
  FayClientOptions,
  ResearchInput,
  ResearchOptions,
  ResearchResult,
  Sleep,
  StopOptions,
  StoppedConversation,
  Transport,
  TransportResponse,
  WaitOptions,
} from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
import { waitUntilFinished } from './wait.js';

interface Call<T> {
  endpoint: Endpoint;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  schema: z.ZodType<T>;
  requestId?: string;
  /** Status calls of a wait may wait for the budget; a one-shot status call fails at once. */
  waitForBudget?: boolean;
  /** Epoch ms by which the caller must have an answer: a longer Retry-After is not slept on. */
  deadline?: number;
  /** Called before each resend, with the failure of the attempt before it. */
  onRetry?: (error: FayError) => void;
}

const EXCERPT_LENGTH = 200;

/**
 * How long a stop sent on the caller's behalf (after a cancel) waits for Fay's confirmation: the
 * request path alone would retry it for minutes, and a cancelled caller must not wait that long.
 */
export const STOP_CONFIRM_TIMEOUT_MS = 10_000;

export class FayClient {
  readonly baseUrl: string;
  // Private (#) so util.inspect, JSON.stringify and property enumeration can never reach it.
  readonly #apiKey: string | undefined;
  readonly #transport: Transport;
  readonly #sleep: Sleep;
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxRetryAfterMs: number;
  readonly #userAgent: string;
  readonly #budget: StatusBudget | undefined;

  constructor(options: FayClientOptions) {
    const o = validateClientOptions(options);
    this.baseUrl = o.baseUrl;
    this.#apiKey = o.apiKey;
    this.#transport = options.transport ?? fetchTransport;
    this.#sleep = clampedSleep(options.sleep ?? defaultSleep);
    this.#timeoutMs = o.timeoutMs;
    this.#maxRetries = o.maxRetries;
    this.#maxRetryAfterMs = o.maxRetryAfterMs;
    this.#userAgent = [`${PACKAGE_NAME}/${PACKAGE_VERSION}`, o.userAgent].filter(Boolean).join(' ');
    this.#budget =
      o.statusCallsPerHour === undefined
        ? undefined
        : new StatusBudget(o.statusCallsPerHour, this.#sleep);
  }

  /** Starts a research job. Not retried once it may have reached Fay (see FayCreateOutcomeUnknownError). */
  async createConversation(input: ResearchInput, opts?: CallOptions): Promise<CreatedConversation> {
    return this.#create(validateResearchInput(input), validateCallOptions(opts).signal);
  }

  async getStatus(requestId: string, opts?: CallOptions): Promise<ConversationStatus> {
    return this.#statusOf(validateRequestId(requestId), validateCallOptions(opts).signal);
  }

  async getOutput(requestId: string, opts?: CallOptions): Promise<ConversationOutput> {
    return this.#outputOf(validateRequestId(requestId), validateCallOptions(opts).signal);
  }

  /**
   * Stops a running job. With `confirmWithinMs`, gives up after that long with
   * FayStopNotConfirmedError instead of retrying for minutes.
   */
  async stopConversation(requestId: string, opts?: StopOptions): Promise<StoppedConversation> {
    const id = validateRequestId(requestId);
    const { signal, confirmWithinMs } = validateStopOptions(opts);
    if (confirmWithinMs === undefined) return this.#stop(id, signal);
    const link = linkSignal(signal, confirmWithinMs);
    try {
      return await this.#stop(id, link.signal);
    } catch (error) {
      if (link.timedOut()) throw new FayStopNotConfirmedError(id, confirmWithinMs, error);
      throw error;
    } finally {
      link.dispose();
    }
  }

  /** Polls until the job is COMPLETED (resolves) or FAILED/STOPPED/timed out/aborted (rejects). */
  async waitForCompletion(requestId: string, opts?: WaitOptions): Promise<ConversationStatus> {
    const id = validateRequestId(requestId);
    const o = validateWaitOptions(opts);
    return this.#wait(id, o, !o.justCreated);
  }

  /** create + wait + output, in one call. */
  async research(input: ResearchInput, opts?: ResearchOptions): Promise<ResearchResult> {
    const valid = validateResearchInput(input);
    const o = validateWaitOptions(opts);
    const created = await this.#create(valid, o.signal);
    o.onCreated?.(created);
    const done = await this.#wait(created.requestId, o, false);
    const { conversationId, output } = await this.#outputOf(created.requestId, o.signal);
    return {
      requestId: created.requestId,
      conversationId: conversationId ?? done.conversationId,
      status: 'COMPLETED',
      createdAt: done.createdAt ?? created.createdAt,
      startedAt: done.startedAt,
      completedAt: done.completedAt,
      output: valid.outputSchema === undefined ? output : parseStructuredOutput(output),
    };
  }

  toJSON(): Record<string, unknown> {
    return { baseUrl: this.baseUrl, userAgent: this.#userAgent };
  }

  [inspect.custom](): string {
    return `FayClient { baseUrl: '${this.baseUrl}', apiKey: ${this.#apiKey ? "'[redacted]'" : 'none'} }`;
  }

  #create({ prompt, outputSchema: schema }: ResearchInput, signal?: AbortSignal) {
    const body =
      schema === undefined
        ? { prompt }
        : { prompt, structured_output: true, output_schema: schema };
    const path = '/api/v1/conversations';
    return this.#request(
      { endpoint: 'create', method: 'POST', path, body, schema: createdSchema },
      signal,
    );
  }

  // Paths take ids that are either validated UUIDs or ids Fay itself returned; encoded anyway.
  #statusOf(
    requestId: string,
    signal?: AbortSignal,
    waitFor?: { deadline?: number },
  ): Promise<ConversationStatus> {
    const call = { ...this.#jobCall('status', requestId, 'GET'), schema: statusSchema };
    return this.#request(
      waitFor ? { ...call, waitForBudget: true, deadline: waitFor.deadline } : call,
      signal,
    );
  }

  #outputOf(requestId: string, signal?: AbortSignal): Promise<ConversationOutput> {
    return this.#request(
      { ...this.#jobCall('output', requestId, 'GET'), schema: outputAnswerSchema },
      signal,
    );
  }

  async #stop(requestId: string, signal?: AbortSignal): Promise<StoppedConversation> {
    // Set when a stop is sent again after an attempt that may have reached Fay (its answer lost).
    let mayHaveStopped = false;
    const onRetry = (error: FayError) => {
      mayHaveStopped ||= !(error instanceof FayRateLimitError) && !wasNeverSent(error);
    };
    try {
      return await this.#request(
        { ...this.#jobCall('stop', requestId, 'POST'), schema: stoppedSchema, onRetry },
        signal,
      );
    } catch (error) {
      // "Already finished" after a resend may be our own earlier stop: ask which final state.
      if (!mayHaveStopped || !(error instanceof FayAlreadyFinishedError)) throw error;
      const { status } = await this.#statusOf(requestId, signal);
      if (status !== 'STOPPED') throw error;
      return {
        requestId,
        status,
        message: 'Research stopped (the answer to the first stop request was lost).',
      };
    }
  }

  #jobCall(endpoint: Endpoint, requestId: string, method: 'GET' | 'POST') {
    const path = `/api/v1/conversation/${encodeURIComponent(requestId)}/${endpoint}`;
    return { endpoint, method, path, requestId };
  }

  #wait(requestId: string, opts: WaitOptions, pollFirst: boolean): Promise<ConversationStatus> {
    const budget = this.#budget;
    const leave = budget?.enterWait();
    const deps = {
      getStatus: (id: string, signal: AbortSignal, deadline?: number) =>
        this.#statusOf(id, signal, { deadline }),
      stop: (id: string) => this.stopConversation(id, { confirmWithinMs: STOP_CONFIRM_TIMEOUT_MS }),
      maxRetryAfterMs: this.#maxRetryAfterMs,
      sleep: this.#sleep,
      // With a budget: the default schedule while the hour has room, paced once it runs short.
      schedule: budget
        ? (elapsedMs: number) => Math.max(pollDelayMs(elapsedMs), budget.pollSpacingMs())
        : pollDelayMs,
      now: () => Date.now(),
    };
    return waitUntilFinished(deps, requestId, opts, pollFirst).finally(leave);
  }

  async #request<T>(call: Call<T>, signal: AbortSignal | undefined): Promise<T> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'User-Agent': this.#userAgent,
    };
    if (call.method === 'POST') headers['Content-Type'] = 'application/json';
    if (this.#apiKey !== undefined) headers.Authorization = `Bearer ${this.#apiKey}`;
    const body = call.body === undefined ? undefined : JSON.stringify(call.body);
    // A Retry-After that outlasts the caller's deadline is not slept on: the caller decides.
    const pauseCapMs = () =>
      Math.min(this.#maxRetryAfterMs, (call.deadline ?? Infinity) - Date.now());
    const retryable = (error: unknown) =>
      error instanceof FayError && isRetryable(call.endpoint, error, pauseCapMs());
    try {
      return await pRetry(() => this.#attempt(call, headers, body, signal), {
        retries: this.#maxRetries,
        // p-retry computes its own backoff but always waits it on its own setTimeout, with no
        // way to inject a Sleep (n8n's cancellable sleep, virtual time in tests). So it waits
        // 0 ms, and the one delay (Retry-After, or backoffDelayMs) is taken in onFailedAttempt.
        minTimeout: 0,
        signal,
        shouldRetry: ({ error }) => retryable(error),
        onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
          if (retriesLeft === 0 || !retryable(error)) return;
          call.onRetry?.(error as FayError);
          const retryAfterMs = error instanceof FayRateLimitError ? error.retryAfterMs : undefined;
          // At least our own backoff: a Retry-After of 0 (or a date already past) must not make
          // the retries back-to-back.
          await this.#sleep(Math.max(retryAfterMs ?? 0, backoffDelayMs(attemptNumber)), signal);
        },
      });
    } catch (error) {
      if (signal?.aborted) throw this.#aborted(call, signal);
      throw error;
    }
  }

  async #attempt<T>(
    call: Call<T>,
    headers: Record<string, string>,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    if (call.endpoint === 'status') await this.#spendBudget(call, signal);
    const link = linkSignal(signal, this.#timeoutMs);
    let response: TransportResponse;
    try {
      response = await this.#transport({
        method: call.method,
        url: this.baseUrl + call.path,
        headers: { ...headers },
        ...(body === undefined ? {} : { body }),
        signal: link.signal,
      });
    } catch (error) {
      if (signal?.aborted) throw this.#aborted(call, signal);
      throw this.#networkError(call, error, link.timedOut());
    } finally {
      link.dispose();
    }
    return this.#interpret(call, response);
  }

  /** Counts a status call against the budget: a wait queues for it, a one-shot call fails fast. */
  async #spendBudget(call: Call<unknown>, signal: AbortSignal | undefined): Promise<void> {
    const budget = this.#budget;
    if (!budget) return;
    if (call.waitForBudget) return budget.take(signal);
    const retryAfterMs = budget.tryTake();
    if (retryAfterMs === 0) return;
    throw new FayRateLimitError(
      `The status budget of this client (statusCallsPerHour: ${budget.perHour}) is spent, so ` +
        'this status check was not sent. The next one is allowed in ' +
        `${Math.ceil(retryAfterMs / 1000)} s: check again then, raise statusCallsPerHour ` +
        '(within your Fay plan), or use waitForCompletion, which paces its checks to the budget.',
      { code: 'STATUS_BUDGET_EXHAUSTED', retryAfterMs, requestId: call.requestId },
    );
  }

  #interpret<T>(call: Call<T>, response: TransportResponse): T {
    const { status } = response;
    if (status >= 300 && status < 400) throw this.#redirected(call, response);
    const envelope = parseEnvelope(response.body);
    const ok = status >= 200 && status < 300;
    if (ok && envelope?.status === true) {
      const data = call.schema.safeParse(envelope.data);
      if (data.success) return data.data;
      throw this.#invalid(call, response, `unexpected data (${describeIssue(data.error)})`);
    }
    if (ok && envelope?.status !== false) {
      throw this.#invalid(
        call,
        response,
        envelope ? 'an envelope without data' : 'a non-JSON body',
      );
    }
    throw this.#httpError(call, response, envelope);
  }

  /** Maps an error answer by the API's code first, then by HTTP status. */
  #httpError(call: Call<unknown>, response: TransportResponse, envelope: Envelope | undefined) {
    const { status: httpStatus } = response;
    const code = envelope?.error?.code;
    // Fay's own message goes inside our sentence, so without its final period.
    const fayMessage = inSentence(this.#redact(envelope?.error?.message ?? ''));
    const said = fayMessage ? `: ${fayMessage}` : '';
    const extra = { httpStatus, requestId: call.requestId };
    const job = call.requestId ? `research ${call.requestId}` : 'the research';

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
    if (code === 'RATE_LIMIT_EXCEEDED' || httpStatus === 429) {
      return this.#rateLimited(call, response, extra);
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
    const detail = said || (envelope ? '' : `: ${excerptOf(this.#redact(response.body))}`);
    if (httpStatus >= 500) {
      return new FayServerError(
        `Fay had a server error (HTTP ${httpStatus}${detail}). ` +
          (call.endpoint === 'create'
            ? 'The research may or may not have been created: check your Fay dashboard before trying again.'
            : 'Try again later.'),
        envelope ? extra : { ...extra, excerpt: excerptOf(this.#redact(response.body)) },
      );
    }
    if (!envelope) return this.#invalid(call, response, 'a non-JSON body');
    return new FayError(`Fay answered HTTP ${httpStatus}${said}.`, {
      ...extra,
      code: code ?? `HTTP_${httpStatus}`,
    });
  }

  #rateLimited(call: Call<unknown>, response: TransportResponse, extra: { httpStatus: number }) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const withRetry = { ...extra, requestId: call.requestId, retryAfterMs };
    if (retryAfterMs !== undefined && retryAfterMs > this.#maxRetryAfterMs) {
      return new FayRateLimitError(
        `Fay's rate limit for ${call.endpoint} calls is reached and it asks to wait ` +
          `${describePause(retryAfterMs)}, longer than maxRetryAfterMs ` +
          `(${this.#maxRetryAfterMs} ms). Try again after that, or upgrade your Fay plan.`,
        withRetry,
      );
    }
    return new FayRateLimitError(
      `Fay's rate limit for ${call.endpoint} calls is reached` +
        (retryAfterMs === undefined ? '' : ` (retry in ${describePause(retryAfterMs)})`) +
        '. Make fewer calls, try again later, or upgrade your Fay plan.',
      withRetry,
    );
  }

  /** Never followed: a redirect would carry the key and the prompt to whatever it names. */
  #redirected(call: Call<unknown>, response: TransportResponse): FayRedirectError {
    const raw = response.headers.get('location');
    const location = raw === null ? null : this.#redact(raw);
    return new FayRedirectError(
      `Fay answered the ${call.endpoint} call with a redirect (HTTP ${response.status}) to ` +
        `${location ?? 'no location'}. API calls do not follow redirects, so nothing was sent ` +
        'there: if that address is the Fay API you trust, set baseUrl to it.',
      { httpStatus: response.status, requestId: call.requestId, location },
    );
  }

  /** A 2xx answer we cannot read. For create it still means the job was probably made. */
  #invalid(call: Call<unknown>, response: TransportResponse, what: string): FayError {
    const excerpt = excerptOf(this.#redact(response.body));
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

  #networkError(call: Call<unknown>, error: unknown, timedOut: boolean): FayError {
    const extra = { requestId: call.requestId, cause: redactError(error, this.#apiKey) };
    if (timedOut) {
      return call.endpoint === 'create'
        ? new FayCreateOutcomeUnknownError(`no answer within ${this.#timeoutMs} ms`, extra)
        : new FayTimeoutError(
            `Fay did not answer the ${call.endpoint} call within ${this.#timeoutMs} ms. ` +
              'Try again, or raise timeoutMs.',
            extra,
          );
    }
    const code = networkErrorCode(error);
    if (call.endpoint === 'create' && !wasNeverSent(error)) {
      return new FayCreateOutcomeUnknownError(`connection lost: ${code ?? 'network error'}`, extra);
    }
    return new FayConnectionError(
      `Could not reach Fay at ${new URL(this.baseUrl).host} (${code ?? 'network error'}). ` +
        'Check baseUrl, your network or proxy, then try again.',
      extra,
    );
  }

  #aborted(call: Call<unknown>, signal: AbortSignal): FayAbortedError {
    return new FayAbortedError(
      `The Fay ${call.endpoint} call was cancelled by the caller.` +
        (call.endpoint === 'create' ? ' The research may or may not have been created.' : ''),
      { requestId: call.requestId, cause: signal.reason },
    );
  }

  #redact(text: string): string {
    return redactText(text, this.#apiKey);
  }
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
