// The local Fay server, checked over real HTTP the way the client and the other faces will see it.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { startFayServer, type FayServer, type FayServerOptions } from '../support/fay-server.ts';

const KEY = 'fay_test_key';
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const servers: FayServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A server whose clock the test moves by hand. */
async function start(options: FayServerOptions = {}) {
  const clock = { t: 1_700_000_000_000 };
  const server = await startFayServer({ now: () => clock.t, ...options });
  servers.push(server);
  return { server, clock };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // Tests read arbitrary answer fields; the assertions check their types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: { status: boolean; version: string; data?: any; error?: { message: string; code: string } };
}

async function call(
  server: FayServer,
  method: 'GET' | 'POST',
  path: string,
  init: { body?: string; key?: string | null; signal?: AbortSignal } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== null) headers.authorization = `Bearer ${init.key ?? KEY}`;
  const res = await fetch(server.url + path, {
    method,
    headers,
    body: init.body,
    signal: init.signal,
  });
  const text = await res.text();
  let json: Answer['json'];
  try {
    json = JSON.parse(text);
  } catch {
    json = { status: false, version: '' };
  }
  return { status: res.status, headers: res.headers, text, json };
}

const create = (server: FayServer, body: unknown, key?: string | null) =>
  call(server, 'POST', '/api/v1/conversations', { body: JSON.stringify(body), key });
const status = (server: FayServer, id: string, key?: string | null) =>
  call(server, 'GET', `/api/v1/conversation/${id}/status`, { key });
const output = (server: FayServer, id: string) =>
  call(server, 'GET', `/api/v1/conversation/${id}/output`);
const stop = (server: FayServer, id: string, key?: string | null) =>
  call(server, 'POST', `/api/v1/conversation/${id}/stop`, { key });

async function createId(server: FayServer, prompt = 'What is Fay?'): Promise<string> {
  const answer = await create(server, { prompt });
  expect(answer.status).toBe(200);
  return answer.json.data.request_id;
}

function expectError(answer: Answer, httpStatus: number, code: string): void {
  expect(answer.status).toBe(httpStatus);
  expect(answer.headers.get('content-type')).toBe('application/json');
  expect(answer.json).toEqual({
    status: false,
    version: '1.0.24',
    error: { message: expect.any(String), code },
  });
}

