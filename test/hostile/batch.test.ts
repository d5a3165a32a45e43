// JSON-RPC batches against fay-mcp --http: MCP dropped batching in 2025-06-18, so a client
// speaking that version or later (its mcp-protocol-version header) gets its batch refused before
// anything runs; where a batch is still accepted (2025-03-26, the version assumed without the
// header), every call in it counts against FAY_MCP_MAX_CALLS_IN_FLIGHT.
import { describe, expect, it } from 'vitest';
import { connectHttp, post, useHttpServer } from '../support/mcp.ts';

const KEY = 'fay_batch_key_Ys28mFe5';
const AUTH = { authorization: `Bearer ${KEY}` };
const MAX_IN_FLIGHT = 4;
const local = useHttpServer(KEY, { FAY_MCP_MAX_CALLS_IN_FLIGHT: String(MAX_IN_FLIGHT) });

/** A batch of `size` fay_start_research calls: each one a billed create if it runs. */
const batchOf = (size: number) =>
  JSON.stringify(
    Array.from({ length: size }, (_, index) => ({
      jsonrpc: '2.0',
      id: index + 1,
      method: 'tools/call',
      params: { name: 'fay_start_research', arguments: { prompt: `Batched ${index}` } },
    })),
  );

describe('a client speaking 2025-06-18 or later', () => {
  it.each(['2025-06-18', '2025-11-25'])(
    '%s: a batch of 100 creates is refused with 400; nothing reaches Fay',
    async (version) => {
      const creates = local.fay.count('create');
      const response = await post(local.server.url, batchOf(100), {
        ...AUTH,
        'mcp-protocol-version': version,
      });
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/batch/i);
      expect(local.fay.count('create')).toBe(creates);
    },
  );
});

describe('a client speaking 2025-03-26 (no mcp-protocol-version header)', () => {
  it(`a batch of ${MAX_IN_FLIGHT + 1} calls can never fit FAY_MCP_MAX_CALLS_IN_FLIGHT: 400, nothing reaches Fay`, async () => {
    const creates = local.fay.count('create');
    const response = await post(local.server.url, batchOf(MAX_IN_FLIGHT + 1), AUTH);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(`FAY_MCP_MAX_CALLS_IN_FLIGHT (${MAX_IN_FLIGHT})`);
    expect(local.fay.count('create')).toBe(creates);
  });

  it(`with one call in flight, a batch of ${MAX_IN_FLIGHT} is past the cap: 503, nothing reaches Fay`, async () => {
    const session = await connectHttp(local.server.url, KEY);
    let started!: () => void;
    const inFlight = new Promise<void>((resolve) => (started = resolve));
    const long = session.client.callTool(
      { name: 'fay_research', arguments: { prompt: 'Holding a slot [fay:duration=1500]' } },
      undefined,
      { onprogress: () => started() },
    );
    await inFlight;
    const creates = local.fay.count('create');
    const response = await post(local.server.url, batchOf(MAX_IN_FLIGHT), AUTH);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(local.fay.count('create')).toBe(creates);
    await long;
    await session.close();
  });

  it(`a batch of ${MAX_IN_FLIGHT} calls on an idle server is served, each call answered`, async () => {
    const creates = local.fay.count('create');
    const response = await post(local.server.url, batchOf(MAX_IN_FLIGHT), AUTH);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (let id = 1; id <= MAX_IN_FLIGHT; id++) expect(text).toContain(`"id":${id}`);
    expect(local.fay.count('create')).toBe(creates + MAX_IN_FLIGHT);
  });
});
