// Outbound proxy: with HTTPS_PROXY set, calls to Fay go through a local CONNECT proxy, over stdio
// and over HTTP alike; NO_PROXY bypasses it. Fay is reached over TLS (a TLS front for the local
// Fay server with a throwaway certificate, trusted through NODE_EXTRA_CA_CERTS).
import http, { createServer as createHttpServer, request, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { startLoopbackHttps, type LoopbackHttpsServer } from '../support/loopback-https.ts';
import { callTool, connectHttp, connectStdio, startHttpServer, stateOf } from '../support/mcp.ts';

const KEY = 'fay_proxy_key_Jm40cXe8';
let fay: FayServer;
let front: LoopbackHttpsServer;
let proxy: Server;
let fayUrl: string;
let proxyUrl: string;
const tunnels: string[] = [];

const listen = (server: Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)),
  );

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  const target = new URL(fay.url);
  // The TLS front: HTTPS in, the local Fay server's HTTP out.
  front = await startLoopbackHttps((req, res) => {
    const upstream = request(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(upstream);
  });
  fayUrl = `https://localhost:${new URL(front.origin).port}`;
  // The CONNECT proxy: records each tunnel's target, then pipes bytes.
  proxy = createHttpServer();
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = netConnect(Number(port), host === 'localhost' ? '127.0.0.1' : host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});

afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise((resolve) => proxy?.close(resolve));
  await front?.close();
  await fay?.close();
});

// Node ≥ 24.14 lets the server turn the proxy on by itself; on Node 22 (npm run test:node22) the
// documented setting is NODE_USE_ENV_PROXY=1, which Node reads at start.
const nodeAppliesProxyItself =
  typeof (http as { setGlobalProxyFromEnv?: unknown }).setGlobalProxyFromEnv === 'function';

const env = (extra: Record<string, string> = {}) => ({
  FAY_BASE_URL: fayUrl,
  HTTPS_PROXY: proxyUrl,
  NODE_EXTRA_CA_CERTS: front.caFile,
  ...(nodeAppliesProxyItself ? {} : { NODE_USE_ENV_PROXY: '1' }),
  ...extra,
});

/** Starts one research through a stdio server with `serverEnv`; it must succeed. */
async function startOverStdio(serverEnv: Record<string, string>, prompt: string): Promise<void> {
  const session = await connectStdio(serverEnv);
  try {
    const started = await session.client.callTool({
      name: 'fay_start_research',
      arguments: { prompt },
    });
    expect(started.isError).toBeFalsy();
  } finally {
    await session.close();
  }
}

it('over stdio: calls to Fay go through HTTPS_PROXY (a CONNECT tunnel to the Fay host)', async () => {
  const before = tunnels.length;
  const key = fay.openAccount();
  await startOverStdio(env({ FAY_API_KEY: key }), 'Through the proxy');
  expect(tunnels.slice(before)).toContain(`localhost:${new URL(fayUrl).port}`);
  expect(fay.calls({ apiKey: key }).create).toBe(1);
});

it('over HTTP: the same, for a client sending its own key', async () => {
  const before = tunnels.length;
  const server = await startHttpServer(env());
  const session = await connectHttp(server.url, KEY);
  try {
    const started = await callTool(session, 'fay_start_research', { prompt: 'Proxied HTTP' });
    const got = await callTool(session, 'fay_get_research', {
      request_id: stateOf(started).request_id,
    });
    expect(got.isError).toBeFalsy();
  } finally {
    await session.close();
    await server.stop();
  }
  expect(tunnels.slice(before)).toContain(`localhost:${new URL(fayUrl).port}`);
});

it('NO_PROXY bypasses the proxy', async () => {
  const before = tunnels.length;
  const key = fay.openAccount();
  await startOverStdio(env({ FAY_API_KEY: key, NO_PROXY: 'localhost' }), 'Direct');
  expect(fay.calls({ apiKey: key }).create).toBe(1);
  expect(tunnels.length).toBe(before);
});
