// What is retried (p-retry), what never is, create's no-duplicate rule, Retry-After.
import { describe, expect, it } from 'vitest';
import {
  FayAlreadyFinishedError,
  FayAuthenticationError,
  FayConnectionError,
  FayCreateOutcomeUnknownError,
  FayNotFoundError,
  FayRateLimitError,
  FayServerError,
  fetchTransport,
} from '../../src/core/index.ts';
import type { Transport } from '../../src/core/index.ts';
import { FAULT_KINDS } from '../support/fay-server.ts';
import { client, recordingSleep, rejection, server, UNKNOWN_ID } from './helpers.ts';

// Every fault but 'slow' (tested with a timeout below).
const TRANSIENT = FAULT_KINDS.filter((kind) => kind !== 'slow');

/** A network error as fetch reports it, with the Node code on its cause. */
function networkError(code: string): Error {
  return new TypeError('fetch failed', {
    cause: Object.assign(new Error(`getaddrinfo ${code} api.fay.invalid`), { code }),
  });
}

/** Fails the first `times` calls with `error`, then sends for real; counts calls. */
function failingFirst(times: number, error: () => Promise<never>) {
  let calls = 0;
  const transport: Transport = (req) => (++calls <= times ? error() : fetchTransport(req));
  return Object.assign(transport, { calls: () => calls });
}

describe('status, output and stop', () => {
  it.each(TRANSIENT)('retry after %s and succeed', async (kind) => {
    const s = await server();
    const { requestId } = await client(s).createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'status', kind, times: 2, delayMs: 100 });
    const status = await client(s).getStatus(requestId);
    expect(status.requestId).toBe(requestId);
    expect(s.count('status')).toBe(3);
  });

  it('retry an attempt that times out, and a 408', async () => {
    const s = await server();
    const { requestId } = await client(s).createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'output', kind: 'slow', delayMs: 5_000 });
    s.injectFault({ endpoint: 'output', kind: 'http-500', status: 408 });
    const c = client(s, { timeoutMs: 200 });
    await c.waitForCompletion(requestId);
    expect((await c.getOutput(requestId)).status).toBe('COMPLETED');
    expect(s.count('output')).toBe(3);
  });

  it('wait with jittered exponential backoff, and give up after maxRetries', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'stop', kind: 'http-503', times: Infinity });
    const sleep = recordingSleep();
    const error = await rejection(client(s, { sleep, maxRetries: 3 }).stopConversation(UNKNOWN_ID));
    expect(error).toBeInstanceOf(FayServerError);
    expect(error).toMatchObject({ httpStatus: 503 });
    expect(s.count('stop')).toBe(4);
    expect(sleep.delays).toHaveLength(3);
    sleep.delays.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(ms).toBeLessThanOrEqual(1000 * 2 ** i);
    });
  });

  it('never retry 400, 401 or 404', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const { requestId } = await c.createConversation({ prompt: 'x' });
    await expect(c.getOutput(requestId)).rejects.toMatchObject({ httpStatus: 400 });
    await expect(c.getStatus(UNKNOWN_ID)).rejects.toBeInstanceOf(FayNotFoundError);
    s.setApiKeys([]);
    await expect(c.stopConversation(requestId)).rejects.toBeInstanceOf(FayAuthenticationError);
    expect([s.count('output'), s.count('status'), s.count('stop')]).toEqual([1, 1, 1]);
  });

  it('retry a connection error (ECONNREFUSED) on a read', async () => {
    const s = await server();
    const { requestId } = await client(s).createConversation({ prompt: 'x' });
    const closed = await server();
    await closed.close();
    const refused = failingFirst(2, async () => {
      await fetch(`${closed.url}/`); // really refused: closed port
      throw new Error('unreachable');
    });
    await client(s, { transport: refused }).getStatus(requestId);
    expect(refused.calls()).toBe(3);
  });
});

describe('a stop whose answer was lost is sent again', () => {
  it('succeeds when the job is STOPPED: the first stop did it', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const { requestId } = await c.createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'stop', kind: 'drop-after' });
    expect(await c.stopConversation(requestId)).toEqual({
      requestId,
      status: 'STOPPED',
      message: expect.stringMatching(/stopped/),
    });
    expect(s.requests.filter((r) => r.endpoint === 'stop').map((r) => r.statusCode)).toEqual([
      'dropped',
      400,
    ]);
  });

  it('still throws FayAlreadyFinishedError when the job had completed', async () => {
    const s = await server();
    const c = client(s);
    const { requestId } = await c.research({ prompt: 'x' });
    s.injectFault({ endpoint: 'stop', kind: 'drop-after' });
    const error = await rejection(c.stopConversation(requestId));
    expect(error).toBeInstanceOf(FayAlreadyFinishedError);
    expect(s.count('stop')).toBe(2);
  });
});

