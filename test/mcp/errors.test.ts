// Failures: bad arguments, missing or rejected key, rate limits and the status budget; the API
// key absent from everything a client receives. In process and in virtual time (configuration
// refused at start and the stdout channel are the process tier's: test/mcp-bin).
import { beforeEach, describe, expect, it } from 'vitest';
import type { FayServer } from '../support/fay-server.ts';
import {
  API_KEY,
  callTool,
  inProcessSession,
  localFay,
  pollUntilFinal,
  settle,
  stateOf,
  textOf,
  useVirtualTime,
  type Session,
} from '../support/mcp.ts';

useVirtualTime();

const local = {} as { fay: FayServer };
beforeEach(async () => {
  local.fay = await localFay();
});

function callWith(s: Session, name: string, args: Record<string, unknown>) {
  return settle(callTool(s, name, args));
}

describe('bad arguments', () => {
  // The SDK words a failure of the declared schema; the message after the tool name is ours.
  const refused = (tool: string, message: string, field: string) =>
    `MCP error -32602: Input validation error: Invalid arguments for tool ${tool}: ${message} at ${field}`;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'fay_research',
      {},
      refused('fay_research', 'prompt must be a string: the question to research.', 'prompt'),
    ],
    [
      'fay_research',
      { prompt: 42 },
      refused('fay_research', 'prompt must be a string: the question to research.', 'prompt'),
    ],
    [
      'fay_start_research',
      { prompt: '   ' },
      refused('fay_start_research', 'prompt is empty: write the question to research.', 'prompt'),
    ],
    [
      'fay_start_research',
      { prompt: 'x'.repeat(100_001) },
      refused(
        'fay_start_research',
        'prompt is 100001 characters long; shorten it to at most 100000.',
        'prompt',
      ),
    ],
    [
      'fay_research',
      { prompt: 'x', output_schema: [1] },
      refused(
        'fay_research',
        'output_schema must be a JSON Schema object such as {"type":"object","properties":{"answer":{"type":"string"}}} (or that object as JSON text), or be left out for a Markdown answer.',
        'output_schema',
      ),
    ],
    [
      'fay_start_research',
      { prompt: 'x', output_schema: '{nope' },
      refused(
        'fay_start_research',
        'output_schema is a string that is not valid JSON. output_schema must be a JSON Schema object such as {"type":"object","properties":{"answer":{"type":"string"}}} (or that object as JSON text), or be left out for a Markdown answer.',
        'output_schema',
      ),
    ],
    [
      'fay_get_research',
      {},
      refused(
        'fay_get_research',
        'request_id must be the UUID returned by fay_research or fay_start_research (like 123e4567-e89b-12d3-a456-426614174000).',
        'request_id',
      ),
    ],
    [
      'fay_stop_research',
      { request_id: 7 },
      refused(
        'fay_stop_research',
        'request_id must be the UUID returned by fay_research or fay_start_research (like 123e4567-e89b-12d3-a456-426614174000).',
        'request_id',
      ),
    ],
  ];

  it.each(cases)(
    '%s, bad argument %# → isError saying what to fix, nothing sent to Fay',
    async (name, args, message) => {
      const own = await inProcessSession(local.fay);
      const result = await callWith(own, name, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(message);
      expect(own.calls()).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
    },
  );

  it('a JSON Schema without a schema keyword: refused by the core before any request', async () => {
    const own = await inProcessSession(local.fay);
    const result = await callWith(own, 'fay_start_research', {
      prompt: 'x',
      output_schema: { foo: 1 },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/output_schema does not look like a JSON Schema/);
    expect(own.calls()).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
  });

  it('accepts output_schema given as JSON text', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } });
    const session = await inProcessSession(local.fay);
    const result = await callWith(session, 'fay_start_research', {
      prompt: 'x',
      output_schema: schema,
    });
    expect(result.isError).toBeFalsy();
    const created = local.fay.requests.find(
      (r) => r.endpoint === 'create' && r.requestId === stateOf(result).request_id,
    );
    expect(created?.body).toMatchObject({
      structured_output: true,
      output_schema: JSON.parse(schema),
    });
  });
});

