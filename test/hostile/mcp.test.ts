// Hostile inputs and faults against the MCP server over stdio: the built server, a real SDK client
// (or raw bytes on stdin) and the local Fay server. Each test stands alone.
import { spawn } from 'node:child_process';
import { describe, expect, it, onTestFinished } from 'vitest';
import { McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { API_KEY, BIN, call, fay, runUntilExit, session, textOf } from './support.ts';

const DAY_MS = 86_400_000;
/** The core's per-attempt timeout: a tool that answers before it was not held by Fay's hang. */
const CORE_ATTEMPT_TIMEOUT_MS = 30_000;
const HANG = { kind: 'slow', delayMs: 600_000, times: Infinity } as const;

function env(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { FAY_API_KEY: API_KEY, FAY_BASE_URL: baseUrl, ...extra };
}

describe('a Retry-After of days', () => {
  it('fay_research answers at once with the full date, after one status call', async () => {
    const server = await fay({ jobDurationMs: 60_000 });
    server.injectFault({
      endpoint: 'status',
      kind: 'rate-limit',
      delayMs: 30 * DAY_MS,
      times: Infinity,
    });
    const s = await session(env(server.url));
    const { result } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Fay's rate limit was reached\. Retry after \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );
    const retryAt = Date.parse(`${/after (.+) UTC/.exec(textOf(result))?.[1]}Z`);
    expect(retryAt - Date.now()).toBeGreaterThan(29 * DAY_MS);
    expect(textOf(result)).toContain(`Research ${requestId} keeps running`);
    expect(server.count('status')).toBe(1);
  });
});

describe('a stdin line over the 10 MiB transport limit', () => {
  const ping = (id: number, pad = '') =>
    `${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: pad ? { pad } : {} })}\n`;

  it.each([
    ['10.5 MiB', 10.5 * 1024 * 1024],
    ['11 MiB', 11 * 1024 * 1024],
  ])('%s: exits with code 1 and one line on stderr saying why', async (_, size) => {
    const exit = await runUntilExit(env('http://127.0.0.1:9'), [
      ping(1, 'x'.repeat(size)),
      ping(2),
    ]);
    expect(exit.code).toBe(1);
    const lines = exit.stderr.trim().split('\n');
    expect(lines.filter((line) => !line.startsWith('fay-mcp: ready'))).toEqual([
      expect.stringMatching(/^fay-mcp: stopped reading .*a single message may be at most 10 MiB/),
    ]);
    expect(exit.stdout).toBe('');
  });

  it('a message under the limit is answered as usual', async () => {
    const s = await session(env('http://127.0.0.1:9'));
    await expect(s.client.ping()).resolves.toEqual({});
  });
});

describe('a client that closes the pipe early', () => {
  it('ends quietly (exit 0, no stack trace) when its answer can no longer be written', async () => {
    const child = spawn(process.execPath, [BIN], {
      env: env('http://127.0.0.1:9'),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    onTestFinished(() => {
      if (child.exitCode === null) child.kill();
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdout.destroy(); // the reader is gone, as with `fay-mcp | head -c 0`
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: {} })}\n`);
    expect(await exited).toBe(0);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
  });
});

describe('the call window holds whatever Fay does', () => {
  const WINDOW = { FAY_CALL_WINDOW_SECONDS: '5' };

  it('fay_research whose output never comes: says Fay is not answering, with the request_id', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'output', ...HANG });
    const s = await session(env(server.url, WINDOW));
    const { result, ms } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(`request_id "${requestId}"`);
    expect(server.count('output')).toBe(1);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('fay_research whose status checks never come back: hands back the request_id', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'status', ...HANG });
    const s = await session(env(server.url, WINDOW));
    const { result, ms } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ request_id: requestId });
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(`request_id "${requestId}"`);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  /** A session with one (long) research started, after which `endpoint` hangs for good. */
  async function startedThenHanging(endpoint: 'status' | 'stop') {
    const server = await fay({ jobDurationMs: 60_000 });
    const s = await session(env(server.url, WINDOW));
    const started = await call(s, 'fay_start_research', { prompt: 'x' });
    const requestId = (started.result.structuredContent as { request_id: string }).request_id;
    server.injectFault({ endpoint, ...HANG });
    return { s, requestId };
  }

  it.each([
    ['fay_get_research', 'status'],
    ['fay_stop_research', 'stop'],
  ] as const)('%s against a %s endpoint that never answers', async (tool, endpoint) => {
    const { s, requestId } = await startedThenHanging(endpoint);
    const { result, ms } = await call(s, tool, { request_id: requestId });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(requestId);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('fay_start_research against a create that never answers', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'create', ...HANG });
    const s = await session(env(server.url, WINDOW));
    const { result, ms } = await call(s, 'fay_start_research', { prompt: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering.*may or may not have been created/);
    expect(server.count('create')).toBe(1);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('a resource read against a status endpoint that never answers', async () => {
    const { s, requestId } = await startedThenHanging('status');
    const began = Date.now();
    const error = await s.client.readResource({ uri: `fay://research/${requestId}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toMatch(/Fay is not answering.*request_id/);
    expect(Date.now() - began).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });
});

describe('cleartext base URLs', () => {
  it('refuses an http:// FAY_BASE_URL off this machine at start, naming the opt-in', async () => {
    const exit = await runUntilExit(env('http://example.com'));
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(
      /FAY_BASE_URL uses http:\/\/ on a host that is not this machine.*unencrypted.*FAY_ALLOW_INSECURE_HTTP=1/,
    );
    expect(exit.stderr).not.toContain(API_KEY);
  });

  it('starts with FAY_ALLOW_INSECURE_HTTP=1 (a trusted proxy)', async () => {
    const s = await session(env('http://10.1.2.3:8080', { FAY_ALLOW_INSECURE_HTTP: '1' }));
    const { tools } = await s.client.listTools();
    expect(tools.length).toBeGreaterThan(0);
    expect(s.stderr()).toContain('ready (Fay API http://10.1.2.3:8080');
  });

  it('refuses a FAY_BASE_URL ending in a bare #', async () => {
    const exit = await runUntilExit(env('http://127.0.0.1:9/#'));
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/FAY_BASE_URL contains a \?query or #fragment/);
  });
});

describe('short and unlucky keys', () => {
  it('refuses a key too short to be real at start', async () => {
    const exit = await runUntilExit({ FAY_API_KEY: 'k', FAY_BASE_URL: 'http://127.0.0.1:9' });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toMatch(/FAY_API_KEY is too short/);
  });

  it.each(['progressToken', 'notifications/progress'])(
    'a key spelled like a protocol name (%s) leaves the protocol intact, and still never shows',
    async (key) => {
      const server = await fay({}, key);
      const s = await session({ FAY_API_KEY: key, FAY_BASE_URL: server.url });
      expect(s.client.getServerCapabilities()).toMatchObject({ tools: {}, tasks: {} });
      const progress: unknown[] = [];
      const result = (await s.client.callTool(
        { name: 'fay_research', arguments: { prompt: `Is ${key} a key?` } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      )) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(progress.length).toBeGreaterThan(0);
      expect(textOf(result)).toContain('Is [redacted] a key?');
      expect(textOf(result)).not.toContain(key);
    },
  );
});
