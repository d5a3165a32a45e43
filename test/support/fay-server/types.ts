// Shared types of the local Fay server (test support; not part of the published package).

export type Endpoint = 'create' | 'status' | 'output' | 'stop';
export type RecordedEndpoint = Endpoint | 'unknown';
export type JobState = 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'STOPPED';
export type WebhookEventType = 'Status' | 'Output' | 'Error';

export type FaultKind =
  | 'http-500'
  | 'http-503'
  | 'html-502'
  | 'drop-before'
  | 'drop-after'
  | 'malformed-json'
  | 'truncated-json'
  | 'slow'
  | 'rate-limit';

export const FAULT_KINDS: readonly FaultKind[] = [
  'http-500',
  'http-503',
  'html-502',
  'drop-before',
  'drop-after',
  'malformed-json',
  'truncated-json',
  'slow',
  'rate-limit',
];

export interface Fault {
  endpoint?: Endpoint | 'any';
  kind: FaultKind;
  /** How many answers get this fault; default 1 (Infinity allowed). */
  times?: number;
  /** 'slow': answer delay (default 2000). 'rate-limit': Retry-After in ms (default 1000). */
  delayMs?: number;
  /** Overrides the HTTP status of http-500 / http-503 / html-502 / rate-limit faults. */
  status?: number;
}

export interface WebhookOptions {
  url: string;
  secret: string;
  /** Event types to send; default all. */
  events?: WebhookEventType[];
  /** Backoff before each retry; its length is the number of retries. Default [100, 200, 400]. */
  retryDelaysMs?: number[];
  /** Per-attempt timeout; default 5000 (the API's documented answer window). */
  timeoutMs?: number;
}

export interface FayServerOptions {
  /** Accepted keys, all of one account (a rotated key still reads its jobs); default ['fay_test_key']. */
  apiKeys?: string[];
  /**
   * Keys of other accounts, one list per account. Jobs belong to the account that created them:
   * any other account's key gets 404 REQUEST_NOT_FOUND for them, as the real API scopes jobs.
   */
  otherAccounts?: string[][];
  /** create → COMPLETED; default 1500 (PENDING the first 20%, then PROCESSING). */
  jobDurationMs?: number;
  /** Requests per key per window, per endpoint; default: no limit. */
  rateLimits?: Partial<Record<Endpoint, number>>;
  /** Sliding window of the rate limits; default 3_600_000. */
  rateLimitWindowMs?: number;
  /** How a 429 states Retry-After; default 'seconds'. */
  retryAfter?: 'seconds' | 'http-date' | 'none';
  /** Clock for job states, rate limits and recorded `at` (default Date.now). */
  now?: () => number;
  webhook?: WebhookOptions;
  /** Chaos: this fraction of answers (0..1) get a random fault, chosen by a PRNG seeded with faultSeed. */
  faultRate?: number;
  faultSeed?: number;
  /** Chaos: limit random faults to these endpoints (default all four). */
  faultEndpoints?: Endpoint[];
  /** Chaos: limit random faults to these kinds (default all). */
  faultKinds?: FaultKind[];
  /**
   * How structured output is sent in `output`: the JSON value itself (default) or that value
   * serialised as a JSON string (the reference does not say which; clients should accept both).
   */
  structuredOutputAs?: 'value' | 'string';
  /** How long an output stays available after completion (then 404); default 30 days. */
  outputRetentionMs?: number;
  /** Listening port; default 0 (any free port). */
  port?: number;
  /** Called when a request has been answered (or dropped); the CLI logs with it. */
  onRequest?: (request: RecordedRequest) => void;
}

export interface RecordedRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  endpoint: RecordedEndpoint;
  /** The id from the path, as sent (status/output/stop), or the id a create made. */
  requestId?: string;
  /** Lowercased names; `authorization` kept as received so tests can check it is sent. */
  headers: Record<string, string>;
  /** The Bearer key sent, if any. */
  apiKey?: string;
  /** The account that key belonged to on arrival (see FayServerOptions.otherAccounts). */
  account?: number;
  /** Parsed JSON body, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  /** Server clock (options.now) when the request arrived. */
  at: number;
  /** HTTP status answered, 'dropped' when the socket was destroyed; undefined while in flight. */
  statusCode?: number | 'dropped';
  fault?: FaultKind;
}

