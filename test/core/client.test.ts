// Headers and options, and answers (validated, camelCase, typed errors), against the local Fay
// server over HTTP.
import { describe, expect, it } from 'vitest';
import {
  FayAlreadyFinishedError,
  FayAuthenticationError,
  FayInvalidResponseError,
  FayNotCompletedError,
  FayNotFoundError,
  FayServerError,
  FayValidationError,
  fetchTransport,
} from '../../src/core/index.ts';
import { PACKAGE_NAME, PACKAGE_VERSION } from '../../src/core/internal.ts';
import type { ConversationStatus, Transport } from '../../src/core/index.ts';
import { client, KEY, recordingSleep, rejection, server, UNKNOWN_ID } from './helpers.ts';

const schema = {
  type: 'object',
  properties: {
    title: { type: 'string' },
    year: { type: 'integer' },
    tags: { type: 'array', items: { type: 'string' } },
  },
  required: ['title', 'year', 'tags'],
};

/** Rewrites answers of one endpoint: for shapes the server never sends. */
function rewriting(endpoint: string, edit: (body: string) => string): Transport {
  return async (req) => {
    const res = await fetchTransport(req);
    return req.url.includes(endpoint) ? { ...res, body: edit(res.body) } : res;
  };
}

describe('requests', () => {
  it('sends the key as Bearer, a User-Agent with name and version, and JSON headers', async () => {
    const s = await server();
    await client(s, { userAgent: 'my-app/2.0' }).createConversation({
      prompt: 'Why is the sky blue?',
    });
    const [create] = s.requests;
    expect(create?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(create?.headers['user-agent']).toBe(`${PACKAGE_NAME}/${PACKAGE_VERSION} my-app/2.0`);
    expect(create?.headers.accept).toBe('application/json');
    expect(create?.headers['content-type']).toBe('application/json');
    expect(create?.body).toEqual({ prompt: 'Why is the sky blue?' });
  });

  it('asks for structured output with the schema, and returns the parsed JSON value', async () => {
    for (const structuredOutputAs of ['value', 'string'] as const) {
      const s = await server({ structuredOutputAs });
      const result = await client(s).research({ prompt: 'A film', outputSchema: schema });
      expect(s.requests[0]?.body).toEqual({
        prompt: 'A film',
        structured_output: true,
        output_schema: schema,
      });
      const output = result.output as { title: unknown; year: unknown; tags: unknown };
      expect(typeof output.title).toBe('string');
      expect(Number.isInteger(output.year)).toBe(true);
      expect(Array.isArray(output.tags)).toBe(true);
    }
  });

  it('maps every answer to camelCase', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const created = await c.createConversation({ prompt: 'camel' });
    expect(created).toEqual({
      requestId: expect.any(String),
      status: 'PENDING',
      createdAt: expect.stringMatching(/\+00:00$/),
    });
    const status = await c.getStatus(created.requestId);
    expect(Object.keys(status).sort()).toEqual(
      [
        'completedAt',
        'conversationId',
        'createdAt',
        'errorMessage',
        'metadata',
        'outputSchema',
        'prompt',
        'requestId',
        'startedAt',
        'status',
        'structuredOutput',
      ].sort(),
    );
    expect(status).toMatchObject({
      requestId: created.requestId,
      prompt: 'camel',
      structuredOutput: false,
    });
    await expect(c.getOutput(created.requestId)).rejects.toBeInstanceOf(FayNotCompletedError);
    expect(await c.stopConversation(created.requestId)).toEqual({
      requestId: created.requestId,
      status: 'STOPPED',
      message: expect.any(String),
    });
    const again = await rejection(c.stopConversation(created.requestId));
    expect(again).toBeInstanceOf(FayAlreadyFinishedError);
    expect(again).toMatchObject({ code: 'CONVERSATION_ALREADY_COMPLETED', httpStatus: 400 });
    // Fay's own sentence sits inside ours without its final period.
    expect(again.message).toMatch(/\(status: STOPPED\) and cannot be stopped, so it cannot/);
  });
});

