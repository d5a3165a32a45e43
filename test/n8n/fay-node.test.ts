// The Fay node's execute() against the local Fay server over HTTP, through a faithful fake of the
// n8n execution context (test/n8n/support). Waits use the real schedule (first poll after 3 s), so
// the tests run concurrently, each with its own Fay server.
import { inspect } from 'node:util';
import { describe, expect, it, type TestContext } from 'vitest';
import type { INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { Fay } from '../../src/n8n/nodes/Fay/Fay.node.ts';
import { startFayServer } from '../support/fay-server.ts';
import type { FayServer, FayServerOptions, RecordedRequest } from '../support/fay-server.ts';
import { execute, type ExecuteOptions } from './support/execute-context.ts';

const KEY = 'fay_test_key';
const UNKNOWN_ID = '123e4567-e89b-42d3-a456-426614174000';
const SCHEMA = {
  type: 'object',
  properties: { summary: { type: 'string' }, score: { type: 'number' } },
};

async function fay(test: TestContext, options: FayServerOptions = {}): Promise<FayServer> {
  const server = await startFayServer({ jobDurationMs: 200, ...options });
  test.onTestFinished(() => server.close());
  return server;
}

function run(
  server: FayServer,
  options: Omit<ExecuteOptions, 'credentials'> & { apiKey?: string },
) {
  const { apiKey = KEY, ...rest } = options;
  return execute(new Fay(), { credentials: { apiKey, baseUrl: server.url }, ...rest });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the execution to fail');
}

const json = (output: INodeExecutionData[][]) => output[0].map((item) => item.json);

describe.concurrent('Fay node: create', () => {
  it('waits for the answer: Markdown, and parsed JSON for structured output, paired in order', async (test) => {
    const server = await fay(test);
    const output = await run(server, {
      items: 2,
      parameters: (i) =>
        i === 0
          ? { operation: 'create', prompt: 'Compare vector databases' }
          : {
              operation: 'create',
              prompt: 'Rate it',
              structuredOutput: true,
              outputSchema: JSON.stringify(SCHEMA),
            },
    });

    expect(output[0].map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
    const [markdown, structured] = json(output);
    expect(markdown).toMatchObject({ status: 'COMPLETED', requestId: expect.any(String) });
    expect(markdown.output).toEqual(expect.stringContaining('Compare vector databases'));
    for (const key of ['conversationId', 'createdAt', 'startedAt', 'completedAt']) {
      expect(markdown[key]).toEqual(expect.any(String));
    }
    expect(structured.output).toEqual({ summary: expect.any(String), score: expect.any(Number) });

    // The helper authenticated every call with the credential's key.
    expect(server.requests.every((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);
    const create = server.requests.find(
      (r) => r.endpoint === 'create' && r.requestId === structured.requestId,
    );
    expect(create?.body).toEqual({
      prompt: 'Rate it',
      structured_output: true,
      output_schema: SCHEMA,
    });

    // Get Status / Get Output of a finished research, by its request ID.
    const later = await run(server, {
      items: 2,
      parameters: (i) => ({
        operation: i === 0 ? 'getStatus' : 'getOutput',
        requestId: markdown.requestId,
      }),
    });
    const [status, fetched] = json(later);
    expect(status).toMatchObject({
      requestId: markdown.requestId,
      status: 'COMPLETED',
      prompt: 'Compare vector databases',
    });
    expect(fetched).toEqual({
      requestId: markdown.requestId,
      conversationId: markdown.conversationId,
      status: 'COMPLETED',
      output: markdown.output,
    });
  });

  it('with waiting off, outputs the request id and status at once', async (test) => {
    const server = await fay(test, { jobDurationMs: 60_000 });
    const output = await run(server, {
      parameters: { operation: 'create', prompt: 'Long question', waitForCompletion: false },
    });
    const [created] = json(output);
    expect(created).toEqual({
      requestId: expect.any(String),
      status: 'PENDING',
      createdAt: expect.any(String),
    });
    expect(server.count('status')).toBe(0);
  });

  it('refuses bad input before any request: empty prompt, schema that is not JSON', async (test) => {
    const server = await fay(test);
    const empty = await rejection(
      run(server, { parameters: { operation: 'create', prompt: '  ' } }),
    );
    expect(empty).toBeInstanceOf(NodeOperationError);
    expect(empty.message).toMatch(/prompt is empty/);

    const badSchema = await rejection(
      run(server, {
        parameters: {
          operation: 'create',
          prompt: 'q',
          structuredOutput: true,
          outputSchema: '{ type: object',
        },
      }),
    );
    expect(badSchema).toBeInstanceOf(NodeOperationError);
    expect(badSchema.message).toMatch(/Output Schema is not valid JSON/);
    expect((badSchema as NodeOperationError).context.itemIndex).toBe(0);
    expect(server.count('create')).toBe(0);
  });

  it('runs items concurrently up to the limit, in input order', async (test) => {
    const server = await fay(test);
    // Items 0 and 1 wait for their answer; 2 and 3 only create (so the test waits one poll).
    const output = await run(server, {
      items: 4,
      parameters: (i) => ({
        operation: 'create',
        prompt: `Question ${i}`,
        waitForCompletion: i < 2,
        options: { concurrency: 2 },
      }),
    });

    const items = json(output);
    expect(items.slice(0, 2).map((item) => item.output)).toEqual(
      [0, 1].map((i) => expect.stringContaining(`Question ${i}`)),
    );
    expect(items.slice(2).map((item) => item.status)).toEqual(['PENDING', 'PENDING']);
    expect(output[0].map((item) => item.pairedItem)).toEqual(
      [0, 1, 2, 3].map((item) => ({ item })),
    );
    const prompts = server.requests
      .filter((r: RecordedRequest) => r.endpoint === 'create')
      .map((r) => (r.body as { prompt: string }).prompt);
    expect(new Set(prompts)).toEqual(new Set([0, 1, 2, 3].map((i) => `Question ${i}`)));
    // Overlap: the second item was created before the first one finished (its output call)…
    const log = server.requests.map((r: RecordedRequest) => r.endpoint);
    const creates = log.flatMap((endpoint, index) => (endpoint === 'create' ? [index] : []));
    const outputs = log.flatMap((endpoint, index) => (endpoint === 'output' ? [index] : []));
    expect(creates[1]).toBeLessThan(outputs[0]);
    // …but not more than 2 at once: the third item started only after one had finished.
    expect(creates[2]).toBeGreaterThan(outputs[0]);
  });
});

describe.concurrent('Fay node: status, output, stop', () => {
  it('stops a running research; stopping a finished one is a Fay error with its code', async (test) => {
    const server = await fay(test);
    const [created] = json(
      await run(server, {
        parameters: { operation: 'create', prompt: '[fay:never] q', waitForCompletion: false },
      }),
    );
    const [stopped] = json(
      await run(server, { parameters: { operation: 'stop', requestId: created.requestId } }),
    );
    expect(stopped).toEqual({
      requestId: created.requestId,
      status: 'STOPPED',
      message: expect.any(String),
    });
    expect(server.jobState(created.requestId as string)).toBe('STOPPED');

    const again = await rejection(
      run(server, { parameters: { operation: 'stop', requestId: created.requestId } }),
    );
    expect(again).toBeInstanceOf(NodeApiError);
    expect((again as NodeApiError).httpCode).toBe('400');
    expect((again as NodeApiError).description).toContain('CONVERSATION_ALREADY_COMPLETED');
  });

  it('reports an unknown request id (404) and a malformed one (before any request)', async (test) => {
    const server = await fay(test);
    const unknown = await rejection(
      run(server, { parameters: { operation: 'getOutput', requestId: UNKNOWN_ID } }),
    );
    expect(unknown).toBeInstanceOf(NodeApiError);
    expect((unknown as NodeApiError).httpCode).toBe('404');
    expect((unknown as NodeApiError).description).toContain('REQUEST_NOT_FOUND');

    const malformed = await rejection(
      run(server, { parameters: { operation: 'getStatus', requestId: 'abc' } }),
    );
    expect(malformed).toBeInstanceOf(NodeOperationError);
    expect(malformed.message).toMatch(/requestId must be the UUID/);
    expect(server.count('status')).toBe(0);
  });
});

describe.concurrent('Fay node: failures', () => {
  it('a rejected key fails with NodeApiError 401, and the key is nowhere in the error', async (test) => {
    const server = await fay(test);
    const badKey = 'fay_live_SECRET_should_not_leak_42';
    const error = await rejection(
      run(server, {
        apiKey: badKey,
        parameters: { operation: 'getStatus', requestId: UNKNOWN_ID },
      }),
    );

    expect(error).toBeInstanceOf(NodeApiError);
    expect((error as NodeApiError).httpCode).toBe('401');
    expect(error.message).toMatch(/Fay rejected the API key/);
    expect((error as NodeApiError).description).toContain('INVALID_API_KEY');
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${badKey}`); // it was sent…
    for (const text of [
      inspect(error, { depth: 20 }),
      JSON.stringify(error),
      String(error.stack),
    ]) {
      expect(text).not.toContain(badKey); // …but is never shown
    }
  });

  it('Continue on Fail: the failing item becomes a paired error item, the others finish', async (test) => {
    const server = await fay(test);
    const output = await run(server, {
      items: 3,
      continueOnFail: true,
      parameters: (i) =>
        i === 1
          ? { operation: 'getStatus', requestId: UNKNOWN_ID }
          : { operation: 'create', prompt: `Question ${i}`, waitForCompletion: false },
    });

    expect(output[0].map((item) => item.pairedItem)).toEqual([
      { item: 0 },
      { item: 1 },
      { item: 2 },
    ]);
    const [first, failed, last] = json(output);
    expect(first).toMatchObject({ status: 'PENDING' });
    expect(last).toMatchObject({ status: 'PENDING' });
    expect(failed).toEqual({
      error: expect.stringMatching(/Fay has no research/),
      code: 'REQUEST_NOT_FOUND',
      requestId: UNKNOWN_ID,
    });
  });

  it('without Continue on Fail, one failing item fails the node and stops its running siblings', async (test) => {
    const server = await fay(test);
    const error = await rejection(
      run(server, {
        items: 2,
        parameters: (i) => ({
          operation: 'create',
          prompt: i === 0 ? '[fay:never] sibling' : '[fay:fail] doomed',
        }),
      }),
    );
    expect(error).toBeInstanceOf(NodeApiError);
    expect(error.message).toMatch(/failed/);
    expect((error as NodeApiError).context.itemIndex).toBe(1);
    const [sibling, failed] = [...server.jobs.keys()];
    expect(server.jobState(failed)).toBe('FAILED');
    expect(server.jobState(sibling)).toBe('STOPPED');
  });

  it('a wait that runs out names the request id, says how to get the answer, and leaves the job running', async (test) => {
    const server = await fay(test);
    const error = await rejection(
      run(server, {
        parameters: { operation: 'create', prompt: '[fay:never] slow', maxWaitSeconds: 1 },
      }),
    );
    const [requestId] = [...server.jobs.keys()];

    expect(error).toBeInstanceOf(NodeOperationError);
    expect(error.message).toContain(requestId);
    expect(error.message).toMatch(/Get Output/);
    expect(error.message).toMatch(/Fay Trigger/);
    expect((error as NodeOperationError).description).toContain('WAIT_TIMEOUT');
    expect(server.jobState(requestId)).toBe('PROCESSING');
    expect(server.count('stop')).toBe(0);
  });

  it('cancelling the execution stops waiting at once and stops the Fay job', async (test) => {
    // Cancel while the node waits: right after its first status call has been answered.
    let polled!: () => void;
    const firstPoll = new Promise<void>((resolve) => (polled = resolve));
    const server = await fay(test, {
      onRequest: (request) => {
        if (request.endpoint === 'status') polled();
      },
    });
    const cancel = new AbortController();
    const execution = run(server, {
      cancelSignal: cancel.signal,
      parameters: { operation: 'create', prompt: '[fay:never] cancel me' },
    });
    await firstPoll;
    cancel.abort();

    const error = await rejection(execution);
    const [requestId] = [...server.jobs.keys()];
    expect(error).toBeInstanceOf(NodeOperationError);
    expect((error as NodeOperationError).description).toContain('ABORTED');
    // The next poll was 3 s away: cancelling ended the wait before it, and stopped the job.
    expect(server.count('status')).toBe(1);
    expect(server.count('stop')).toBe(1);
    expect(server.jobState(requestId)).toBe('STOPPED');
  });
});
