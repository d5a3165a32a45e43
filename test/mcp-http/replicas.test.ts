// Two fay-mcp --http processes behind a round-robin loopback proxy (no stickiness): a task made
// through one replica is read, fetched and cancelled through the other; resources read anywhere.
// And isolation between keys: key B never reads, fetches or stops what key A started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema, CreateTaskResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  callTool,
  connectHttp,
  startHttpServer,
  startRoundRobinProxy,
  stateOf,
  textOf,
  type HttpServerProcess,
  type HttpSession,
  type RoundRobinProxy,
} from '../support/mcp.ts';

const KEY_A = 'fay_key_A_Ht5mWq81';
const KEY_B = 'fay_key_B_Lp04zRx7';
let fay: FayServer;
let replicas: HttpServerProcess[];
let proxy: RoundRobinProxy;
let a: HttpSession;
let b: HttpSession;

beforeAll(async () => {
  // Two accounts: Fay scopes each research to the account that started it.
  fay = await startFayServer({ apiKeys: [KEY_A], otherAccounts: [[KEY_B]] });
  replicas = await Promise.all([1, 2].map(() => startHttpServer({ FAY_BASE_URL: fay.url })));
  proxy = await startRoundRobinProxy(replicas.map((replica) => replica.url));
  a = await connectHttp(proxy.url, KEY_A);
  b = await connectHttp(proxy.url, KEY_B);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await proxy?.close();
  await Promise.all(replicas?.map((replica) => replica.stop()) ?? []);
  await fay?.close();
});

async function createTask(session: HttpSession, prompt: string) {
  const { task } = await session.client.request(
    { method: 'tools/call', params: { name: 'fay_research', arguments: { prompt } } },
    CreateTaskResultSchema,
    { task: { ttl: 60_000 } },
  );
  return task;
}

describe('across replicas', () => {
  it('tasks/get and tasks/result through either replica', async () => {
    const task = await createTask(a, 'Replicated [fay:duration=1500]');
    const hits = [...proxy.hits];
    const seen = await a.client.experimental.tasks.getTask(task.taskId);
    expect(seen.taskId).toBe(task.taskId);
    const result = await a.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(textOf(result)).toContain('# Research: Replicated');
    // Both replicas answered some of these requests.
    expect(proxy.hits[0]).toBeGreaterThan(hits[0]!);
    expect(proxy.hits[1]).toBeGreaterThan(hits[1]!);
  });

  it('tasks/cancel through the other replica stops the Fay job', async () => {
    const task = await createTask(a, 'Cancel me [fay:never]');
    const cancelled = await a.client.experimental.tasks.cancelTask(task.taskId);
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.createdAt).toBe(task.createdAt);
    expect(fay.jobs.get(task.taskId)?.stoppedAtMs).not.toBeNull();
    // Any replica now sees it cancelled, from Fay (round robin: two reads, two replicas).
    const reads = [];
    for (let i = 0; i < 2; i++) reads.push(await a.client.experimental.tasks.getTask(task.taskId));
    expect(reads.map((read) => read.status)).toEqual(['cancelled', 'cancelled']);
  });

  it('resources/read on every replica', async () => {
    const { request_id: id } = stateOf(await callTool(a, 'fay_start_research', { prompt: 'R' }));
    for (let i = 0; i < 2; i++) {
      const read = await a.client.readResource({ uri: `fay://research/${id}` });
      expect(read.contents[0]?.uri).toBe(`fay://research/${id}`);
    }
  });
});

describe('isolation between keys', () => {
  it("key B never reads, fetches or stops key A's research or task", async () => {
    const task = await createTask(a, 'A only [fay:never]');
    const id = task.taskId;
    await expect(b.client.experimental.tasks.getTask(id)).rejects.toThrow(/not found/i);
    await expect(
      b.client.experimental.tasks.getTaskResult(id, CallToolResultSchema),
    ).rejects.toThrow(/not found/i);
    await expect(b.client.experimental.tasks.cancelTask(id)).rejects.toThrow(/not found/i);
    const got = await callTool(b, 'fay_get_research', { request_id: id });
    expect(got.isError).toBe(true);
    expect(JSON.stringify(got)).not.toContain('A only');
    const stopped = await callTool(b, 'fay_stop_research', { request_id: id });
    expect(stopped.isError).toBe(true);
    await expect(b.client.readResource({ uri: `fay://research/${id}` })).rejects.toThrow();
    // The research keeps running, and A still has it.
    expect(fay.jobs.get(id)?.stoppedAtMs).toBeNull();
    expect((await a.client.experimental.tasks.getTask(id)).status).toBe('working');
    await a.client.experimental.tasks.cancelTask(id);
  });
});
