// Task methods under a Fay that hangs or rate-limits, over HTTP (each call holds one of the
// server's slots while it runs): tasks/get, tasks/result and tasks/cancel answer within
// FAY_CALL_WINDOW_SECONDS, in the words the tools use, and a cancel sends its stop even when the
// status read hangs.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { connectHttp, useHttpServer, type HttpSession } from '../support/mcp.ts';

const KEY = 'fay_window_key_Hc52nBq7';
const WINDOW_SECONDS = 3;
/** The client gives up after this: long past the window, well before the core's retries end. */
const CLIENT_TIMEOUT = { timeout: 20_000 };
const HANG = { endpoint: 'status', kind: 'slow', delayMs: 600_000, times: Infinity } as const;
const RATE_LIMITED = {
  endpoint: 'status',
  kind: 'rate-limit',
  delayMs: 59_000,
  times: Infinity,
} as const;
const local = useHttpServer(KEY, { FAY_CALL_WINDOW_SECONDS: String(WINDOW_SECONDS) });
let session: HttpSession;

beforeAll(async () => {
  session = await connectHttp(local.server.url, KEY);
});
afterEach(() => local.fay.clearFaults());
afterAll(() => session?.close());

/** A fay_research task on a job that never ends. */
async function startTask(): Promise<string> {
  const { task } = await session.client.request(
    {
      method: 'tools/call',
      params: { name: 'fay_research', arguments: { prompt: 'Hang [fay:never]' } },
    },
    CreateTaskResultSchema,
    { task: {} },
  );
  return task.taskId;
}

const notAnswering = (id: string) =>
  new RegExp(`Fay is not answering: no answer about research ${id} within ${WINDOW_SECONDS} s`);
const rateLimited = /Fay's rate limit was reached\. Retry after \d{4}-\d\d-\d\d \d\d:\d\d UTC\./;

describe('when Fay hangs', () => {
  it('tasks/get answers within the call window, naming the research', async () => {
    const id = await startTask();
    local.fay.injectFault(HANG);
    await expect(session.client.experimental.tasks.getTask(id, CLIENT_TIMEOUT)).rejects.toThrow(
      notAnswering(id),
    );
  }, 30_000);

  it('tasks/result answers within the call window, naming the research', async () => {
    const id = await startTask();
    local.fay.injectFault(HANG);
    await expect(
      session.client.experimental.tasks.getTaskResult(id, CallToolResultSchema, CLIENT_TIMEOUT),
    ).rejects.toThrow(notAnswering(id));
  }, 30_000);

  it('tasks/cancel sends its stop anyway and answers within the call window', async () => {
    const id = await startTask();
    local.fay.injectFault(HANG);
    const cancelled = await session.client.experimental.tasks.cancelTask(id, CLIENT_TIMEOUT);
    expect(local.fay.count('stop', { requestId: id })).toBe(1);
    expect(cancelled.status).toBe('cancelled');
    expect(local.fay.jobState(id)).toBe('STOPPED');
  }, 30_000);
});

describe('when Fay answers 429 with Retry-After: 59', () => {
  it('tasks/get answers at once with the date to retry after', async () => {
    const id = await startTask();
    local.fay.injectFault(RATE_LIMITED);
    await expect(session.client.experimental.tasks.getTask(id, CLIENT_TIMEOUT)).rejects.toThrow(
      rateLimited,
    );
    expect(local.fay.count('status', { requestId: id })).toBe(1);
  }, 30_000);

  it('tasks/result answers at once with the date to retry after', async () => {
    const id = await startTask();
    local.fay.injectFault(RATE_LIMITED);
    await expect(
      session.client.experimental.tasks.getTaskResult(id, CallToolResultSchema, CLIENT_TIMEOUT),
    ).rejects.toThrow(rateLimited);
  }, 30_000);
});
