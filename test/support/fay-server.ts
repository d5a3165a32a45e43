// The local Fay server: a real HTTP server on loopback that speaks the Fay API faithfully (jobs over
// time, auth, rate limits, faults, signed webhooks) and records every request. Test support only.
import http from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { accountOf, bearerKey, handleApi, jobOutput, type ApiContext } from './fay-server/api.ts';
import {
  BEFORE_PROCESSING,
  FaultPlan,
  distortReply,
  faultReply,
  type ChosenFault,
} from './fay-server/faults.ts';
import { JobEvents } from './fay-server/job-events.ts';
import { stateAt } from './fay-server/jobs.ts';
import { RateLimiter } from './fay-server/rate-limit.ts';
import { fail, type Reply } from './fay-server/reply.ts';
import { newEventId, WebhookSender } from './fay-server/webhooks.ts';
import type {
  CallScope,
  Endpoint,
  FayServer,
  FayServerOptions,
  Job,
  RecordedEndpoint,
  RecordedRequest,
  RequestFilter,
} from './fay-server/types.ts';

export type * from './fay-server/types.ts';
export { FAULT_KINDS } from './fay-server/types.ts';
export { API_VERSION } from './fay-server/reply.ts';

const DEFAULT_KEY = 'fay_test_key';
const DEFAULT_JOB_MS = 1500;
const DEFAULT_WINDOW_MS = 3_600_000;
const DEFAULT_SLOW_MS = 2000;
const MAX_BODY_BYTES = 5 * 1024 * 1024;

interface Route {
  endpoint: RecordedEndpoint;
  requestId?: string;
  /** Known path, wrong method. */
  allow?: string;
}

const ROUTES: Record<Endpoint, { method: string; pattern: RegExp }> = {
  create: { method: 'POST', pattern: /^\/api\/v1\/conversations\/?$/ },
  status: { method: 'GET', pattern: /^\/api\/v1\/conversation\/([^/]+)\/status\/?$/ },
  output: { method: 'GET', pattern: /^\/api\/v1\/conversation\/([^/]+)\/output\/?$/ },
  stop: { method: 'POST', pattern: /^\/api\/v1\/conversation\/([^/]+)\/stop\/?$/ },
};

function matchRoute(method: string, path: string): Route {
  for (const [endpoint, route] of Object.entries(ROUTES) as Array<
    [Endpoint, (typeof ROUTES)[Endpoint]]
  >) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (method !== route.method)
      return { endpoint: 'unknown', requestId: match[1], allow: route.method };
    return { endpoint, requestId: match[1] };
  }
  return { endpoint: 'unknown' };
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(undefined));
    req.on('aborted', () => resolve(undefined));
  });
}

function parsedBody(raw: string): unknown {
  if (raw === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function lowercasedHeaders(req: IncomingMessage): Record<string, string> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([name, value]) => [
      name.toLowerCase(),
      Array.isArray(value) ? value.join(', ') : (value ?? ''),
    ]),
  );
}

/** Waits `ms` on a global setTimeout (fake timers drive it); rejects when `signal` aborts. */
function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

function matches(request: RecordedRequest, filter: RequestFilter | undefined): boolean {
  if (!filter) return true;
  if (typeof filter === 'function') return filter(request);
  return Object.entries(filter).every(
    ([key, value]) => request[key as keyof RecordedRequest] === value,
  );
}