describe('API key', () => {
  it('without FAY_API_KEY: starts, lists tools, and every call says how to set the key', async () => {
    const keyless = await inProcessSession(local.fay, { FAY_API_KEY: '' });
    const { tools } = await keyless.client.listTools();
    expect(tools).toHaveLength(4);
    for (const [name, args] of [
      ['fay_research', { prompt: 'x' }],
      ['fay_start_research', { prompt: 'x' }],
      ['fay_get_research', { request_id: '00000000-0000-4000-8000-000000000000' }],
      ['fay_stop_research', { request_id: '00000000-0000-4000-8000-000000000000' }],
    ] as const) {
      const result = await callWith(keyless, name, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/No Fay API key is configured\. Add FAY_API_KEY/);
    }
  });

  it('a key Fay rejects: says how to replace it, and never shows it', async () => {
    const wrongKey = 'fay_wrong_key_Pp3v9';
    const wrong = await inProcessSession(local.fay, { FAY_API_KEY: wrongKey });
    const result = await callWith(wrong, 'fay_research', { prompt: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/Fay rejected the API key .* put it in FAY_API_KEY/);
    expect(JSON.stringify(wrong.received) + wrong.stderr()).not.toContain(wrongKey);
  });
});

describe('rate limit', () => {
  it('a limit Fay lifts only in an hour: isError saying when to retry', async () => {
    const limited = await localFay({
      rateLimits: { create: 1 },
      rateLimitWindowMs: 3_600_000,
      retryAfter: 'seconds',
    });
    const session = await inProcessSession(limited, { FAY_API_KEY: API_KEY });
    const first = await callWith(session, 'fay_start_research', { prompt: 'first' });
    expect(first.isError).toBeFalsy();
    // Retry-After: 3600, beyond what the client waits for (60 s): answered at once.
    const second = await callWith(session, 'fay_start_research', { prompt: 'second' });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toMatch(
      /^Fay's rate limit was reached\. Retry after \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
    );
    expect(limited.calls({ apiKey: API_KEY }).create).toBe(2);
  });

  it('a spent FAY_STATUS_CALLS_PER_HOUR budget: isError naming the setting, nothing sent', async () => {
    const fay = await localFay({ jobDurationMs: 60_000 });
    const session = await inProcessSession(fay, { FAY_STATUS_CALLS_PER_HOUR: '1' });
    const started = await callWith(session, 'fay_start_research', { prompt: 'budget' });
    const { request_id } = started.structuredContent as { request_id: string };
    const first = await callWith(session, 'fay_get_research', { request_id });
    expect(first.isError).toBeFalsy();
    const second = await callWith(session, 'fay_get_research', { request_id });
    expect(second.isError).toBe(true);
    expect(textOf(second)).toMatch(
      /^The status-check budget set by FAY_STATUS_CALLS_PER_HOUR is spent for this hour\. Retry after \d{4}-\d\d-\d\d /,
    );
    expect(session.calls().status).toBe(1);
  });
});

describe('key redaction on the way out', () => {
  it('a research that quotes the key (pasted into the prompt) reaches the client redacted', async () => {
    const prompt = `Is ${API_KEY} a valid Fay key?`;
    const session = await inProcessSession(local.fay, { FAY_API_KEY: API_KEY });
    const started = await callWith(session, 'fay_start_research', { prompt });
    const id = stateOf(started).request_id;
    // Fay got the prompt as written; what comes back quotes it: the answer and the resource title.
    expect(local.fay.jobs.get(id)?.prompt).toBe(prompt);
    const { resources } = await session.client.listResources();
    const listed = resources.find((r) => r.uri === `fay://research/${id}`);
    expect(listed?.title).toBe('Is [redacted] a valid Fay key?');
    const done = await settle(pollUntilFinal(session.client, id));
    expect(textOf(done)).toContain('# Research: Is [redacted] a valid Fay key?');
    expect(JSON.stringify([listed, done])).not.toContain(API_KEY);
  });
});