describe('Retry-After', () => {
  it('wait the seconds Fay asks for, instead of the backoff', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'rate-limit', delayMs: 7_000 });
    const sleep = recordingSleep();
    await expect(client(s, { sleep }).getStatus(UNKNOWN_ID)).rejects.toBeInstanceOf(
      FayNotFoundError,
    );
    expect(sleep.delays).toEqual([7_000]);
  });

  it('read an HTTP-date Retry-After', async () => {
    const s = await server({ retryAfter: 'http-date' });
    s.injectFault({ endpoint: 'status', kind: 'rate-limit', delayMs: 30_000 });
    const sleep = recordingSleep();
    await expect(client(s, { sleep }).getStatus(UNKNOWN_ID)).rejects.toBeInstanceOf(
      FayNotFoundError,
    );
    expect(sleep.delays).toHaveLength(1);
    // The date has whole-second precision.
    expect(sleep.delays[0]).toBeGreaterThan(28_000);
    expect(sleep.delays[0]).toBeLessThanOrEqual(30_000);
  });

  it('throw FayRateLimitError at once when Retry-After is longer than maxRetryAfterMs', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'rate-limit', delayMs: 120_000 });
    const sleep = recordingSleep();
    const error = await rejection(client(s, { sleep }).getStatus(UNKNOWN_ID));
    expect(error).toBeInstanceOf(FayRateLimitError);
    expect(error).toMatchObject({
      code: 'RATE_LIMIT_EXCEEDED',
      httpStatus: 429,
      retryAfterMs: 120_000,
    });
    expect(error.message).toMatch(/maxRetryAfterMs/);
    expect(sleep.delays).toEqual([]);
    expect(s.count('status')).toBe(1);
  });

  it('back off when a 429 has no Retry-After', async () => {
    const s = await server({ retryAfter: 'none' });
    s.injectFault({ endpoint: 'status', kind: 'rate-limit' });
    const sleep = recordingSleep();
    await expect(client(s, { sleep }).getStatus(UNKNOWN_ID)).rejects.toBeInstanceOf(
      FayNotFoundError,
    );
    expect(sleep.delays).toHaveLength(1);
    expect(sleep.delays[0]).toBeGreaterThanOrEqual(500);
  });
});

describe('create is never sent twice when it may have reached Fay', () => {
  it.each([
    ['drop-after', 1],
    ['drop-before', 0],
    ['truncated-json', 1],
  ] as const)('%s → FayCreateOutcomeUnknownError after exactly one POST', async (kind, jobs) => {
    const s = await server();
    s.injectFault({ endpoint: 'create', kind });
    const error = await rejection(client(s).createConversation({ prompt: 'x' }));
    expect(error).toBeInstanceOf(FayCreateOutcomeUnknownError);
    expect(error).toMatchObject({ code: 'CREATE_OUTCOME_UNKNOWN' });
    expect(error.message).toMatch(/not resent/);
    expect(s.count('create')).toBe(1);
    expect(s.jobs.size).toBe(jobs);
  });

  it('a create whose answer times out → FayCreateOutcomeUnknownError, one POST', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'create', kind: 'slow', delayMs: 5_000 });
    const error = await rejection(
      client(s, { timeoutMs: 200 }).createConversation({ prompt: 'x' }),
    );
    expect(error).toBeInstanceOf(FayCreateOutcomeUnknownError);
    expect(s.count('create')).toBe(1);
    expect(s.jobs.size).toBe(1);
  });

  it.each(['http-500', 'html-502', 'http-503'] as const)(
    'an explicit %s answer is thrown as FayServerError, not resent',
    async (kind) => {
      const s = await server();
      s.injectFault({ endpoint: 'create', kind });
      const error = await rejection(client(s).createConversation({ prompt: 'x' }));
      expect(error).toBeInstanceOf(FayServerError);
      expect(error.message).toMatch(/may or may not have been created/);
      expect(s.count('create')).toBe(1);
    },
  );

  it('a 429 is retried (Fay refused it), creating one job', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'create', kind: 'rate-limit', times: 2, delayMs: 1_000 });
    const created = await client(s).createConversation({ prompt: 'x' });
    expect(s.count('create')).toBe(3);
    expect([...s.jobs.keys()]).toEqual([created.requestId]);
  });

  it.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN'])(
    'a create that never left (%s) is retried, creating one job',
    async (code) => {
      const s = await server();
      const transport = failingFirst(2, () => Promise.reject(networkError(code)));
      const created = await client(s, { transport }).createConversation({ prompt: 'x' });
      expect(transport.calls()).toBe(3);
      expect([...s.jobs.keys()]).toEqual([created.requestId]);
    },
  );

  it('gives up with FayConnectionError when Fay stays unreachable', async () => {
    const closed = await server();
    await closed.close();
    const error = await rejection(
      client(closed, { maxRetries: 1 }).createConversation({ prompt: 'x' }),
    );
    expect(error).toBeInstanceOf(FayConnectionError);
    expect(error.message).toMatch(/ECONNREFUSED/);
  });
});
