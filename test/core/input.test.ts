// Bad input is refused before anything is sent, with a message that says what to fix.
import { describe, expect, it } from 'vitest';
import { FayClient, FayValidationError, MAX_PROMPT_LENGTH } from '../../src/core/index.ts';
import type { FayServer } from '../support/fay-server.ts';
import { client, KEY, rejection, server } from './helpers.ts';

async function refused(s: FayServer, call: () => Promise<unknown>, field: string, hint: RegExp) {
  const error = await rejection(call());
  expect(error).toBeInstanceOf(FayValidationError);
  expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
  expect(error.message).toMatch(hint);
  expect(s.requests).toHaveLength(0);
}

describe('research input', () => {
  it.each([
    [undefined, 'prompt', /must be a string/],
    [42, 'prompt', /must be a string/],
    ['', 'prompt', /empty/],
    ['   \n ', 'prompt', /empty/],
    ['x'.repeat(MAX_PROMPT_LENGTH + 1), 'prompt', /at most 100000/],
  ])('prompt %#', async (prompt, field, hint) => {
    const s = await server();
    const c = client(s);
    await refused(s, () => c.research({ prompt } as never), field, hint);
    await refused(s, () => c.createConversation({ prompt } as never), field, hint);
  });

  it.each([
    [[], /JSON Schema object/],
    [null, /JSON Schema object/],
    ['{"type":"object"}', /JSON Schema object/],
    [{}, /does not look like a JSON Schema/],
    [{ answer: 'string' }, /does not look like a JSON Schema/],
    [{ type: 'object', big: 10n }, /plain JSON/],
  ])('outputSchema %#', async (outputSchema, hint) => {
    const s = await server();
    await refused(
      s,
      () => client(s).research({ prompt: 'x', outputSchema } as never),
      'outputSchema',
      hint,
    );
  });

  it('refuses a non-object input and bad wait options', async () => {
    const s = await server();
    const c = client(s);
    await refused(s, () => c.research('just a string' as never), 'input', /like \{ prompt/);
    await refused(
      s,
      () => c.research({ prompt: 'x' }, { maxWaitMs: -1 }),
      'maxWaitMs',
      /at least 1/,
    );
    await refused(
      s,
      () => c.research({ prompt: 'x' }, { signal: 'stop' as never }),
      'signal',
      /AbortSignal/,
    );
    await refused(
      s,
      () => c.research({ prompt: 'x' }, { onStatus: 1 as never }),
      'onStatus',
      /function/,
    );
  });
});

describe('request ids', () => {
  it.each([
    '../../admin',
    '',
    'not-a-uuid',
    '123e4567-e89b-12d3-a456-42661417400/',
    ' 123e4567-e89b-12d3-a456-426614174000',
  ])('refuses %j before it reaches a path', async (id) => {
    const s = await server();
    const c = client(s);
    for (const call of [
      () => c.getStatus(id),
      () => c.getOutput(id),
      () => c.stopConversation(id),
      () => c.waitForCompletion(id),
    ]) {
      await refused(s, call, 'requestId', /UUID/);
    }
  });
});

describe('client options', () => {
  it.each([
    [{ baseUrl: 'api.fay.work' }, 'baseUrl', /not a valid URL/],
    [{ baseUrl: 'ftp://api.fay.work' }, 'baseUrl', /instead of http/],
    [{ baseUrl: 'https://user:pw@api.fay.work' }, 'baseUrl', /credentials/],
    [{ baseUrl: 'https://api.fay.work/?x=1' }, 'baseUrl', /query/],
    [{ baseUrl: '' }, 'baseUrl', /missing/],
    [{ apiKey: undefined }, 'apiKey', /missing/],
    [{ apiKey: '' }, 'apiKey', /empty/],
    [{ apiKey: 'fay_abc\r\nX-Evil: 1' }, 'apiKey', /line breaks/],
    [{ timeoutMs: 0 }, 'timeoutMs', /at least 1/],
    [{ maxRetries: 1.5 }, 'maxRetries', /whole number/],
    [{ statusCallsPerHour: 0 }, 'statusCallsPerHour', /at least 1/],
    [{ transport: 'fetch' }, 'transport', /function/],
    [{ userAgent: 'a\nb' }, 'userAgent', /one line/],
  ])('%j', (options, field, hint) => {
    let error: unknown;
    try {
      new FayClient({ apiKey: KEY, ...options } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(FayValidationError);
    expect(error).toMatchObject({ code: 'INVALID_INPUT', field });
    expect((error as Error).message).toMatch(hint);
  });

  it('keeps a base path and drops a trailing slash', () => {
    expect(new FayClient({ apiKey: KEY, baseUrl: 'https://proxy.example/fay/' }).baseUrl).toBe(
      'https://proxy.example/fay',
    );
    expect(new FayClient({ apiKey: KEY }).baseUrl).toBe('https://api.fay.work');
  });

  it('needs no key when the transport authenticates itself', async () => {
    const s = await server();
    const c = new FayClient({
      baseUrl: s.url,
      transport: (req) =>
        fetch(req.url, {
          ...req,
          headers: { ...req.headers, authorization: `Bearer ${KEY}` },
        }).then(async (res) => ({
          status: res.status,
          headers: res.headers,
          body: await res.text(),
        })),
    });
    await c.createConversation({ prompt: 'x' });
    expect(s.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
  });
});