export async function startFayServer(options: FayServerOptions = {}): Promise<FayServer> {
  const now = options.now ?? Date.now;
  const jobs = new Map<string, Job>();
  const requests: RecordedRequest[] = [];
  const faults = new FaultPlan(options);
  const slowTimers = new Set<NodeJS.Timeout>();
  const sender = options.webhook ? new WebhookSender(options.webhook) : undefined;
  const retryAfter = options.retryAfter ?? 'seconds';
  const ctx: ApiContext = {
    jobs,
    apiKeys: new Set(options.apiKeys ?? [DEFAULT_KEY]),
    // A copy: openAccount adds accounts, and the caller's options stay as given.
    otherAccounts: (options.otherAccounts ?? []).map((keys) => [...keys]),
    limiter: new RateLimiter(
      options.rateLimits ?? {},
      options.rateLimitWindowMs ?? DEFAULT_WINDOW_MS,
    ),
    options,
    now,
    defaultDurationMs: options.jobDurationMs ?? DEFAULT_JOB_MS,
    onJobChange: (job) => events?.track(job),
  };
  const events = sender ? new JobEvents(sender, now, (job) => jobOutput(job, options)) : undefined;

  function finish(record: RecordedRequest, statusCode: number | 'dropped'): void {
    record.statusCode = statusCode;
    options.onRequest?.(record);
  }

  function send(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
    if (res.destroyed) return finish(record, 'dropped');
    res.writeHead(reply.status, {
      ...reply.headers,
      'content-length': Buffer.byteLength(reply.body),
    });
    res.end(reply.body);
    finish(record, reply.status);
  }

  function drop(req: IncomingMessage, record: RecordedRequest): void {
    req.socket.destroy();
    finish(record, 'dropped');
  }

  /** Answers after `delayMs`, unless the client goes away first (then the timer is dropped). */
  function sendLater(
    res: ServerResponse,
    record: RecordedRequest,
    reply: Reply,
    delayMs: number,
  ): void {
    const timer = setTimeout(() => {
      slowTimers.delete(timer);
      send(res, record, reply);
    }, delayMs);
    slowTimers.add(timer);
    res.on('close', () => {
      if (!slowTimers.delete(timer)) return;
      clearTimeout(timer);
      finish(record, 'dropped');
    });
  }

  /** One request as received, whichever way it came (socket or in-process transport). */
  interface Incoming {
    method: string;
    url: string;
    headers: Record<string, string>;
    rawBody: string;
  }

  /** What to do with a request: answer now, answer after a delay, or drop the connection. */
  type Outcome = { reply: Reply; delayMs?: number } | 'drop';

  /** Records the request and decides its outcome; sends nothing. */
  function answer(incoming: Incoming): { record: RecordedRequest; outcome: Outcome } {
    const at = now();
    const { method, rawBody } = incoming;
    const path = new URL(incoming.url, 'http://localhost').pathname;
    const route = matchRoute(method, path);
    const record: RecordedRequest = {
      method,
      path,
      endpoint: route.endpoint,
      requestId: route.requestId,
      headers: incoming.headers,
      body: parsedBody(rawBody),
      at,
    };
    const apiKey = bearerKey(incoming.headers.authorization);
    if (apiKey !== undefined) {
      record.apiKey = apiKey;
      const account = accountOf(ctx, apiKey);
      if (account !== undefined) record.account = account;
    }
    requests.push(record);
    return { record, outcome: outcomeOf(record, route, incoming) };
  }

  function outcomeOf(record: RecordedRequest, route: Route, incoming: Incoming): Outcome {
    // Unknown routes answer 404 before auth, as web frameworks do (auth guards the known routes).
    if (route.endpoint === 'unknown') {
      const reply = route.allow
        ? fail(405, 'METHOD_NOT_ALLOWED', `Use ${route.allow} for this path.`, {
            allow: route.allow,
          })
        : fail(404, 'NOT_FOUND', `No route for ${record.method} ${record.path}.`);
      return { reply };
    }
    const fault: ChosenFault | undefined = faults.next(route.endpoint);
    if (fault) record.fault = fault.kind;
    if (fault?.kind === 'drop-before') return 'drop';
    if (fault && BEFORE_PROCESSING.includes(fault.kind)) {
      return { reply: faultReply(fault, retryAfter) };
    }
    const result = handleApi(ctx, {
      endpoint: route.endpoint,
      requestId: route.requestId,
      authorization: incoming.headers.authorization,
      rawBody: incoming.rawBody,
    });
    if (result.createdId) record.requestId = result.createdId;
    switch (fault?.kind) {
      case 'drop-after':
        return 'drop';
      case 'malformed-json':
      case 'truncated-json':
        return { reply: distortReply(result.reply, fault.kind) };
      case 'slow':
        return { reply: result.reply, delayMs: fault.delayMs ?? DEFAULT_SLOW_MS };
      default:
        return { reply: result.reply };
    }
  }

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    if (rawBody === undefined) return; // the client went away mid-body
    const incoming = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: lowercasedHeaders(req),
      rawBody,
    };
    const { record, outcome } = answer(incoming);
    if (outcome === 'drop') return drop(req, record);
    if (outcome.delayMs !== undefined) {
      return sendLater(res, record, outcome.reply, outcome.delayMs);
    }
    return send(res, record, outcome.reply);
  }

  /**
   * The same server without its socket, as a core Transport: each request is recorded and answered
   * exactly as over HTTP (faults included), a dropped connection is a network error (ECONNRESET),
   * and a slow answer waits on a global-setTimeout timer, so fake timers drive it.
   */
  const transport: FayServer['transport'] = async (req) => {
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([name, value]) => [name.toLowerCase(), value]),
    );
    const incoming = { method: req.method, url: req.url, headers, rawBody: req.body ?? '' };
    const { record, outcome } = answer(incoming);
    if (outcome === 'drop') {
      finish(record, 'dropped');
      throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    }
    if (outcome.delayMs !== undefined) {
      try {
        await delay(outcome.delayMs, req.signal);
      } catch (error) {
        finish(record, 'dropped');
        throw error;
      }
    }
    finish(record, outcome.reply.status);
    const { reply } = outcome;
    return { status: reply.status, headers: new Headers(reply.headers), body: reply.body };
  };

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((error: unknown) => {
      // A bug in the test server must be loud but must not crash the test process.
      console.error('fay-server: request failed', error);
      if (!res.headersSent && !res.destroyed) {
        const reply = fail(500, 'INTERNAL_ERROR', 'Internal error in the local Fay server.');
        res.writeHead(reply.status, reply.headers);
        res.end(reply.body);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    jobs,
    deliveries: sender?.deliveries ?? [],
    transport,
    count(endpoint, filter) {
      return requests.filter(
        (r) => (endpoint === undefined || r.endpoint === endpoint) && matches(r, filter),
      ).length;
    },
    calls(scope: CallScope) {
      const counts: Record<Endpoint, number> = { create: 0, status: 0, output: 0, stop: 0 };
      for (const r of requests) {
        if (r.endpoint !== 'unknown' && matches(r, scope)) counts[r.endpoint] += 1;
      }
      return counts;
    },
    openAccount() {
      const key = `fay_account_${randomBytes(8).toString('hex')}`;
      ctx.otherAccounts.push([key]);
      return key;
    },
    jobState(requestId) {
      const job = jobs.get(requestId);
      return job && stateAt(job, now());
    },
    injectFault(fault) {
      faults.add(fault);
    },
    clearFaults() {
      faults.clear();
    },
    setApiKeys(keys) {
      ctx.apiKeys = new Set(keys);
    },
    waitForDelivery(predicate, timeoutMs) {
      if (!sender) return Promise.reject(new Error('the server was started without a webhook'));
      return sender.waitFor(predicate, timeoutMs);
    },
    async deliverWebhook(event) {
      if (!sender) throw new Error('the server was started without a webhook');
      return sender.send({
        id: event.id ?? newEventId(),
        created: event.created ?? Math.floor(Date.now() / 1000),
        type: event.type,
        data: event.data,
      });
    },
    checkJobs() {
      events?.check();
    },
    async close() {
      for (const timer of slowTimers) clearTimeout(timer);
      slowTimers.clear();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.all([closed, events?.close()]);
    },
  } satisfies FayServer;
}
