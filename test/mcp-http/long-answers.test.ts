// Long answers in parts over Streamable HTTP: one replica, then two behind a round-robin proxy
// (no stickiness). Every result stays under the limit, the parts join back exactly, and a replica
// that never saw the answer pays at most one more status and one more output call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { longMarkdown } from '../support/fay-server/long-output.ts';
import { partsOf, readAllParts, untilCompleted } from '../support/long-answers.ts';
import {
  callTool,
  connectHttp,
  startHttpServer,
  startRoundRobinProxy,
  type HttpServerProcess,
  type HttpSession,
  type RoundRobinProxy,
} from '../support/mcp.ts';

const KEY = 'fay_key_parts_Qm72Lx0';
let fay: FayServer;
let replicas: HttpServerProcess[];
let proxy: RoundRobinProxy;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  replicas = await Promise.all([1, 2].map(() => startHttpServer({ FAY_BASE_URL: fay.url })));
  proxy = await startRoundRobinProxy(replicas.map((replica) => replica.url));
});
afterAll(async () => {
  await proxy?.close();
  await Promise.all(replicas?.map((replica) => replica.stop()) ?? []);
  await fay?.close();
});

async function readThrough(session: HttpSession, prompt: string) {
  const started = await callTool(session, 'fay_start_research', { prompt });
  const id = partsOf(started).request_id;
  await untilCompleted(fay, id);
  const first: CallToolResult = await callTool(session, 'fay_get_research', { request_id: id });
  const all = await readAllParts(session.client, id, partsOf(first).parts, first);
  return { id, all, parts: partsOf(first).parts };
}

describe('long answers over HTTP', () => {
  it('one replica: every part within the limit, exact join, one status and one output', async () => {
    const session = await connectHttp(replicas[0]!.url, KEY);
    try {
      const prompt = 'HTTP report [fay:long=1400000] [fay:duration=50]';
      const { id, all, parts } = await readThrough(session, prompt);
      expect(parts).toBeGreaterThanOrEqual(20);
      expect(all.join('')).toBe(longMarkdown(prompt, 1_400_000));
      expect(fay.count('status', { requestId: id })).toBe(1);
      expect(fay.count('output', { requestId: id })).toBe(1);
    } finally {
      await session.close();
    }
  });

  it('two replicas, round robin: at most one more status and output call', async () => {
    const session = await connectHttp(proxy.url, KEY);
    try {
      const prompt = 'Replicated report [fay:long=1400000] [fay:duration=50]';
      const { id, all } = await readThrough(session, prompt);
      expect(all.join('')).toBe(longMarkdown(prompt, 1_400_000));
      expect(proxy.hits.every((hits) => hits > 0)).toBe(true);
      expect(fay.count('status', { requestId: id })).toBeLessThanOrEqual(2);
      expect(fay.count('output', { requestId: id })).toBeLessThanOrEqual(2);
    } finally {
      await session.close();
    }
  });

  it('another key never reads the answer another key brought into a replica', async () => {
    // Fay scopes jobs per account; the kept copy must not let a second account read it.
    const other = await startFayServer({ apiKeys: [KEY], otherAccounts: [['fay_other_Zk81']] });
    const replica = await startHttpServer({ FAY_BASE_URL: other.url });
    const owner = await connectHttp(replica.url, KEY);
    const stranger = await connectHttp(replica.url, 'fay_other_Zk81');
    try {
      const started = await callTool(owner, 'fay_start_research', {
        prompt: 'Private [fay:long=200000] [fay:duration=50]',
      });
      const id = partsOf(started).request_id;
      await untilCompleted(other, id);
      expect((await callTool(owner, 'fay_get_research', { request_id: id })).isError).toBeFalsy();
      const denied = await callTool(stranger, 'fay_get_research', { request_id: id, part: 2 });
      expect(denied.isError).toBe(true);
      expect(JSON.stringify(denied)).not.toContain('# Research report');
    } finally {
      await owner.close();
      await stranger.close();
      await replica.stop();
      await other.close();
    }
  });
});
