// Public types of the core client (camelCase views of the Fay API's snake_case answers).
import type { RetryEngine } from './retry.js';

/** A Fay job state. Unknown future states are kept as strings and treated as "still running". */
export type JobStatus =
  'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'STOPPED' | (string & {});

export interface TransportRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Per attempt: the caller's signal combined with the attempt timeout. */
  signal: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: { get(name: string): string | null };
  body: string;
}

/**
 * Sends one HTTP request. Throws only for network failures (the error or its `cause` carries a
 * Node-style `code` such as ECONNREFUSED); HTTP error statuses are returned, not thrown.
 */
export type Transport = (req: TransportRequest) => Promise<TransportResponse>;

/** Waits `ms`, rejecting as soon as `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * What the client needs from where it runs. On Node, the public FayClient brings Node's own
 * (fetch, timers, p-retry); the n8n node hands it n8n's request helper and n8n-workflow's sleep.
 */
export interface FayHost {
  /**
   * Used unless the options name one. A host whose transport is per client (n8n's authenticates
   * with the node's credential) leaves it out, and each client's options give it.
   */
  transport?: Transport;
  /** Pauses between polls and retries; used unless the options name one. */
  sleep: Sleep;
  /** Ends an attempt (timeoutMs) or a wait (maxWaitMs) on time. */
  timer: Sleep;
  /** Runs the client's retry policy: p-retry on Node, retryInTurn where p-retry is not allowed. */
  retry: RetryEngine;
}

export interface FayClientOptions {
  /** Required unless `transport` is given (a host transport may authenticate itself). */
  apiKey?: string;
  /** Default 'https://api.fay.work'. http:// only on loopback, unless allowInsecureHttp. */
  baseUrl?: string;
  /**
   * Default false. True accepts an http:// baseUrl on another host (a trusted proxy on your own
   * network): every request then carries the key unencrypted.
   */
  allowInsecureHttp?: boolean;
  /** Per attempt, default 30_000. */
  timeoutMs?: number;
  /** Default 4. */
  maxRetries?: number;
  /** Default 60_000: a longer Retry-After throws FayRateLimitError at once. */
  maxRetryAfterMs?: number;
  /**
   * Status calls allowed in any sliding hour, shared by this client. Running waits space their
   * polls to share it; a one-shot getStatus that finds it spent throws FayRateLimitError
   * (STATUS_BUDGET_EXHAUSTED) at once instead of waiting.
   */
  statusCallsPerHour?: number;
  /** Default: global fetch. */
  transport?: Transport;
  /** Default: timers (abortable). */
  sleep?: Sleep;
  /** Appended to 'fay-client/<version>'. */
  userAgent?: string;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface StopOptions extends CallOptions {
  /** Give up after this long with FayStopNotConfirmedError instead of retrying for minutes. */
  confirmWithinMs?: number;
}

export interface ResearchInput {
  prompt: string;
  /** A JSON Schema object: Fay answers with a JSON value shaped by it. */
  outputSchema?: Record<string, unknown>;
}

export interface WaitOptions {
  signal?: AbortSignal;
  maxWaitMs?: number;
  onStatus?: (status: ConversationStatus) => void;
  /**
   * Default false. True: when `signal` aborts during the wait, stop the job, waiting at most
   * STOP_CONFIRM_TIMEOUT_MS for Fay's confirmation (FayAbortedError.jobStop says how it went).
   * maxWaitMs running out never stops the job: its answer can still be fetched.
   */
  stopOnCancel?: boolean;
  /**
   * Default false. True for a job created just now: it cannot be done yet, so the first status
   * check waits for the schedule's first delay instead of being made at once (as research() does).
   */
  justCreated?: boolean;
}

export interface ResearchOptions extends WaitOptions {
  onCreated?: (created: CreatedConversation) => void;
}

export interface CreatedConversation {
  requestId: string;
  status: JobStatus;
  createdAt: string | null;
}

export interface ConversationStatus {
  requestId: string;
  status: JobStatus;
  prompt: string | null;
  structuredOutput: boolean;
  outputSchema: unknown;
  conversationId: string | null;
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  errorMessage: string | null;
  metadata: unknown;
}

export interface ConversationOutput {
  conversationId: string | null;
  status: JobStatus;
  /** Markdown, or the parsed JSON value for structured output. */
  output: string | unknown;
}

export interface StoppedConversation {
  requestId: string;
  status: JobStatus;
  message: string | null;
}

export interface ResearchResult {
  requestId: string;
  conversationId: string | null;
  status: 'COMPLETED';
  createdAt: string | null;
  startedAt: string | null;
  completedAt: string | null;
  output: string | unknown;
}

export type FayWebhookEvent =
  | { id: string; type: 'Status'; created: number; data: ConversationStatus }
  | {
      id: string;
      type: 'Output';
      created: number;
      data: {
        requestId: string;
        conversationId: string | null;
        status: JobStatus;
        output: string | unknown;
        completedAt: string | null;
      };
    }
  | {
      id: string;
      type: 'Error';
      created: number;
      data: {
        requestId: string;
        conversationId: string | null;
        status: JobStatus;
        errorMessage: string | null;
        completedAt: string | null;
      };
    };

export interface VerifyWebhookArgs {
  rawBody: string | Uint8Array;
  signature: string | null | undefined;
  secrets: string | string[];
  /** Replay window in seconds, finite and > 0; default 300. */
  toleranceSeconds?: number;
  /** Default Date.now(). */
  nowMs?: number;
}