export type RequestFilter =
  | ((request: RecordedRequest) => boolean)
  | Partial<
      Pick<
        RecordedRequest,
        'method' | 'requestId' | 'statusCode' | 'fault' | 'path' | 'apiKey' | 'account'
      >
    >;

/**
 * Whose calls to count: one research (its create included), one key, or one account (0: the
 * `apiKeys` account). Scoped counts hold whatever else runs against the same server.
 */
export type CallScope = { requestId: string } | { apiKey: string } | { account: number };

export interface Job {
  requestId: string;
  prompt: string;
  structuredOutput: boolean;
  outputSchema: Record<string, unknown> | null;
  /** Assigned at creation, shown once the job has started. */
  conversationId: string;
  createdAtMs: number;
  /** PENDING → PROCESSING at this time. */
  startsAtMs: number;
  /** PROCESSING → final at this time; null = never ([fay:never]). */
  endsAtMs: number | null;
  /** Ends FAILED instead of COMPLETED ([fay:fail]). */
  fails: boolean;
  errorMessage: string;
  stoppedAtMs: number | null;
  metadata: Record<string, unknown>;
  /** The account that created it (0: `apiKeys`, n: `otherAccounts[n - 1]`); others get 404. */
  account: number;
}

export interface WebhookEvent {
  id: string;
  type: WebhookEventType;
  /** Unix seconds. */
  created: number;
  data: Record<string, unknown>;
}

export interface WebhookAttempt {
  /** HTTP status of the receiver's answer, or the network error code/message. */
  result: number | string;
  at: number;
}

export interface WebhookDelivery {
  event: WebhookEvent;
  /** The exact bytes sent (and signed). */
  body: string;
  signature: string;
  url: string;
  attempts: WebhookAttempt[];
  outcome: 'pending' | 'delivered' | 'failed';
}

export interface FayServer {
  /** 'http://127.0.0.1:<port>' */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: RecordedRequest[];
  /**
   * The server without its socket, as a core client transport (for in-process tests that run on
   * fake timers): requests are recorded and answered as over HTTP, faults included.
   */
  transport: (req: {
    method: 'GET' | 'POST';
    url: string;
    headers: Record<string, string>;
    body?: string;
    signal: AbortSignal;
  }) => Promise<{ status: number; headers: { get(name: string): string | null }; body: string }>;
  count(endpoint?: RecordedEndpoint, filter?: RequestFilter): number;
  /** Requests of each endpoint (answered, refused or dropped) made in `scope`. */
  calls(scope: CallScope): Record<Endpoint, number>;
  /**
   * Opens a new account and returns its one key: its jobs are its own, and `calls({ apiKey })`
   * counts only what was sent with it, so a test can share a server and still count alone.
   */
  openAccount(): string;
  /** request_id → job (read-only use in tests). */
  jobs: Map<string, Job>;
  /** The job's state now (server clock), undefined for an unknown id. */
  jobState(requestId: string): JobState | undefined;
  injectFault(fault: Fault): void;
  clearFaults(): void;
  setApiKeys(keys: string[]): void;
  /** Webhook POSTs made, with attempts and outcome. */
  deliveries: WebhookDelivery[];
  /** Resolves with the first finished delivery (existing or future) matching the predicate. */
  waitForDelivery(
    predicate?: (delivery: WebhookDelivery) => boolean,
    timeoutMs?: number,
  ): Promise<WebhookDelivery>;
  /** Sends one event now (signed, retried) and resolves when its delivery finishes. */
  deliverWebhook(
    event: Pick<WebhookEvent, 'type' | 'data'> & Partial<WebhookEvent>,
  ): Promise<WebhookDelivery>;
  /** Emits webhook events for state changes now instead of at the next timer tick. */
  checkJobs(): void;
  close(): Promise<void>;
}
