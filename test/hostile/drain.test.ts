// SIGTERM on fay-mcp --http with calls in flight (a real signal to the built server): every wait
// answers at once as when its window ends, with the request_id and what to call next; the process
// exits once those answers are out; until then new requests get 503 with Retry-After and /healthz
// says draining. Shutting down never stops a research.
import { request, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  callTool,
  connectHttp,
  LIST_TOOLS,
  startHttpServer,
  stateOf,
  textOf,
} from '../support/mcp.ts';

const KEY = 'fay_drain_key_Lp37sKd9';
const AUTH = { authorization: `Bearer ${KEY}` };
/** Under the default 30 s grace: an answer before it came from the drain, not the grace's end. */
const CLIENT_TIMEOUT = { timeout: 20_000 };
let fay: FayServer;

/** One request on a connection of its own. */
function onNewConnection(url: string, method: string, body?: string) {
  return new Promise<{ status?: number; headers: IncomingHttpHeaders; body: string }>(
    (resolve, reject) => {
      const req = request(
        url,
        {
          method,
          agent: false,
          headers: {
            ...AUTH,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => (text += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode, headers: res.headers, body: text }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
});
afterAll(() => fay?.close());

it('fay_research in flight answers at once with its request_id and fay_get_research; exit 0', async () => {
  const server = await startHttpServer({ FAY_BASE_URL: fay.url });
  const session = await connectHttp(server.url, KEY);
  let signalled = false;
  const signal = () => {
    if (!signalled) server.child.kill('SIGTERM');
    signalled = true;
  };
  const call = session.client.callTool(
    { name: 'fay_research', arguments: { prompt: 'Long [fay:never]' } },
    undefined,
    { ...CLIENT_TIMEOUT, onprogress: signal },
  );
  const result = (await call) as never;
  const { request_id: id, status } = stateOf(result);
  expect(status).toMatch(/^(PENDING|PROCESSING)$/);
  expect(textOf(result)).toContain(`fay_get_research with request_id "${id}"`);
  expect(await server.exited).toBe(0);
  expect(fay.count('stop')).toBe(0);
  expect(fay.jobState(id)).toMatch(/^(PENDING|PROCESSING)$/);
  await session.close().catch(() => {});
}, 30_000);

it('tasks/result in flight answers at once with the request_id and what to call next; exit 0', async () => {
  const server = await startHttpServer({ FAY_BASE_URL: fay.url });
  const session = await connectHttp(server.url, KEY);
  const { task } = await session.client.request(
    {
      method: 'tools/call',
      params: { name: 'fay_research', arguments: { prompt: 'Task [fay:never]' } },
    },
    CreateTaskResultSchema,
    { task: {} },
  );
  const statusReads = fay.count('status');
  const waiting = session.client.experimental.tasks.getTaskResult(
    task.taskId,
    CallToolResultSchema,
    CLIENT_TIMEOUT,
  );
  // The wait has begun once it has read the task from Fay.
  while (fay.count('status') === statusReads)
    await new Promise((resolve) => setTimeout(resolve, 50));
  server.child.kill('SIGTERM');
  const error = await waiting.then(
    () => undefined,
    (reason: Error) => reason,
  );
  expect(error?.message).toContain(`fay_get_research with request_id "${task.taskId}"`);
  expect(await server.exited).toBe(0);
  expect(fay.jobState(task.taskId)).toMatch(/^(PENDING|PROCESSING)$/);
  await session.close().catch(() => {});
}, 30_000);

it('while a call finishes: new requests get 503 with Retry-After, /healthz says draining', async () => {
  const server = await startHttpServer({ FAY_BASE_URL: fay.url });
  const session = await connectHttp(server.url, KEY);
  fay.injectFault({ endpoint: 'create', kind: 'slow', delayMs: 3_000 });
  const creates = fay.count('create');
  const starting = callTool(session, 'fay_start_research', { prompt: 'Slow create' });
  while (fay.count('create') === creates) await new Promise((resolve) => setTimeout(resolve, 50));
  server.child.kill('SIGTERM');
  await server.printed('shutting down');
  // On new connections: a kept-alive one may be closing as the drain began.
  const late = await onNewConnection(server.url, 'POST', LIST_TOOLS);
  expect(late.status).toBe(503);
  expect(late.headers['retry-after']).toMatch(/^\d+$/);
  const health = await onNewConnection(new URL('/healthz', server.url).href, 'GET');
  expect(JSON.parse(health.body)).toMatchObject({ status: 'draining' });
  // The create in flight is answered (a lost answer would leave an unknown, billed job).
  const started = await starting;
  expect(started.isError).toBeFalsy();
  expect(await server.exited).toBe(0);
  await session.close().catch(() => {});
}, 30_000);
