// Slow and idle clients against fay-mcp --http, over raw sockets: bodies and headers that trickle,
// idle keep-alive connections, and more connections than the server takes. An attacker needs no
// valid key for any of this (any bearer of 8+ characters reaches the body in bring-your-own-key
// mode), so none of it may lock real clients out or hold a socket for long.
import { describe, expect, it } from 'vitest';
import {
  LIST_TOOLS,
  post,
  postHead,
  rawConnection,
  trickle,
  useHttpServer,
} from '../support/mcp.ts';

const KEY = 'fay_slow_key_Tr84qWm1';
const ATTACKER = { authorization: 'Bearer not-a-key-but-long-enough' };
const MAX_IN_FLIGHT = 4;
/** Connections the server takes at once: 4 per call it may handle (docs/mcp.md). */
const MAX_CONNECTIONS = 4 * MAX_IN_FLIGHT;
const local = useHttpServer(KEY, { FAY_MCP_MAX_CALLS_IN_FLIGHT: String(MAX_IN_FLIGHT) });

/** Lets the server read what was just written on other sockets. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

describe('slow bodies', () => {
  it('take no slot: with FAY_MCP_MAX_CALLS_IN_FLIGHT bodies trickling in, a real client is answered', async () => {
    const attackers = await Promise.all(
      Array.from({ length: MAX_IN_FLIGHT }, () => rawConnection(local.server.url)),
    );
    for (const attacker of attackers)
      attacker.socket.write(`${postHead(local.server.url, 4096, ATTACKER)}{`);
    await settle();
    const response = await post(local.server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}` });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('fay_research');
  });

  it('are cut off by the request timeout: 408, then the connection is closed', async () => {
    const attacker = await rawConnection(local.server.url);
    attacker.socket.write(`${postHead(local.server.url, 4096, ATTACKER)}{`);
    trickle(attacker, ' ', 1_000);
    await attacker.closed;
    expect(attacker.received()).toMatch(/^HTTP\/1\.1 408 /);
    // Cut off is not a failure of ours: nothing is logged.
    expect(local.server.stderr()).not.toContain('fay-mcp error');
  }, 60_000);
});

describe('slow headers', () => {
  it('are cut off by the headers timeout: 408, then the connection is closed', async () => {
    const attacker = await rawConnection(local.server.url);
    attacker.socket.write(`POST /mcp HTTP/1.1\r\nhost: ${new URL(local.server.url).host}\r\n`);
    trickle(attacker, 'x-padding: 1\r\n', 1_000);
    await attacker.closed;
    expect(attacker.received()).toMatch(/^HTTP\/1\.1 408 /);
  }, 45_000);
});

describe('connections', () => {
  it('an idle keep-alive connection is closed by the server', async () => {
    const client = await rawConnection(local.server.url);
    client.socket.write(
      postHead(local.server.url, Buffer.byteLength(LIST_TOOLS), {
        authorization: `Bearer ${KEY}`,
      }) + LIST_TOOLS,
    );
    await client.closed;
    expect(client.received()).toMatch(/^HTTP\/1\.1 200 /);
  }, 30_000);

  it(`past ${MAX_CONNECTIONS} connections, a new one is closed unanswered; once they go, clients are served`, async () => {
    const held = await Promise.all(
      Array.from({ length: MAX_CONNECTIONS }, () => rawConnection(local.server.url)),
    );
    await settle();
    const extra = await rawConnection(local.server.url);
    extra.socket.write(
      postHead(local.server.url, Buffer.byteLength(LIST_TOOLS), {
        authorization: `Bearer ${KEY}`,
      }) + LIST_TOOLS,
    );
    await extra.closed;
    expect(extra.received()).toBe('');
    for (const connection of held) connection.socket.destroy();
    await settle();
    expect(
      (await post(local.server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}` })).status,
    ).toBe(200);
  }, 30_000);
});
