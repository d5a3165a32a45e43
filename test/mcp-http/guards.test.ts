// Who may call, and the limits: 401 with WWW-Authenticate, server-held tokens (the Fay key itself
// refused), Origin and Host checks (403), the start refusal on a public host, 413, the cap of
// requests in flight, and SIGTERM during a call.
import { spawn } from 'node:child_process';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  builtBin,
  callTool,
  connectHttp,
  LIST_TOOLS,
  post,
  startHttpServer,
  stateOf,
  textOf,
  type HttpServerProcess,
} from '../support/mcp.ts';

const KEY = 'fay_guard_key_Bn61pTx2';
const TOKEN = 'team-token-9f3a';
let fay: FayServer;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
});
afterAll(() => fay?.close());

describe('bring your own key', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await startHttpServer({
      FAY_BASE_URL: fay.url,
      FAY_MCP_ALLOWED_ORIGINS: 'https://app.example',
    });
  });
  afterAll(() => server?.stop());

  it('401 with WWW-Authenticate: Bearer without a key', async () => {
    const response = await post(server.url, LIST_TOOLS);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await response.text()).toContain('Authorization: Bearer');
  });

  it('401 for a key too short to be real, before anything is redacted or sent to Fay', async () => {
    const response = await post(server.url, LIST_TOOLS, { authorization: 'Bearer e' });
    expect(response.status).toBe(401);
    const body = await response.text();
    expect(body).toMatch(/is too short to be a Fay API key/);
    expect(body).not.toContain('[redacted]');
    expect(fay.calls({ apiKey: 'e' })).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
  });

  it('403 for an Origin not allowed; an allowed Origin and no Origin are served', async () => {
    const auth = { authorization: `Bearer ${KEY}` };
    expect(
      (await post(server.url, LIST_TOOLS, { ...auth, origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(
      (await post(server.url, LIST_TOOLS, { ...auth, origin: 'https://app.example' })).status,
    ).toBe(200);
    expect((await post(server.url, LIST_TOOLS, auth)).status).toBe(200);
  });

  it('CORS for an allowed Origin: the preflight passes and the answer carries the origin', async () => {
    const origin = 'https://app.example';
    const preflight = await fetch(server.url, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type, mcp-protocol-version',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toMatch(
      /authorization.*content-type.*mcp-protocol-version/,
    );
    const answer = await post(server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}`, origin });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe(origin);
    // A 401's WWW-Authenticate is readable by the page (how a browser client finds sign-in).
    const unauthorized = await post(server.url, LIST_TOOLS, { origin });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-expose-headers')).toMatch(/www-authenticate/i);
    const refused = await fetch(server.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('403 for a Host that is not loopback (DNS rebinding)', async () => {
    // fetch will not send a forged Host: speak HTTP/1.1 by hand.
    const { request } = await import('node:http');
    const url = new URL(server.url);
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          path: '/mcp',
          method: 'POST',
          headers: {
            host: 'rebound.example:80',
            authorization: `Bearer ${KEY}`,
            'content-type': 'application/json',
            accept: 'application/json, text/event-stream',
          },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode);
        },
      );
      req.on('error', reject);
      req.end(LIST_TOOLS);
    });
    expect(status).toBe(403);
  });

  it('413 for a body over 1 MB: nothing reaches Fay, the server stays up', async () => {
    const key = fay.openAccount();
    const prompt = 'x'.repeat(1_100_000);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'fay_start_research', arguments: { prompt } },
    });
    const response = await post(server.url, body, { authorization: `Bearer ${key}` });
    expect(response.status).toBe(413);
    expect(fay.calls({ apiKey: key })).toEqual({ create: 0, status: 0, output: 0, stop: 0 });
    expect((await post(server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}` })).status).toBe(
      200,
    );
  });
});

describe('starting', () => {
  it('listens on PORT when --port is absent', async () => {
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise((resolve) => probe.close(resolve));
    const server = await startHttpServer({ FAY_BASE_URL: fay.url, PORT: String(port) }, []);
    try {
      expect(server.url).toBe(`http://127.0.0.1:${port}/mcp`);
    } finally {
      await server.stop();
    }
  });
});