/** Waits (without fixed sleeps) until `check` holds, yielding to the event loop between tries. */
async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('endpoints and envelopes', () => {
  it('create, status, output and stop answer the documented shapes', async () => {
    const { server, clock } = await start();
    const created = await create(server, { prompt: 'What is Fay?' });
    expect(created.status).toBe(200);
    expect(created.headers.get('content-type')).toBe('application/json');
    expect(created.json).toEqual({
      status: true,
      version: '1.0.24',
      data: {
        request_id: expect.stringMatching(UUID),
        status: 'PENDING',
        created_at: expect.stringMatching(ISO),
      },
    });
    const id = created.json.data.request_id;

    clock.t += 1500;
    const done = await status(server, id);
    expect(done.json).toEqual({
      status: true,
      version: '1.0.24',
      data: {
        request_id: id,
        status: 'COMPLETED',
        prompt: 'What is Fay?',
        structured_output: false,
        output_schema: null,
        conversation_id: expect.stringMatching(UUID),
        created_at: created.json.data.created_at,
        started_at: expect.stringMatching(ISO),
        completed_at: expect.stringMatching(ISO),
        error_message: null,
        metadata: expect.any(Object),
      },
    });

    const out = await output(server, id);
    expect(out.json).toEqual({
      status: true,
      version: '1.0.24',
      data: {
        conversation_id: done.json.data.conversation_id,
        status: 'COMPLETED',
        output: expect.any(String),
      },
    });
    const markdown: string = out.json.data.output;
    expect(markdown).toMatch(/^# /m);
    expect(markdown).toMatch(/^- /m);
    expect(markdown).toContain('What is Fay?');
    expect(markdown.match(/\]\(https:\/\/[^)]+\)/g)?.length).toBeGreaterThanOrEqual(2);

    const id2 = await createId(server);
    const stopped = await stop(server, id2);
    expect(stopped.json).toEqual({
      status: true,
      version: '1.0.24',
      data: { request_id: id2, status: 'STOPPED', message: expect.any(String) },
    });
  });

  it('answers 401 INVALID_API_KEY for a missing, wrong or revoked key, before looking at ids', async () => {
    const { server } = await start({ apiKeys: ['k1', 'k2'] });
    expectError(await create(server, { prompt: 'x' }, null), 401, 'INVALID_API_KEY');
    expectError(await create(server, { prompt: 'x' }, 'wrong'), 401, 'INVALID_API_KEY');
    expectError(await status(server, 'not-a-real-id', 'wrong'), 401, 'INVALID_API_KEY');
    const id = (await create(server, { prompt: 'x' }, 'k1')).json.data.request_id;
    expect((await status(server, id, 'k2')).status).toBe(200);
    server.setApiKeys(['k2']);
    expectError(await status(server, id, 'k1'), 401, 'INVALID_API_KEY');
    expect((await status(server, id, 'k2')).status).toBe(200);
  });

  it("scopes jobs to their account: another account's key gets 404 for them", async () => {
    const { server } = await start({ apiKeys: ['a1', 'a2'], otherAccounts: [['b1']] });
    const id = (await create(server, { prompt: 'x' }, 'a1')).json.data.request_id;
    expectError(await status(server, id, 'b1'), 404, 'REQUEST_NOT_FOUND');
    expectError(await stop(server, id, 'b1'), 404, 'REQUEST_NOT_FOUND');
    expect((await status(server, id, 'a2')).status).toBe(200);
    expect(server.jobState(id)).not.toBe('STOPPED');
  });

  it('answers 404 REQUEST_NOT_FOUND for unknown ids and 404 JSON for unknown routes', async () => {
    const { server } = await start();
    expectError(await status(server, crypto.randomUUID()), 404, 'REQUEST_NOT_FOUND');
    expectError(await output(server, 'not-a-uuid'), 404, 'REQUEST_NOT_FOUND');
    expectError(await stop(server, '..%2F..%2Fetc'), 404, 'REQUEST_NOT_FOUND');
    expectError(await call(server, 'GET', '/api/v1/nothing'), 404, 'NOT_FOUND');
    expectError(await call(server, 'GET', '/api/v1/conversations'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('answers 400 VALIDATION_ERROR for bad create bodies', async () => {
    const { server } = await start();
    const post = (body: string) => call(server, 'POST', '/api/v1/conversations', { body });
    for (const body of [
      '{"prompt": "unterminated',
      '[]',
      '{}',
      '{"prompt": ""}',
      '{"prompt": "   "}',
      '{"prompt": 42}',
      '{"prompt": "x", "structured_output": true}',
      '{"prompt": "x", "structured_output": true, "output_schema": []}',
      '{"prompt": "x", "structured_output": "yes", "output_schema": {"type": "object"}}',
    ]) {
      expectError(await post(body), 400, 'VALIDATION_ERROR');
    }
    expect(server.jobs.size).toBe(0);
  });
});

describe('job lifecycle', () => {
  it('moves PENDING → PROCESSING → COMPLETED with the injected clock', async () => {
    const { server, clock } = await start({ jobDurationMs: 1000 });
    const id = await createId(server);
    const pending = (await status(server, id)).json.data;
    expect(pending).toMatchObject({
      status: 'PENDING',
      started_at: null,
      completed_at: null,
      conversation_id: null,
    });
    expectError(await output(server, id), 400, 'RESEARCH_NOT_COMPLETED');

    clock.t += 199;
    expect((await status(server, id)).json.data.status).toBe('PENDING');
    clock.t += 1;
    const processing = (await status(server, id)).json.data;
    expect(processing).toMatchObject({ status: 'PROCESSING', completed_at: null });
    expect(processing.started_at).toMatch(ISO);
    expect(processing.conversation_id).toMatch(UUID);
    expectError(await output(server, id), 400, 'RESEARCH_NOT_COMPLETED');

    clock.t += 800;
    const completed = (await status(server, id)).json.data;
    expect(completed.status).toBe('COMPLETED');
    expect(Date.parse(completed.completed_at) - Date.parse(completed.created_at)).toBe(1000);
    expect(server.jobState(id)).toBe('COMPLETED');
    clock.t += 30 * 24 * 3_600_000 + 1; // past the 30-day retention
    expectError(await output(server, id), 404, 'REQUEST_NOT_FOUND');
  });

  it('obeys the [fay:fail], [fay:never] and [fay:duration=ms] directives', async () => {
    const { server, clock } = await start({ jobDurationMs: 1000 });
    const failing = await createId(server, 'Will fail [fay:fail]');
    const never = await createId(server, 'Never ends [fay:never]');
    const quick = await createId(server, 'Quick [fay:duration=100]');
    clock.t += 200;
    expect((await status(server, quick)).json.data.status).toBe('COMPLETED');
    expect((await status(server, failing)).json.data.status).toBe('PROCESSING');
    clock.t += 800;
    const failed = (await status(server, failing)).json.data;
    expect(failed).toMatchObject({ status: 'FAILED', error_message: expect.any(String) });
    expect(failed.completed_at).toMatch(ISO);
    expectError(await output(server, failing), 400, 'RESEARCH_NOT_COMPLETED');
    clock.t += 1e9;
    expect((await status(server, never)).json.data.status).toBe('PROCESSING');
  });

  it('stops running jobs once; a finished job answers CONVERSATION_ALREADY_COMPLETED', async () => {
    const { server, clock } = await start({ jobDurationMs: 1000 });
    const pending = await createId(server);
    const running = await createId(server);
    const finished = await createId(server, 'Short [fay:duration=10]');
    clock.t += 500;
    expect((await stop(server, pending)).status).toBe(200); // still PROCESSING at 500 ms
    expect((await stop(server, running)).status).toBe(200);
    const stopped = (await status(server, running)).json.data;
    expect(stopped).toMatchObject({ status: 'STOPPED', completed_at: expect.stringMatching(ISO) });
    expectError(await stop(server, running), 400, 'CONVERSATION_ALREADY_COMPLETED');
    expectError(await output(server, running), 400, 'RESEARCH_NOT_COMPLETED');
    expectError(await stop(server, finished), 400, 'CONVERSATION_ALREADY_COMPLETED');
    clock.t += 1e6;
    expect((await status(server, running)).json.data.status).toBe('STOPPED');

    const early = await createId(server);
    await stop(server, early); // during PENDING: never started
    expect((await status(server, early)).json.data).toMatchObject({
      started_at: null,
      conversation_id: null,
    });
  });
});

describe('rate limits', () => {
  it('limits per key and endpoint over a sliding window, with Retry-After in seconds', async () => {
    const { server, clock } = await start({
      rateLimits: { status: 2 },
      rateLimitWindowMs: 60_000,
      apiKeys: ['a', 'b'],
    });
    const id = (await create(server, { prompt: 'x' }, 'a')).json.data.request_id;
    expect((await status(server, id, 'a')).status).toBe(200);
    clock.t += 10_000;
    expect((await status(server, id, 'a')).status).toBe(200);
    const limited = await status(server, id, 'a');
    expectError(limited, 429, 'RATE_LIMIT_EXCEEDED');
    expect(limited.headers.get('retry-after')).toBe('50');
    expect((await status(server, id, 'b')).status).toBe(200); // another key has its own budget
    expect((await output(server, id)).status).not.toBe(429); // and so has another endpoint
    clock.t += 49_500;
    expect((await status(server, id, 'a')).headers.get('retry-after')).toBe('1');
    clock.t += 500;
    expect((await status(server, id, 'a')).status).toBe(200);
  });

  it('can state Retry-After as an HTTP date, or not at all', async () => {
    const { server } = await start({
      rateLimits: { create: 1 },
      rateLimitWindowMs: 30_000,
      retryAfter: 'http-date',
    });
    await create(server, { prompt: 'x' });
    const limited = await create(server, { prompt: 'x' });
    expect(limited.status).toBe(429);
    const waitMs = Date.parse(limited.headers.get('retry-after') ?? '') - Date.now();
    expect(waitMs).toBeGreaterThan(25_000);
    expect(waitMs).toBeLessThanOrEqual(31_000);
    expect(server.jobs.size).toBe(1);

    const { server: bare } = await start({ rateLimits: { create: 0 }, retryAfter: 'none' });
    const none = await create(bare, { prompt: 'x' });
    expect(none.status).toBe(429);
    expect(none.headers.get('retry-after')).toBeNull();
  });
});

describe('faults', () => {
  it('answers 500/503 JSON errors and an nginx HTML 502 without processing', async () => {
    const { server } = await start();
    server.injectFault({ endpoint: 'create', kind: 'http-500' });
    server.injectFault({ endpoint: 'create', kind: 'http-503' });
    server.injectFault({ endpoint: 'create', kind: 'html-502' });
    expectError(await create(server, { prompt: 'x' }), 500, 'INTERNAL_ERROR');
    expectError(await create(server, { prompt: 'x' }), 503, 'SERVICE_UNAVAILABLE');
    const html = await create(server, { prompt: 'x' });
    expect(html.status).toBe(502);
    expect(html.headers.get('content-type')).toBe('text/html');
    expect(html.text).toContain('<h1>502 Bad Gateway</h1>');
    expect(server.jobs.size).toBe(0);
    expect((await create(server, { prompt: 'x' })).status).toBe(200);
    expect(server.requests.map((r) => r.fault)).toEqual([
      'http-500',
      'http-503',
      'html-502',
      undefined,
    ]);
  });

  it('drops the connection before or after processing: drop-after still creates the job', async () => {
    const { server } = await start();
    server.injectFault({ endpoint: 'create', kind: 'drop-before' });
    await expect(create(server, { prompt: 'x' })).rejects.toThrow(TypeError); // fetch failed
    expect(server.jobs.size).toBe(0);
    server.injectFault({ endpoint: 'create', kind: 'drop-after' });
    await expect(create(server, { prompt: 'x' })).rejects.toThrow(TypeError);
    expect(server.jobs.size).toBe(1);
    const [job] = server.jobs.values();
    expect(server.requests.at(-1)).toMatchObject({
      statusCode: 'dropped',
      fault: 'drop-after',
      requestId: job?.requestId,
    });

    const id = await createId(server);
    server.injectFault({ endpoint: 'stop', kind: 'drop-after' });
    await expect(stop(server, id)).rejects.toThrow(TypeError);
    expect(server.jobState(id)).toBe('STOPPED'); // the stop happened, its answer was lost
  });

  it('sends malformed or truncated JSON bodies for processed requests', async () => {
    const { server } = await start();
    server.injectFault({ endpoint: 'create', kind: 'malformed-json' });
    server.injectFault({ endpoint: 'create', kind: 'truncated-json' });
    const malformed = await create(server, { prompt: 'x' });
    expect(malformed.status).toBe(200);
    expect(() => JSON.parse(malformed.text)).toThrow(SyntaxError);
    const truncated = await create(server, { prompt: 'x' });
    expect(truncated.text.startsWith('{"status":true,"version":"1.0.24"')).toBe(true);
    expect(() => JSON.parse(truncated.text)).toThrow(SyntaxError);
    expect(server.jobs.size).toBe(2);
  });

  it('answers slowly, and drops the pending answer when the client gives up', async () => {
    const { server } = await start();
    const id = await createId(server);
    server.injectFault({ endpoint: 'status', kind: 'slow', delayMs: 20 });
    const slow = await status(server, id);
    expect(slow.status).toBe(200);
    expect(server.requests.at(-1)?.fault).toBe('slow');

    server.injectFault({ endpoint: 'status', kind: 'slow', delayMs: 600_000 });
    const controller = new AbortController();
    const answer = call(server, 'GET', `/api/v1/conversation/${id}/status`, {
      signal: controller.signal,
    });
    await until(() => server.requests.length === 3);
    controller.abort();
    await expect(answer).rejects.toThrow();
    await until(() => server.requests[2]?.statusCode === 'dropped');
  });

  it('answers 429 with Retry-After for a rate-limit fault, only on the chosen endpoint, `times` times', async () => {
    const { server } = await start();
    const id = await createId(server);
    server.injectFault({ endpoint: 'status', kind: 'rate-limit', times: 2, delayMs: 3000 });
    expect((await output(server, id)).status).toBe(400); // not COMPLETED yet; no fault here
    for (let i = 0; i < 2; i += 1) {
      const limited = await status(server, id);
      expectError(limited, 429, 'RATE_LIMIT_EXCEEDED');
      expect(limited.headers.get('retry-after')).toBe('3');
    }
    expect((await status(server, id)).status).toBe(200);
  });
});

describe('chaos', () => {
  it('gives a seeded, reproducible mix of fault kinds to the chosen fraction of answers', async () => {
    const run = async () => {
      const { server } = await start({ faultRate: 0.5, faultSeed: 42, faultEndpoints: ['status'] });
      const id = await createId(server);
      for (let i = 0; i < 60; i += 1) await status(server, id).catch(() => undefined);
      return server.requests.filter((r) => r.endpoint === 'status').map((r) => r.fault ?? '-');
    };
    const first = await run();
    expect(await run()).toEqual(first);
    const faulty = first.filter((f) => f !== '-');
    expect(faulty.length).toBeGreaterThan(15);
    expect(faulty.length).toBeLessThan(45);
    expect(new Set(faulty).size).toBeGreaterThanOrEqual(5);
  });
});

describe('long answers', () => {
  async function markdown(server: FayServer, clock: { t: number }, prompt: string) {
    const answer = await create(server, { prompt });
    clock.t += 1500;
    return (await output(server, answer.json.data.request_id)).json.data.output as string;
  }

  it('[fay:long=N] answers a Markdown report of at least N characters, the same per prompt', async () => {
    const { server, clock } = await start();
    const report = await markdown(server, clock, 'Heat pumps [fay:long=300000]');
    expect(report.length).toBeGreaterThanOrEqual(300_000);
    expect(report.length).toBeLessThan(310_000);
    for (const part of ['\n## ', '\n|---|', '\n```python\n', '\n- **Point', '根据', '👩‍🔬']) {
      expect(report).toContain(part);
    }
    expect(await markdown(server, clock, 'Heat pumps [fay:long=300000]')).toBe(report);
  });

  it('[fay:longline=N] answers one line of N characters or a little more', async () => {
    const { server, clock } = await start();
    const line = await markdown(server, clock, 'One line [fay:longline=100000]');
    expect(line.length).toBeGreaterThanOrEqual(100_000);
    expect(line).not.toContain('\n');
  });
});

describe('structured output', () => {
  const schema = {
    type: 'object',
    properties: {
      title: { type: 'string', minLength: 5 },
      year: { type: 'integer', minimum: 1990, maximum: 2030 },
      score: { type: 'number', minimum: 0, maximum: 1 },
      verified: { type: 'boolean' },
      category: { type: 'string', enum: ['market', 'science', 'policy'] },
      published: { type: 'string', format: 'date-time' },
      site: { type: 'string', format: 'uri' },
      sources: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          properties: {
            url: { type: 'string', format: 'uri' },
            note: { type: ['string', 'null'] },
          },
          required: ['url'],
          additionalProperties: false,
        },
      },
      author: {
        type: 'object',
        properties: { email: { type: 'string', format: 'email' } },
        required: ['email'],
      },
    },
    required: ['title', 'year', 'sources'],
    additionalProperties: false,
  };

  const validator = z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);

  async function structured(server: FayServer, clock: { t: number }, prompt: string) {
    const answer = await create(server, { prompt, structured_output: true, output_schema: schema });
    clock.t += 1500;
    return (await output(server, answer.json.data.request_id)).json.data.output;
  }

  it('generates a JSON value that matches the schema, the same for the same prompt', async () => {
    const { server, clock } = await start();
    const value = await structured(server, clock, 'EV market 2024');
    expect(validator.safeParse(value).error).toBeUndefined();
    expect(await structured(server, clock, 'EV market 2024')).toEqual(value);
    const status0 = (await status(server, [...server.jobs.keys()][0] ?? '')).json.data;
    expect(status0).toMatchObject({ structured_output: true, output_schema: schema });
  });

  it('[fay:long=N] grows the first array until the JSON is that long, still matching', async () => {
    const { server, clock } = await start();
    const value = await structured(server, clock, 'EV market 2024 [fay:long=200000]');
    expect(validator.safeParse(value).error).toBeUndefined();
    expect(JSON.stringify(value).length).toBeGreaterThanOrEqual(200_000);
    expect(await structured(server, clock, 'EV market 2024 [fay:long=200000]')).toEqual(value);
  });

  it('can send the value as a JSON string instead', async () => {
    const { server, clock } = await start({ structuredOutputAs: 'string' });
    const value = await structured(server, clock, 'EV market 2024');
    expect(typeof value).toBe('string');
    expect(validator.safeParse(JSON.parse(value)).success).toBe(true);
  });
});

