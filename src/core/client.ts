// FayClient: the public methods validate their input, then go through ONE request path
// (#request → retry engine → #attempt → transport → interpretAnswer), which owns headers,
// timeouts, the retry policy and the status budget. What an answer (or its absence) means, data or
// which typed error, is decided by the pure functions of answer-errors.ts.
// It knows no host: transport, sleep, timer and retry engine come from the FayHost it is built
// with (node.ts gives Node's; the n8n node gives n8n's), so nothing here reaches Node's timers,
// HTTP or a runtime package other than zod.
import type { z } from 'zod';
import { linkSignal } from './abort.js';
import {
  abortedError,
  interpretAnswer,
  networkError,
  type CallFacts,
  type ClientFacts,
} from './answer-errors.js';
import { StatusBudget } from './budget.js';
import {
  FayAlreadyFinishedError,
  FayError,
  FayRateLimitError,
  FayStopNotConfirmedError,
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
import { isRetryable, retryDelayMs, wasNeverSent, type Endpoint } from './retry.js';
import { pollDelayMs } from './schedule.js';
import {
  createdSchema,
  outputAnswerSchema,
  parseStructuredOutput,
  statusSchema,
  stoppedSchema,
} from './schemas.js';
import { clampedSleep } from './sleep.js';
import type {
  CallOptions,
  ConversationOutput,
  ConversationStatus,
  CreatedConversation,
  FayClientOptions,
  FayHost,
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

interface Call<T> extends CallFacts {
  method: 'GET' | 'POST';
  body?: unknown;
  schema: z.ZodType<T>;
  /** Status calls of a wait may wait for the budget; a one-shot status call fails at once. */
  waitForBudget?: boolean;
  /** Epoch ms by which the caller must have an answer: a longer Retry-After is not slept on. */
  deadline?: number;
  /** Called before each resend, with the failure of the attempt before it. */
  onRetry?: (error: FayError) => void;
}

/**
 * How long a stop sent on the caller's behalf (after a cancel) waits for Fay's confirmation: the
 * request path alone would retry it for minutes, and a cancelled caller must not wait that long.
 */
export const STOP_CONFIRM_TIMEOUT_MS = 10_000;

/** Where Node's util.inspect looks for a custom view (a registered symbol: no node:util import). */
const INSPECT = Symbol.for('nodejs.util.inspect.custom');

export class FayClient {
  readonly baseUrl: string;
  // Private (#) so util.inspect, JSON.stringify and property enumeration can never reach it.
  readonly #apiKey: string | undefined;
  readonly #transport: Transport;
  readonly #sleep: Sleep;
  /** Ends an attempt or a wait on time; never the injected sleep, which tests speed up. */
  readonly #timer: Sleep;
  readonly #retry: FayHost['retry'];
  readonly #timeoutMs: number;
  readonly #maxRetries: number;
  readonly #maxRetryAfterMs: number;
  readonly #userAgent: string;
  readonly #budget: StatusBudget | undefined;
  /** What the answer-to-error mapping needs; its redaction closes over the key, never shows it. */
  readonly #facts: ClientFacts;

  /** `host`: the facilities of where it runs; `options.transport` and `options.sleep` win. */
  constructor(options: FayClientOptions, host: FayHost) {
    const o = validateClientOptions(options);
    this.baseUrl = o.baseUrl;
    this.#apiKey = o.apiKey;
    const transport = options.transport ?? host.transport;
    if (!transport)
      throw new TypeError('This host has no default transport: pass options.transport.');
    this.#transport = transport;
    this.#sleep = clampedSleep(options.sleep ?? host.sleep);
    this.#timer = clampedSleep(host.timer);
    this.#retry = host.retry;
    this.#timeoutMs = o.timeoutMs;
    this.#maxRetries = o.maxRetries;
    this.#maxRetryAfterMs = o.maxRetryAfterMs;
    this.#userAgent = [`${PACKAGE_NAME}/${PACKAGE_VERSION}`, o.userAgent].filter(Boolean).join(' ');
    this.#budget =
      o.statusCallsPerHour === undefined
        ? undefined
        : new StatusBudget(o.statusCallsPerHour, this.#sleep);
    const apiKey = o.apiKey;
    this.#facts = {
      baseUrl: o.baseUrl,
      timeoutMs: o.timeoutMs,
      maxRetryAfterMs: o.maxRetryAfterMs,
      redact: (text) => redactText(text, apiKey),
      redactError: (error) => redactError(error, apiKey),
    };
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
    const link = linkSignal(signal, confirmWithinMs, this.#timer);
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

  [INSPECT](): string {
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
      timer: this.#timer,
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
      return await this.#retry(() => this.#attempt(call, headers, body, signal), {
        retries: this.#maxRetries,
        signal,
        shouldRetry: retryable,
        beforeRetry: async (error, attemptNumber) => {
          call.onRetry?.(error as FayError);
          await this.#sleep(retryDelayMs(error, attemptNumber), signal);
        },
      });
    } catch (error) {
      if (signal?.aborted) throw abortedError(call, signal);
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
    const link = linkSignal(signal, this.#timeoutMs, this.#timer);
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
      if (signal?.aborted) throw abortedError(call, signal);
      throw networkError(call, error, link.timedOut(), this.#facts);
    } finally {
      link.dispose();
    }
    return interpretAnswer(call, call.schema, response, this.#facts);
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
}