describe('error answers', () => {
  it('maps 401, 404 and not-completed to typed errors, without retrying them', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const notFound = await rejection(c.getStatus(UNKNOWN_ID));
    expect(notFound).toBeInstanceOf(FayNotFoundError);
    expect(notFound).toMatchObject({
      code: 'REQUEST_NOT_FOUND',
      httpStatus: 404,
      requestId: UNKNOWN_ID,
    });
    const { requestId } = await c.createConversation({ prompt: 'slow one' });
    const early = await rejection(c.getOutput(requestId));
    expect(early).toMatchObject({ code: 'RESEARCH_NOT_COMPLETED', httpStatus: 400, requestId });
    s.setApiKeys([]);
    const auth = await rejection(c.getStatus(requestId));
    expect(auth).toBeInstanceOf(FayAuthenticationError);
    expect(auth).toMatchObject({ code: 'INVALID_API_KEY', httpStatus: 401 });
    expect(auth.message).toMatch(/expired or been revoked/);
    expect(s.count('status')).toBe(2);
    expect(s.count('output')).toBe(1);
  });

  it("maps Fay's VALIDATION_ERROR (400) to FayValidationError, not retried", async () => {
    const s = await server();
    // The client refuses an empty prompt itself, so blank the body on the way out.
    const blanking: Transport = (req) => fetchTransport({ ...req, body: '{"prompt":" "}' });
    const error = await rejection(
      client(s, { transport: blanking }).createConversation({ prompt: 'x' }),
    );
    expect(error).toBeInstanceOf(FayValidationError);
    expect(error).toMatchObject({ code: 'VALIDATION_ERROR', httpStatus: 400 });
    expect(error.message).toMatch(/prompt is required/);
    expect(s.count('create')).toBe(1);
  });

  it('turns an HTML 502 page into FayServerError with the status and a short excerpt', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'html-502' });
    const error = await rejection(client(s, { maxRetries: 0 }).getStatus(UNKNOWN_ID));
    expect(error).toBeInstanceOf(FayServerError);
    const { excerpt, httpStatus } = error as FayServerError;
    expect(httpStatus).toBe(502);
    expect(excerpt).toContain('502 Bad Gateway');
    expect(excerpt?.length).toBeLessThanOrEqual(200);
    expect(error.message).toContain('HTTP 502');
  });

  it('turns truncated or malformed JSON into FayInvalidResponseError, never a SyntaxError', async () => {
    const s = await server();
    const { requestId } = await client(s).createConversation({ prompt: 'x' });
    for (const kind of ['truncated-json', 'malformed-json'] as const) {
      s.injectFault({ endpoint: 'status', kind });
      const error = await rejection(client(s, { maxRetries: 0 }).getStatus(requestId));
      expect(error).toBeInstanceOf(FayInvalidResponseError);
      expect(error).toMatchObject({ code: 'INVALID_RESPONSE', httpStatus: 200 });
      expect((error as FayInvalidResponseError).excerpt.length).toBeGreaterThan(0);
      expect((error as FayInvalidResponseError).excerpt.length).toBeLessThanOrEqual(200);
    }
  });

  it('rejects a JSON answer of the wrong shape with FayInvalidResponseError', async () => {
    const s = await server();
    const { requestId } = await client(s).createConversation({ prompt: 'x' });
    const noId = rewriting('/status', (body) => body.replace('"request_id"', '"id"'));
    const error = await rejection(
      client(s, { transport: noId, maxRetries: 0 }).getStatus(requestId),
    );
    expect(error).toBeInstanceOf(FayInvalidResponseError);
    expect(error.message).toMatch(/request_id/);
  });
});

describe('answers with extra or unknown content', () => {
  it('accepts extra fields and treats an unknown job status as still running', async () => {
    const s = await server({ jobDurationMs: 200 });
    const unknownStatus = rewriting('/status', (body) =>
      body
        .replace('"PROCESSING"', '"QUEUED_FOR_REVIEW"')
        .replace('"data":{', '"data":{"new_field":[1,2],'),
    );
    const sleep = recordingSleep();
    const seen: ConversationStatus[] = [];
    const result = await client(s, { transport: unknownStatus, sleep }).research(
      { prompt: 'unknown states' },
      { onStatus: (st) => seen.push(st) },
    );
    expect(result.status).toBe('COMPLETED');
    expect(seen.map((st) => st.status)).toContain('QUEUED_FOR_REVIEW');
    // Every poll came after a scheduled delay: no busy loop on the unknown state.
    expect(sleep.delays.length).toBe(seen.length);
    expect(Math.min(...sleep.delays)).toBeGreaterThanOrEqual(3000);
  });
});