describe('request recording', () => {
  it('records every request with endpoint, id, headers, body, clock time and outcome', async () => {
    const { server, clock } = await start();
    const id = await createId(server, 'recorded');
    clock.t += 5;
    await status(server, id);
    await status(server, 'nope');
    await call(server, 'GET', '/elsewhere?x=1');
    expect(server.requests).toHaveLength(4);
    expect(server.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/v1/conversations',
      endpoint: 'create',
      requestId: id,
      body: { prompt: 'recorded' },
      at: 1_700_000_000_000,
      statusCode: 200,
    });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.requests[0]?.headers['content-type']).toBe('application/json');
    expect(server.requests[1]).toMatchObject({
      endpoint: 'status',
      requestId: id,
      at: 1_700_000_000_005,
      body: undefined,
    });
    expect(server.requests[3]).toMatchObject({
      endpoint: 'unknown',
      path: '/elsewhere',
      statusCode: 404,
    });
    expect(server.count()).toBe(4);
    expect(server.count('status')).toBe(2);
    expect(server.count('status', { statusCode: 404 })).toBe(1);
    expect(server.count(undefined, (r) => r.requestId === id)).toBe(2);
  });

  it('counts calls per research, per key and per account, whatever else the server serves', async () => {
    const { server } = await start();
    const mine = server.openAccount();
    const id = (await create(server, { prompt: 'mine' }, mine)).json.data.request_id as string;
    await status(server, id, mine);
    await stop(server, id, mine);
    // Traffic of the default account, and of a key no account has, around it.
    const theirs = await createId(server, 'theirs');
    await status(server, theirs);
    await status(server, id, 'not_a_key_at_all');
    expect(server.calls({ requestId: id })).toEqual({ create: 1, status: 2, output: 0, stop: 1 });
    expect(server.calls({ apiKey: mine })).toEqual({ create: 1, status: 1, output: 0, stop: 1 });
    expect(server.calls({ apiKey: 'not_a_key_at_all' })).toMatchObject({ status: 1 });
    expect(server.calls({ account: 0 })).toEqual({ create: 1, status: 1, output: 0, stop: 0 });
    // A new account's jobs are its own.
    expectError(await status(server, id), 404, 'REQUEST_NOT_FOUND');
    expect(server.openAccount()).not.toBe(mine);
  });
});

