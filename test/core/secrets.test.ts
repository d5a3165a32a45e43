// The API key never shows: not in inspect/JSON of the client, nor in any error's
// message, properties, cause or inspect output, nor in logs.
import { inspect } from 'node:util';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  FayAuthenticationError,
  FayClient,
  FayConnectionError,
  FayServerError,
} from '../../src/core/index.ts';
import type { Transport } from '../../src/core/index.ts';
import { rejection, server, fastSleep } from './helpers.ts';

const SECRET = 'fay_live_SECRET_7f3a9c2e1b';

/** Every way an object can be looked at, joined. */
function allViews(value: unknown): string {
  const error = value as Error & { cause?: unknown };
  return [
    inspect(value, { showHidden: true, depth: Infinity, getters: true }),
    JSON.stringify(value),
    String(value),
    error?.message,
    error?.stack,
    inspect(error?.cause, { showHidden: true, depth: Infinity }),
    JSON.stringify(Object.entries(value as object)),
  ].join('\n');
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the API key stays secret', () => {
  it('is not visible on the client', () => {
    const c = new FayClient({ apiKey: SECRET });
    expect(allViews(c)).not.toContain(SECRET);
    expect(Object.keys(c).join()).not.toContain('apiKey');
    expect(JSON.stringify({ c })).not.toContain(SECRET);
    expect(inspect(c)).toContain('[redacted]');
  });

  it('is not in any error after a 401, and nothing is logged', async () => {
    const logs = ['log', 'info', 'warn', 'error', 'debug'].map((m) =>
      vi.spyOn(console, m as 'log').mockImplementation(() => undefined),
    );
    const s = await server({ apiKeys: ['another_key'] });
    const c = new FayClient({ apiKey: SECRET, baseUrl: s.url, sleep: fastSleep });
    const error = await rejection(c.research({ prompt: 'x' }));
    expect(error).toBeInstanceOf(FayAuthenticationError);
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${SECRET}`); // it was sent
    expect(allViews(error)).not.toContain(SECRET);
    for (const log of logs) expect(log).not.toHaveBeenCalled();
  });

  it('is redacted when a proxy echoes it back in an error page', async () => {
    const echo: Transport = async (req) => ({
      status: 502,
      headers: new Headers({ 'content-type': 'text/html' }),
      body: `<html><pre>Bad gateway for ${req.headers.Authorization}</pre></html>`,
    });
    const c = new FayClient({ apiKey: SECRET, transport: echo, maxRetries: 0 });
    const error = await rejection(c.createConversation({ prompt: 'x' }));
    expect(error).toBeInstanceOf(FayServerError);
    expect((error as FayServerError).excerpt).toContain('Bearer [redacted]');
    expect(allViews(error)).not.toContain(SECRET);
  });

  it('is not carried over from a host transport error that holds the request headers', async () => {
    const leaky: Transport = async (req) => {
      throw Object.assign(new Error(`connect ECONNREFUSED (auth ${req.headers.Authorization})`), {
        code: 'ECONNREFUSED',
        config: { headers: req.headers },
      });
    };
    const c = new FayClient({ apiKey: SECRET, transport: leaky, maxRetries: 1, sleep: fastSleep });
    const error = await rejection(c.getStatus('123e4567-e89b-42d3-a456-426614174000'));
    expect(error).toBeInstanceOf(FayConnectionError);
    expect(allViews(error)).not.toContain(SECRET);
  });

  it('is not echoed by the key check', () => {
    const bad = `${SECRET}\n`;
    let error: unknown;
    try {
      new FayClient({ apiKey: bad });
    } catch (e) {
      error = e;
    }
    expect(allViews(error)).not.toContain(SECRET);
  });
});
