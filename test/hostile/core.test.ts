// Hostile inputs and faults against the core client: each test drives a real loopback server (the
// local Fay server, or a purpose-built one) and checks that the client refuses, classifies or
// redacts as documented. The MCP-level twins are in mcp.test.ts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  defaultSleep,
  FayClient,
  FayConnectionError,
  FayRateLimitError,
  FayRedirectError,
  FayValidationError,
  FayWebhookError,
  httpTransport,
  MAX_OUTPUT_SCHEMA_DEPTH,
  signWebhook,
  verifyWebhook,
  type Transport,
} from '../../src/core/index.ts';
import { client, fastSleep, KEY, rejection, server, UNKNOWN_ID } from '../core/helpers.ts';

const SECRET = 'fay_live_SECRET_9d1e44c0';
const DAY_MS = 86_400_000;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every way a value can be looked at, joined: inspect (hidden, deep), JSON, message, stack. */
function allViews(value: unknown): string {
  const error = value as Error;
  return [
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    JSON.stringify(value),
    JSON.stringify(error.cause),
    String(value),
    error.message,
    error.stack,
  ].join('\n');
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('a Retry-After of days: no hot loop, an honest message', () => {
  it('a wait told to pause 30 days fails at once with the pause, after one status call', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s, { sleep: defaultSleep });
    const { requestId } = await c.createConversation({ prompt: 'x' });
    s.injectFault({
      endpoint: 'status',
      kind: 'rate-limit',
      delayMs: 30 * DAY_MS,
      times: Infinity,
    });
    const error = await rejection(c.waitForCompletion(requestId, { maxWaitMs: 3_000 }));
    expect(error).toBeInstanceOf(FayRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 30 * DAY_MS, requestId });
    expect(error.message).toMatch(/30 days \(until \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/);
    expect(s.count('status')).toBe(1);
  });

  it('a pause longer than what is left of maxWaitMs fails at once, without sleeping on it', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const sleeps: number[] = [];
    const c = client(s, {
      sleep: (ms, signal) => (sleeps.push(ms), fastSleep(ms, signal)),
    });
    const { requestId } = await c.createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'status', kind: 'rate-limit', delayMs: 50_000, times: Infinity });
    const error = await rejection(c.waitForCompletion(requestId, { maxWaitMs: 10_000 }));
    expect(error).toBeInstanceOf(FayRateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 50_000 });
    expect(error.message).toMatch(/asks to wait 50 s, longer than the \d+ s left of this wait/);
    expect(s.count('status')).toBe(1);
    expect(sleeps.filter((ms) => ms >= 50_000)).toEqual([]);
  });

  it('a Retry-After of 0 (or a date already past) never makes calls back to back', async () => {
    // A gateway, not Fay: the local Fay server always asks for at least a second.
    let statusCalls = 0;
    const gateway = http.createServer((_req, res) => {
      statusCalls += 1;
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '0' });
      res.end(JSON.stringify({ status: false, error: { code: 'RATE_LIMIT_EXCEEDED' } }));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    onTestFinished(() => new Promise<void>((resolve) => gateway.close(() => resolve())));
    const sleeps: number[] = [];
    const c = new FayClient({
      apiKey: KEY,
      baseUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`,
      sleep: (ms, signal) => (sleeps.push(ms), fastSleep(ms, signal)),
    });
    await rejection(c.waitForCompletion(UNKNOWN_ID, { maxWaitMs: 1_000 }));
    // Every call after the first waited its backoff or the poll schedule first.
    expect(sleeps.length).toBeGreaterThanOrEqual(statusCalls - 1);
    expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(500);
  });

  it('never hands a timer a delay Node would cut to 1 ms', async () => {
    const setTimeoutSpy = vi.spyOn(globalThis, 'setTimeout');
    const controller = new AbortController();
    const sleeping = defaultSleep(2 ** 40, controller.signal).catch(() => undefined);
    controller.abort();
    await sleeping;
    const delays = setTimeoutSpy.mock.calls.map(([, ms]) => ms as number);
    expect(delays).toEqual([2 ** 31 - 1]);
  });
});

describe('the key never travels through a cause', () => {
  const throwing =
    (make: (auth: string) => unknown): Transport =>
    async (req) => {
      throw make(req.headers.Authorization as string);
    };

  it.each([
    ['a string', (auth: string) => `request failed with ${auth}`],
    ['a plain object', (auth: string) => ({ message: `failed: ${auth}`, headers: { auth } })],
    ['an object without a message', (auth: string) => ({ headers: { Authorization: auth } })],
    [
      'an Error whose cause chain holds it two levels down',
      (auth: string) =>
        new Error('outer', {
          cause: new Error('middle', { cause: { message: `inner ${auth}`, code: 'ECONNRESET' } }),
        }),
    ],
  ])('thrown by a host transport as %s', async (_, make) => {
    const c = new FayClient({ apiKey: SECRET, transport: throwing(make), maxRetries: 0 });
    const error = await rejection(c.getStatus(UNKNOWN_ID));
    expect(error).toBeInstanceOf(FayConnectionError);
    expect(allViews(error)).not.toContain(SECRET);
  });

  it('keeps the chain and the network code, redacted', async () => {
    const make = (auth: string) =>
      new Error('outer', { cause: { message: `inner ${auth}`, code: 'ECONNRESET' } });
    const c = new FayClient({ apiKey: SECRET, transport: throwing(make), maxRetries: 0 });
    const error = await rejection(c.getStatus(UNKNOWN_ID));
    const cause = error.cause as Error & { cause: Error & { code: string } };
    expect(cause.message).toBe('outer');
    expect(cause.cause).toMatchObject({ message: 'inner Bearer [redacted]', code: 'ECONNRESET' });
  });
});

describe('cleartext keys and base URLs', () => {
  it.each(['http://example.com', 'http://10.1.2.3:8080', 'http://fay.internal/api'])(
    'refuses http:// off this machine: %s',
    (baseUrl) => {
      const error = thrown(() => new FayClient({ apiKey: KEY, baseUrl }));
      expect(error).toBeInstanceOf(FayValidationError);
      expect(error).toMatchObject({ field: 'baseUrl' });
      expect((error as Error).message).toMatch(/send the API key unencrypted.*allowInsecureHttp/);
    },
  );

  it('accepts it with the explicit opt-in, and loopback http:// without one', () => {
    const opted = new FayClient({
      apiKey: KEY,
      baseUrl: 'http://10.1.2.3:8080',
      allowInsecureHttp: true,
    });
    expect(opted.baseUrl).toBe('http://10.1.2.3:8080');
    for (const url of ['http://127.0.0.1:8080', 'http://localhost:3000', 'http://[::1]:9000']) {
      expect(new FayClient({ apiKey: KEY, baseUrl: url }).baseUrl).toBe(url);
    }
  });

  it.each(['http://127.0.0.1:8080/#', 'https://api.fay.work/?', 'https://api.fay.work?'])(
    'refuses a bare ? or # (%s), which would send every call to the same path',
    (baseUrl) => {
      const error = thrown(() => new FayClient({ apiKey: KEY, baseUrl }));
      expect(error).toMatchObject({ field: 'baseUrl' });
      expect((error as Error).message).toMatch(/\?query or #fragment/);
    },
  );
});

describe('a port fetch refuses', () => {
  it('is reported as never sent: a connection error, not a create whose answer was lost', async () => {
    const sleeps: number[] = [];
    const c = new FayClient({
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:6000',
      sleep: async (ms) => void sleeps.push(ms),
    });
    const error = await rejection(c.createConversation({ prompt: 'x' }));
    expect(error).toBeInstanceOf(FayConnectionError);
    expect(sleeps).toEqual([]); // the same port would be refused again: not retried
    expect(error.message).toMatch(/ERR_BAD_PORT/);
    expect((error.cause as Error).message).toMatch(/port 6000.*nothing was sent/);
  });
});

/** A loopback server answering every request with `status` and the given headers; counts requests. */
async function answering(status: number, headers: Record<string, string> = {}) {
  const seen: string[] = [];
  const s = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    res.writeHead(status, headers).end('{}');
  });
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(s.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => s.close(resolve)) };
}

describe('redirects', () => {
  it.each([
    ['fetch', undefined],
    ['node:http', httpTransport],
  ])('are never followed (%s): the create fails naming the location', async (_, transport) => {
    const elsewhere = await answering(200);
    const redirecting = await answering(307, {
      location: `${elsewhere.url}/api/v1/conversations`,
    });
    try {
      const c = new FayClient({ apiKey: KEY, baseUrl: redirecting.url, maxRetries: 0, transport });
      const error = await rejection(c.createConversation({ prompt: 'secret plan' }));
      expect(error).toBeInstanceOf(FayRedirectError);
      expect(error).toMatchObject({
        code: 'UNEXPECTED_REDIRECT',
        httpStatus: 307,
        location: `${elsewhere.url}/api/v1/conversations`,
      });
      expect(error.message).toContain(`${elsewhere.url}/api/v1/conversations`);
      expect(redirecting.seen).toEqual(['POST /api/v1/conversations']);
      expect(elsewhere.seen).toEqual([]);
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close()]);
    }
  });
});

describe('webhook signatures', () => {
  const rawBody = JSON.stringify({
    id: 'evt_1',
    type: 'Status',
    created: 1_700_000_000,
    data: { request_id: UNKNOWN_ID, status: 'PROCESSING' },
  });
  const secret = 'whsec_hostile';
  const signature = signWebhook(rawBody, secret);
  const verify = (sig: string) =>
    verifyWebhook({ rawBody, signature: sig, secrets: secret, nowMs: 1_700_000_000_000 });

  it.each([
    ['65 hex digits (an extra digit)', `${signature}0`],
    ['63 hex digits', signature.slice(0, -1)],
    ['no digits', 'sha256='],
  ])('refuses %s', (_, sig) => {
    const error = thrown(() => verify(sig));
    expect(error).toBeInstanceOf(FayWebhookError);
    expect(error).toMatchObject({ code: 'WEBHOOK_INVALID_SIGNATURE' });
    expect((error as Error).message).toMatch(/64 hex digits/);
  });

  it('accepts exactly 64 hex digits, in either case', () => {
    expect(verify(signature).id).toBe('evt_1');
    expect(verify(`sha256=${signature.slice(7).toUpperCase()}`).id).toBe('evt_1');
  });
});

describe('keys too short to be real', () => {
  it.each(['k', 'abc1234'])('refuses %j at construction, before any request', (apiKey) => {
    const error = thrown(() => new FayClient({ apiKey }));
    expect(error).toMatchObject({ field: 'apiKey' });
    expect((error as Error).message).toMatch(/too short.*fewer than 8 characters/);
  });
});

describe('deep JSON Schemas', () => {
  function nested(levels: number): Record<string, unknown> {
    let schema: Record<string, unknown> = { type: 'string' };
    for (let i = 1; i < levels; i++) schema = { type: 'object', properties: { a: schema } };
    return schema;
  }

  it('refuses one nested 10,000 levels deep, naming the depth limit, with nothing sent', async () => {
    const s = await server();
    const error = await rejection(
      client(s).createConversation({ prompt: 'x', outputSchema: nested(10_000) }),
    );
    expect(error).toBeInstanceOf(FayValidationError);
    expect(error).toMatchObject({ field: 'outputSchema' });
    expect(error.message).toMatch(`nested more than ${MAX_OUTPUT_SCHEMA_DEPTH} levels deep`);
    expect(s.requests).toHaveLength(0);
  });

  it(`accepts ${MAX_OUTPUT_SCHEMA_DEPTH} levels, refuses one more, and names a cycle and an explosive shared tree`, async () => {
    const s = await server();
    const c = client(s);
    // Each level of `nested` below the first is two objects deep (a schema and its properties):
    // nested(32) is 63 deep, one more wrapping makes it 65.
    await expect(
      c.createConversation({ prompt: 'x', outputSchema: nested(MAX_OUTPUT_SCHEMA_DEPTH / 2) }),
    ).resolves.toMatchObject({ status: 'PENDING' });
    const tooDeep = { type: 'object', properties: { a: nested(MAX_OUTPUT_SCHEMA_DEPTH / 2) } };
    await expect(c.createConversation({ prompt: 'x', outputSchema: tooDeep })).rejects.toThrow(
      /nested more than/,
    );
    // One object shared by both branches at each of 30 levels (61 deep): 2^30 values serialised.
    let shared: Record<string, unknown> = { type: 'string' };
    for (let i = 0; i < 30; i++) shared = { anyOf: [shared, shared] };
    await expect(c.createConversation({ prompt: 'x', outputSchema: shared })).rejects.toThrow(
      /has more than 100000 values/,
    );
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic.properties = { self: cyclic };
    await expect(c.createConversation({ prompt: 'x', outputSchema: cyclic })).rejects.toThrow(
      /refers to itself/,
    );
  });
});
