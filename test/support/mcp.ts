// The one MCP test harness, for two tiers.
// - In process: the server built by createServer, as bin.js builds it, linked to the SDK's own
//   Client by InMemoryTransport, its Fay client reaching the local Fay server through the
//   server's in-process transport. No build, no child process, and on fake timers (useVirtualTime)
//   a 7 s job or a 45 s call window takes milliseconds.
// - As a process: the BUILT bin (dist/mcp/bin.js, as a client spawns it) driven by the SDK's
//   Client over stdio, by raw bytes on its stdin, or started with --http and driven over
//   Streamable HTTP: for what only a process shows.
// Importing this file registers no hook: what a helper cleans up is registered by calling it
// (onTestFinished inside a test; useLocalFay's or useVirtualTime's hooks at the top of a file).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest, type Server } from 'node:http';
import { connect as netConnect, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach, expect, onTestFinished, vi } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { FayClient } from '../../src/core/index.ts';
import { loadConfig, MissingApiKeyError } from '../../src/mcp/config/index.ts';
import { createServer, type ServerOptions } from '../../src/mcp/server/create-server.ts';
import { redactMessage } from '../../src/mcp/server/redact.ts';
import {
  startFayServer,
  type Endpoint,
  type FayServer,
  type FayServerOptions,
} from './fay-server.ts';

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
// in process

/**
 * For the calling file: setTimeout, setInterval and Date are fake in each test (setImmediate and
 * I/O stay real), so waits run in virtual time; `settle` moves the clock.
 */
export function useVirtualTime(): void {
  beforeEach(() => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/**
 * Resolves with `work` once it settles, moving virtual time from timer to timer while it runs
 * (each step first lets pending promises and I/O run). Under real timers it simply awaits.
 */
export async function settle<T>(work: Promise<T>): Promise<T> {
  let settled = false;
  work.then(
    () => (settled = true),
    () => (settled = true),
  );
  if (!vi.isFakeTimers()) return work;
  for (let steps = 0; !settled; steps++) {
    if (steps > 100_000) throw new Error('settle: the work never settled');
    if (vi.getTimerCount() === 0) await new Promise((resolve) => setImmediate(resolve));
    else await vi.advanceTimersToNextTimerAsync();
  }
  return work;
}

/** A local Fay server for one test (closed when it ends), on the clock of the moment (fake or not). */
export async function localFay(options: FayServerOptions = {}): Promise<FayServer> {
  const fay = await startFayServer({ apiKeys: [API_KEY], now: () => Date.now(), ...options });
  onTestFinished(() => fay.close());
  return fay;
}

let testStderr: { text: string } | undefined;

/**
 * What in-process servers write to stderr during the calling test, kept instead of printed (the
 * servers of one test share it); restored when the test ends.
 */
function captureStderr(): () => string {
  if (!testStderr) {
    const captured = { text: '' };
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      captured.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
      return true;
    }) as typeof process.stderr.write;
    testStderr = captured;
    onTestFinished(() => {
      process.stderr.write = original;
      testStderr = undefined;
    });
  }
  const captured = testStderr;
  return () => captured.text;
}

export interface InProcessSession extends Session {
  /** The Fay key the server runs with ('' for none). */
  key: string;
  /** Calls this session's key made to Fay. */
  calls(): Record<Endpoint, number>;
}

/**
 * The server built in this process from `env` (as bin.js builds it; FAY_BASE_URL is `fay`'s, and
 * FAY_API_KEY, unless given, the key of a new account on `fay`), an SDK Client linked to it by
 * InMemoryTransport. Its Fay client reaches `fay` through `fay.transport`. Closed when the test
 * ends, and what the client received is checked for API_KEY.
 */
export async function inProcessSession(
  fay: FayServer,
  env: Record<string, string> = {},
  options: Pick<ServerOptions, 'heartbeatMs' | 'keySource'> = {},
): Promise<InProcessSession> {
  const key = env.FAY_API_KEY ?? fay.openAccount();
  const loaded = loadConfig({ FAY_BASE_URL: fay.url, ...env, FAY_API_KEY: key });
  if (!loaded.ok) throw new Error(loaded.message);
  const { config } = loaded;
  let fayClient: FayClient | undefined;
  const server = createServer(config, {
    ...options,
    now: () => Date.now(),
    // As the server's own lazy client, with the in-process transport.
    client: async () => {
      if (!config.apiKey) throw new MissingApiKeyError();
      fayClient ??= new FayClient({
        apiKey: config.apiKey,
        baseUrl: config.baseUrl,
        allowInsecureHttp: config.allowInsecureHttp,
        statusCallsPerHour: config.statusCallsPerHour,
        maxRetryAfterMs: config.callWindowMs,
        transport: fay.transport,
      });
      return fayClient;
    },
  });
  const stderr = captureStderr();
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  // The server's side scrubs the key from what it sends, as the stdio and HTTP transports do.
  const send = serverSide.send.bind(serverSide);
  serverSide.send = (message, sendOptions) =>
    send(redactMessage(message, config.apiKey), sendOptions);
  const received: JSONRPCMessage[] = [];
  // Protocol.connect keeps a handler set before it and calls it for every message.
  clientSide.onmessage = (message) => {
    received.push(message);
  };
  const client = new Client({ name: 'fay-mcp-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  const session: InProcessSession = {
    client,
    received,
    stderr,
    close: () => client.close(),
    key,
    calls: () => fay.calls({ apiKey: key }),
  };
  onTestFinished(async () => {
    await session.close();
    expectNoKey(session);
  });
  return session;
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

/** How a stdio server is started: by default the built bin on this Node. */
export interface StdioLaunch {
  command: string;
  args: string[];
  cwd?: string;
}

/**
 * The server spawned with `env` (nothing else inherited) and an SDK client on it; the caller
 * closes it.
 */
export async function connectStdio(
  env: Record<string, string>,
  launch: StdioLaunch = { command: process.execPath, args: [builtBin()] },
): Promise<Session> {
  const transport = new StdioClientTransport({ ...launch, env, stderr: 'pipe' });
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
function transcriptOf(session: Session): string {
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
  const server: Server = createHttpServer((req, res) => {
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
