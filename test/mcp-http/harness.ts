// Test harness for fay-mcp --http: spawns the BUILT bin as a process (port 0, read back from its
// "listening on" line), talks to it with the SDK's Client over StreamableHTTPClientTransport, and
// offers a round-robin loopback proxy to put two replicas behind one URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, onTestFinished } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { BIN } from '../mcp/harness.ts';

export { BIN };

export interface HttpServerProcess {
  url: string;
  child: ChildProcess;
  stderr(): string;
  /** Resolves once the server has written `text` to stderr. */
  printed(text: string): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

/**
 * Starts `fay-mcp --http` with `env` (nothing inherited but PATH) and `args` (default
 * `--port 0`: a free port, read back from the "listening on" line).
 */
export async function startHttpServer(
  env: Record<string, string>,
  args: string[] = ['--port', '0'],
): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [BIN, '--http', ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (found) resolve(found[1]!);
    });
    void exited.then((code) => reject(new Error(`fay-mcp exited (${code}): ${stderr}`)));
  });
  return {
    url,
    child,
    stderr: () => stderr + (stdout ? `\n[stdout] ${stdout}` : ''),
    printed: (text) =>
      new Promise<void>((resolve) => {
        const check = () => {
          if (!stderr.includes(text)) return;
          child.stderr.off('data', check);
          resolve();
        };
        child.stderr.on('data', check);
        check();
      }),
    exited,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

export interface HttpSession {
  client: Client;
  close(): Promise<void>;
}

/** An SDK client on `url`, sending `Authorization: Bearer <bearer>` when given. */
export async function connectHttp(url: string, bearer?: string): Promise<HttpSession> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: bearer ? { headers: { authorization: `Bearer ${bearer}` } } : undefined,
  });
  const client = new Client({ name: 'fay-mcp-http-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

export async function callTool(
  session: HttpSession,
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

export interface RoundRobinProxy {
  url: string;
  /** How many requests each upstream got. */
  hits: number[];
  close(): Promise<void>;
}

/** A loopback reverse proxy sending each request to the next upstream in turn (no stickiness). */
export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const hits = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    const index = next++ % upstreams.length;
    hits[index]! += 1;
    const target = new URL(upstreams[index]!);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: req.url,
        method: req.method,
        headers: { ...req.headers, host: target.host },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    hits,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A raw POST to the MCP endpoint (for status codes the SDK client hides). */
export async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal,
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      ...headers,
    },
    body,
  });
}

export const LIST_TOOLS = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });

/** A raw TCP connection to the server of `url`: for clients no HTTP library would imitate. */
export interface RawConnection {
  socket: Socket;
  /** Everything the server sent so far. */
  received(): string;
  /** Resolves when the server (or the network) closed the connection. */
  closed: Promise<void>;
}

/** Opens a raw connection to the host and port of `url`; destroyed when the test ends. */
export async function rawConnection(url: string): Promise<RawConnection> {
  const { hostname, port } = new URL(url);
  const socket = netConnect({ host: hostname, port: Number(port) });
  let received = '';
  socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  onTestFinished(() => {
    socket.destroy();
  });
  return { socket, received: () => received, closed };
}

/** The head of an HTTP/1.1 POST to `url` announcing a body of `contentLength` bytes. */
export function postHead(
  url: string,
  contentLength: number,
  headers: Record<string, string> = {},
): string {
  const { host, pathname } = new URL(url);
  const lines = Object.entries({
    host,
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'content-length': String(contentLength),
    ...headers,
  }).map(([name, value]) => `${name}: ${value}`);
  return `POST ${pathname} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

/** Writes `chunk` on `connection` every `everyMs` until it closes (a trickling client). */
export function trickle(connection: RawConnection, chunk: string, everyMs: number): void {
  const timer = setInterval(() => connection.socket.write(chunk), everyMs);
  void connection.closed.then(() => clearInterval(timer));
  onTestFinished(() => clearInterval(timer));
}

export interface LocalHttp {
  fay: FayServer;
  server: HttpServerProcess;
}

/** A local Fay server accepting `key`, and `fay-mcp --http` on it with `env`, for the whole file. */
export function useHttpServer(key: string, env: Record<string, string> = {}): LocalHttp {
  const local = {} as LocalHttp;
  beforeAll(async () => {
    local.fay = await startFayServer({ apiKeys: [key] });
    local.server = await startHttpServer({ FAY_BASE_URL: local.fay.url, ...env });
  });
  afterAll(async () => {
    await local.server?.stop();
    await local.fay?.close();
  });
  return local;
}