describe('server-held key', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await startHttpServer({
      FAY_API_KEY: KEY,
      FAY_BASE_URL: fay.url,
      FAY_MCP_TOKEN: `old-token, ${TOKEN}`,
    });
  });
  afterAll(() => server?.stop());

  it('takes any token of FAY_MCP_TOKEN; refuses a wrong one and the Fay key itself', async () => {
    for (const bearer of [TOKEN, 'old-token']) {
      expect(
        (await post(server.url, LIST_TOOLS, { authorization: `Bearer ${bearer}` })).status,
      ).toBe(200);
    }
    for (const bearer of ['wrong', KEY]) {
      const response = await post(server.url, LIST_TOOLS, { authorization: `Bearer ${bearer}` });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
    // The token never reaches Fay: calls go out with the server's key.
    const session = await connectHttp(server.url, TOKEN);
    const started = await callTool(session, 'fay_start_research', { prompt: 'Held key' });
    expect(started.isError).toBeFalsy();
    await session.close();
    expect(server.stderr()).not.toContain(TOKEN);
    expect(server.stderr()).not.toContain(KEY);
  });

  it('refuses to start on a public host without FAY_MCP_TOKEN, naming it', async () => {
    const child = spawn(
      process.execPath,
      [builtBin(), '--http', '--host', '0.0.0.0', '--port', '0'],
      {
        env: { PATH: process.env.PATH ?? '', FAY_API_KEY: KEY },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('FAY_MCP_TOKEN');
    expect(stderr).not.toContain(KEY);
  });
});

describe('limits', () => {
  it('past FAY_MCP_MAX_CALLS_IN_FLIGHT: a clear, retryable 503', async () => {
    const server = await startHttpServer({
      FAY_BASE_URL: fay.url,
      FAY_MCP_MAX_CALLS_IN_FLIGHT: '1',
    });
    const session = await connectHttp(server.url, KEY);
    try {
      let started!: () => void;
      const inFlight = new Promise<void>((resolve) => (started = resolve));
      const long = session.client.callTool(
        { name: 'fay_research', arguments: { prompt: 'Busy [fay:duration=1500]' } },
        undefined,
        { onprogress: () => started() },
      );
      await inFlight;
      const response = await post(server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}` });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('1');
      expect(await response.text()).toMatch(
        /busy: 1 requests in flight \(FAY_MCP_MAX_CALLS_IN_FLIGHT\)\. Retry/,
      );
      expect(textOf((await long) as never)).toContain('# Research: Busy');
    } finally {
      await session.close();
      await server.stop();
    }
  });

  it('SIGTERM during a call: the call hands back its request_id at once, the process exits 0, the job is not stopped', async () => {
    const server = await startHttpServer({ FAY_BASE_URL: fay.url });
    const session = await connectHttp(server.url, KEY);
    const progress: Progress[] = [];
    let signalled!: () => void;
    const sent = new Promise<void>((resolve) => (signalled = resolve));
    const call = session.client.callTool(
      { name: 'fay_research', arguments: { prompt: 'Draining [fay:duration=2000]' } },
      undefined,
      {
        onprogress: (p) => {
          progress.push(p);
          if (progress.length === 1) {
            server.child.kill('SIGTERM');
            signalled();
          }
        },
      },
    );
    await sent;
    await server.printed('shutting down');
    // No new requests: the port is closed (or, on a kept-alive connection, 503).
    const late = await post(server.url, LIST_TOOLS, { authorization: `Bearer ${KEY}` }).then(
      (response) => response.status,
      () => 'refused',
    );
    expect([503, 'refused']).toContain(late);
    const result = (await call) as never;
    expect(textOf(result)).toMatch(/Call fay_get_research with request_id "[0-9a-f-]{36}"/);
    expect(await server.exited).toBe(0);
    expect(fay.calls({ requestId: stateOf(result).request_id }).stop).toBe(0);
    await session.close().catch(() => {});
  });
});
