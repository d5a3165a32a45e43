// Test harness for fay-mcp --http: spawns the BUILT bin as a process (port 0, read back from its
// "listening on" line), talks to it with the SDK's Client over StreamableHTTPClientTransport, and
// offers a round-robin loopback proxy to put two replicas behind one URL.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
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
  /**
   * Adds upstreams: a proxy started with none has its URL before the servers behind it start
   * (they need it as their public URL). Until then it answers 502.
   */
  add(...upstreams: string[]): void;
  close(): Promise<void>;
}

/** A loopback reverse proxy sending each request to the next upstream in turn (no stickiness). */
export async function startRoundRobinProxy(upstreams: string[] = []): Promise<RoundRobinProxy> {
  upstreams = [...upstreams];
  const hits = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer((req, res) => {
    if (upstreams.length === 0) {
      res.writeHead(502).end();
      return;
    }
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
    add(...more) {
      upstreams.push(...more);
      hits.push(...more.map(() => 0));
    },
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