describe('in-process transport', () => {
  const base = (server: FayServer) => ({
    headers: { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' },
    signal: new AbortController().signal,
    url: `${server.url}/api/v1/conversations`,
  });

  it('answers and records as over HTTP, without a socket', async () => {
    const { server } = await start();
    const created = await server.transport({
      ...base(server),
      method: 'POST',
      body: JSON.stringify({ prompt: 'in process' }),
    });
    expect(created.status).toBe(200);
    expect(created.headers.get('Content-Type')).toBe('application/json');
    const id = JSON.parse(created.body).data.request_id as string;
    expect(server.requests.at(-1)).toMatchObject({
      endpoint: 'create',
      requestId: id,
      apiKey: KEY,
      account: 0,
      statusCode: 200,
    });
    expect(server.jobs.get(id)?.prompt).toBe('in process');
  });

  it('drops as a network error; a slow answer waits on fake timers and is dropped on abort', async () => {
    const { server } = await start();
    server.injectFault({ endpoint: 'create', kind: 'drop-after' });
    const body = JSON.stringify({ prompt: 'x' });
    await expect(server.transport({ ...base(server), method: 'POST', body })).rejects.toMatchObject(
      { code: 'ECONNRESET' },
    );
    expect(server.requests.at(-1)?.statusCode).toBe('dropped');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      server.injectFault({ endpoint: 'create', kind: 'slow', delayMs: 60_000 });
      const slow = server.transport({ ...base(server), method: 'POST', body });
      await vi.advanceTimersByTimeAsync(60_000);
      expect((await slow).status).toBe(200);
      server.injectFault({ endpoint: 'create', kind: 'slow', delayMs: 60_000 });
      const cancel = new AbortController();
      const abandoned = server.transport({
        ...base(server),
        method: 'POST',
        body,
        signal: cancel.signal,
      });
      cancel.abort();
      await expect(abandoned).rejects.toBeDefined();
      expect(server.requests.at(-1)?.statusCode).toBe('dropped');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('webhooks', () => {
  const SECRET = 'whsec_test';

  /** A tiny receiver that fails the first `failures` deliveries with 500. */
  async function receiver(failures = 0) {
    const received: Array<{ body: string; signature: string | undefined }> = [];
    let left = failures;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({
          body: Buffer.concat(chunks).toString('utf8'),
          signature: req.headers['x-fay-signature'] as string,
        });
        res.statusCode = left-- > 0 ? 500 : 204;
        res.end();
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    return { url, received, close: () => new Promise((r) => server.close(r)) };
  }

  it('sends signed Status events for every transition, then Output', async () => {
    const hook = await receiver();
    try {
      const { server, clock } = await start({
        webhook: { url: hook.url, secret: SECRET },
        jobDurationMs: 1000,
      });
      const id = await createId(server, 'hooked');
      clock.t += 1000; // jumps past PROCESSING: the server still reports it, in order
      server.checkJobs();
      await server.waitForDelivery((d) => d.event.type === 'Output');
      await until(() => server.deliveries.every((d) => d.outcome !== 'pending'));
      expect(server.deliveries.map((d) => [d.event.type, d.event.data.status])).toEqual([
        ['Status', 'PENDING'],
        ['Status', 'PROCESSING'],
        ['Status', 'COMPLETED'],
        ['Output', 'COMPLETED'],
      ]);
      for (const { body, signature } of hook.received) {
        expect(signature).toBe(`sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`);
        const event = JSON.parse(body);
        expect(event).toMatchObject({
          id: expect.stringMatching(/^evt_/),
          created: expect.any(Number),
        });
        expect(Math.abs(event.created - Date.now() / 1000)).toBeLessThan(60);
        expect(event.data.request_id).toBe(id);
      }
      const processing = server.deliveries[1]?.event.data;
      expect(processing).toMatchObject({
        started_at: expect.stringMatching(ISO),
        completed_at: null,
      });
      expect(server.deliveries[3]?.event.data).toEqual({
        request_id: id,
        conversation_id: expect.stringMatching(UUID),
        status: 'COMPLETED',
        output: expect.stringContaining('hooked'),
        completed_at: expect.stringMatching(ISO),
      });
    } finally {
      await hook.close();
    }
  });

  it('sends events the core client verifies and parses (same signature as signWebhook)', async () => {
    const core = await import('../../src/core/index.ts');
    const hook = await receiver();
    try {
      const { server, clock } = await start({ webhook: { url: hook.url, secret: SECRET } });
      await createId(server, 'ok');
      await createId(server, 'bad [fay:fail]');
      clock.t += 1500;
      await until(() => server.deliveries.length === 8);
      await until(() => server.deliveries.every((d) => d.outcome === 'delivered'));
      for (const { body, signature } of hook.received) {
        expect(signature).toBe(core.signWebhook(body, SECRET));
        const event = core.verifyWebhook({ rawBody: body, signature, secrets: SECRET });
        expect(event.type).toBe(JSON.parse(body).type);
      }
    } finally {
      await hook.close();
    }
  });

  it('sends Error for failed jobs and Status STOPPED for stops, filtered by `events`', async () => {
    const hook = await receiver();
    try {
      const { server, clock } = await start({
        webhook: { url: hook.url, secret: SECRET, events: ['Error', 'Output'] },
        jobDurationMs: 1000,
      });
      const id = await createId(server, 'broken [fay:fail]');
      await stop(server, await createId(server));
      clock.t += 1000;
      const delivery = await server.waitForDelivery();
      expect(delivery.event).toMatchObject({
        type: 'Error',
        data: {
          request_id: id,
          status: 'FAILED',
          error_message: expect.any(String),
          completed_at: expect.stringMatching(ISO),
        },
      });
      expect(server.deliveries).toHaveLength(1);
    } finally {
      await hook.close();
    }
  });

  it('retries failed deliveries with backoff, up to 3 times', async () => {
    const hook = await receiver(2);
    try {
      const { server } = await start({
        webhook: { url: hook.url, secret: SECRET, retryDelaysMs: [1, 2, 4] },
      });
      const delivery = await server.deliverWebhook({
        type: 'Status',
        data: { request_id: 'x', status: 'PENDING' },
      });
      expect(delivery.outcome).toBe('delivered');
      expect(delivery.attempts.map((a) => a.result)).toEqual([500, 500, 204]);
      expect(new Set(hook.received.map((r) => r.body)).size).toBe(1); // the same event each time
    } finally {
      await hook.close();
    }
    const down = await receiver(10);
    try {
      const { server } = await start({
        webhook: { url: down.url, secret: SECRET, retryDelaysMs: [1, 1, 1] },
      });
      const delivery = await server.deliverWebhook({ type: 'Status', data: {} });
      expect(delivery.outcome).toBe('failed');
      expect(delivery.attempts).toHaveLength(4);
    } finally {
      await down.close();
    }
  });

  it('records network failures and timeouts as failed attempts', async () => {
    const { server } = await start({
      webhook: { url: 'http://127.0.0.1:9/unreachable', secret: SECRET, retryDelaysMs: [1] },
    });
    const refused = await server.deliverWebhook({ type: 'Status', data: {} });
    expect(refused.attempts.map((a) => a.result)).toEqual(['ECONNREFUSED', 'ECONNREFUSED']);

    const silent = http.createServer(() => undefined); // never answers
    silent.listen(0, '127.0.0.1');
    await once(silent, 'listening');
    try {
      const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`;
      const { server: slow } = await start({
        webhook: { url, secret: SECRET, retryDelaysMs: [], timeoutMs: 50 },
      });
      const timedOut = await slow.deliverWebhook({ type: 'Status', data: {} });
      expect(timedOut).toMatchObject({ outcome: 'failed', attempts: [{ result: 'TIMEOUT' }] });
    } finally {
      silent.closeAllConnections();
      await new Promise((r) => silent.close(r));
    }
  });
});

describe('close', () => {
  it('closes open connections, pending slow answers and webhook timers', async () => {
    const server = await startFayServer({ webhook: { url: 'http://127.0.0.1:9/', secret: 's' } });
    await createId(server); // live job: the webhook timer runs
    server.injectFault({ kind: 'slow', delayMs: 600_000 });
    const hanging = status(server, crypto.randomUUID());
    await until(() => server.requests.length === 2);
    await server.close();
    await expect(hanging).rejects.toThrow(TypeError);
    await expect(fetch(server.url)).rejects.toThrow(TypeError);
  });
});

describe('CLI', () => {
  it('prints FAY_BASE_URL first, serves, logs without the key and exits on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      ['test/support/fay-server-cli.ts', '--key', 'cli_key_123', '--job-ms', '0'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
    expect(line).toMatch(/^FAY_BASE_URL=http:\/\/127\.0\.0\.1:\d+$/);
    const url = line.slice('FAY_BASE_URL='.length);
    const res = await fetch(`${url}/api/v1/conversations`, {
      method: 'POST',
      headers: { authorization: 'Bearer cli_key_123', 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'from the CLI' }),
    });
    expect(res.status).toBe(200);
    await until(() => stderr.includes('POST /api/v1/conversations -> 200'));
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    expect(stderr).not.toContain('cli_key_123');
  });
});
