// The one MCP test harness. The server as a process: the BUILT bin (dist/mcp/bin.js, as a client
// spawns it) driven by the SDK's own Client over stdio, by raw bytes on its stdin, or started with
// --http and driven over Streamable HTTP. Importing this file registers no hook: what a helper
// cleans up is registered by calling it (onTestFinished inside a test; useLocalFay's hooks at the
// top of a file).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect, onTestFinished } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type Endpoint, type FayServer } from './fay-server.ts';

export const BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));
/** Distinctive, so any leak of it is visible. */
export const API_KEY = 'fay_mcp_secret_Zq81xLw0';

/** The built bin; throws a clear error when the build is missing. */
export function builtBin(): string {
  if (!existsSync(BIN)) {
    throw new Error(`${BIN} is missing: build first (npm run build).`);
  }
  return BIN;
}

export function serverEnv(baseUrl: string, extra: Record<string, string> = {}) {
  return { FAY_API_KEY: API_KEY, FAY_BASE_URL: baseUrl, ...extra };
}

// ---------------------------------------------------------------------------------------------
// stdio, through the SDK client

export interface Session {
  client: Client;
  /** Every JSON-RPC message the client received, in order. */
  received: JSONRPCMessage[];
  stderr(): string;
  close(): Promise<void>;
}

/** The bin spawned with `env` (nothing else inherited) and an SDK client on it; the caller closes it. */
export async function connectStdio(env: Record<string, string>): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [builtBin()],
    env,
    stderr: 'pipe',
  });
  const received: JSONRPCMessage[] = [];
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Protocol.connect keeps a handler set before it and calls it for every message.
  transport.onmessage = (message) => {
    received.push(message);
  };
  const client = new Client({ name: 'fay-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, received, stderr: () => stderr, close: () => client.close() };
}

/**
 * connectStdio for one test: when the test ends, the session is closed and what it received and
 * its stderr are checked for API_KEY (a test using another key checks that one itself).
 */
export async function stdioSession(env: Record<string, string>): Promise<Session> {
  const session = await connectStdio(env);
  onTestFinished(async () => {
    await session.close();
    expectNoKey(session);
  });
  return session;
}

/** What a session's client received and its server wrote to stderr, as one text. */
export function transcriptOf(session: Session): string {
  return `${JSON.stringify(session.received)}\n${session.stderr()}`;
}

export function expectNoKey(session: Session, key = API_KEY): void {
  expect(transcriptOf(session)).not.toContain(key);
}

export interface Local {
  fay: FayServer;
  /** The file's session, on API_KEY. */
  session: Session;
  /**
   * A session of the calling test's own, on a new Fay account: `calls()` counts only what it
   * sent, whatever else the file does. Closed and checked for its key when the test ends.
   */
  ownSession(extraEnv?: Record<string, string>): Promise<OwnSession>;
}

export interface OwnSession extends Session {
  key: string;
  calls(): Record<Endpoint, number>;
}

/**
 * For the calling file: a local Fay server accepting API_KEY and one stdio session on it, opened
 * before the file's tests and closed after them; after each test, the session's transcript is
 * checked for the key.
 */
export function useLocalFay(): Local {
  const local = {
    async ownSession(extraEnv = {}) {
      const key = local.fay.openAccount();
      const session = await stdioSession(
        serverEnv(local.fay.url, { ...extraEnv, FAY_API_KEY: key }),
      );
      onTestFinished(() => expectNoKey(session, key));
      return { ...session, key, calls: () => local.fay.calls({ apiKey: key }) };
    },
  } as Local;
  beforeAll(async () => {
    local.fay = await startFayServer({ apiKeys: [API_KEY] });
    local.session = await connectStdio(serverEnv(local.fay.url));
  });
  afterEach(() => {
    if (local.session) expectNoKey(local.session);
  });
  afterAll(async () => {
    await local.session?.close();
    await local.fay?.close();
  });
  return local;
}

// ---------------------------------------------------------------------------------------------
// raw process

export interface BinProcess {
  child: ChildProcess & { stdin: NonNullable<ChildProcess['stdin']> };
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * The bin as a bare process with `env` (nothing else inherited unless given), its stdin open for
 * raw bytes; killed when the calling test ends if it is still running.
 */
export function spawnBin(env: Record<string, string>, args: string[] = []): BinProcess {
  const child = spawn(process.execPath, [builtBin(), ...args], {
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // The server may exit while the rest of a big write is in flight.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  });
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

export interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Spawns the bin, writes `input` to its stdin (never ending it) and resolves when it exits. */
export async function runUntilExit(
  env: Record<string, string>,
  input: string[] = [],
): Promise<Exit> {
  const bin = spawnBin(env);
  for (const chunk of input) bin.child.stdin.write(chunk);
  const code = await bin.exited;
  return { code, stderr: bin.stderr(), stdout: bin.stdout() };
}

// ---------------------------------------------------------------------------------------------
// Streamable HTTP

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
 * `--port 0`: a free port, read back from the "listening on" line). The caller stops it.
 */
export async function startHttpServer(
  env: Record<string, string>,
  args: string[] = ['--port', '0'],
): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [builtBin(), '--http', ...args], {
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

// ---------------------------------------------------------------------------------------------
// results

/** A tools/call through any session's client. */
export async function callTool(
  session: { client: Client },
  name: string,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

export function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

/** The first text of a result: the answer once COMPLETED, else what happened and what to do. */
export function answerOf(result: CallToolResult): string {
  const first = result.content[0];
  return first?.type === 'text' ? first.text : '';
}

export type State = {
  request_id: string;
  status: string;
  error_message?: string;
};

export function stateOf(result: CallToolResult): State {
  return result.structuredContent as State;
}

/** Calls fay_get_research until the research is final (a poll: Fay jobs are time-based). */
export async function pollUntilFinal(client: Client, requestId: string): Promise<CallToolResult> {
  for (;;) {
    const result = await callTool({ client }, 'fay_get_research', { request_id: requestId });
    if (['COMPLETED', 'FAILED', 'STOPPED'].includes(stateOf(result).status)) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
