// The node:http transport behaves like the fetch one: same answers, same failure classes
// (so the same retry decisions), clean aborts.
import { describe, expect, it, vi } from 'vitest';
import {
  FayAbortedError,
  FayCreateOutcomeUnknownError,
  FayRateLimitError,
  httpTransport,
} from '../../src/core/index.ts';
import { client, recordingSleep, rejection, server, UNKNOWN_ID } from './helpers.ts';

describe('httpTransport', () => {
  it('runs a research, structured or not', async () => {
    const s = await server();
    const c = client(s, { transport: httpTransport });
    expect((await c.research({ prompt: 'plain' })).output).toMatch(/# Research: plain/);
    const structured = await c.research({
      prompt: 'json',
      outputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
    });
    expect(typeof (structured.output as { n: unknown }).n).toBe('number');
    expect(s.requests[0]?.headers.authorization).toMatch(/^Bearer /);
  });

  it.each(['drop-before', 'drop-after', 'truncated-json', 'html-502', 'malformed-json'] as const)(
    'retries a status call after %s',
    async (kind) => {
      const s = await server();
      const c = client(s, { transport: httpTransport });
      const { requestId } = await c.createConversation({ prompt: 'x' });
      s.injectFault({ endpoint: 'status', kind, times: 2 });
      await expect(c.getStatus(requestId)).resolves.toMatchObject({ requestId });
      expect(s.count('status')).toBe(3);
    },
  );

  it('reads Retry-After, and never resends a create whose answer was lost', async () => {
    const s = await server();
    const sleep = recordingSleep();
    const c = client(s, { transport: httpTransport, sleep, maxRetryAfterMs: 1_000 });
    s.injectFault({ endpoint: 'status', kind: 'rate-limit', delayMs: 5_000 });
    const limited = await rejection(c.getStatus(UNKNOWN_ID));
    expect(limited).toBeInstanceOf(FayRateLimitError);
    expect(limited).toMatchObject({ retryAfterMs: 5_000 });
    s.injectFault({ endpoint: 'create', kind: 'drop-after' });
    await expect(c.createConversation({ prompt: 'x' })).rejects.toBeInstanceOf(
      FayCreateOutcomeUnknownError,
    );
    expect(s.count('create')).toBe(1);
  });

  it('aborts a request in flight', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'slow', delayMs: 60_000 });
    const controller = new AbortController();
    const call = client(s, { transport: httpTransport }).getStatus(UNKNOWN_ID, {
      signal: controller.signal,
    });
    await vi.waitFor(() => expect(s.count('status')).toBe(1));
    controller.abort();
    await expect(call).rejects.toBeInstanceOf(FayAbortedError);
  });
});
