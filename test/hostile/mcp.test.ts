// Hostile inputs against the MCP server as a process: the built server, a real SDK client (or raw
// bytes on stdin) and the local Fay server. Each test stands alone. Faults met during tool calls
// are tested in process, in virtual time (mcp-calls.test.ts).
import { describe, expect, it, onTestFinished } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer, type FayServerOptions } from '../support/fay-server.ts';
import {
  API_KEY,
  runUntilExit,
  spawnBin,
  stdioSession as session,
  textOf,
} from '../support/mcp.ts';

/** A local Fay server accepting `apiKey`, closed when the test ends. */
async function fay(options: FayServerOptions = {}, apiKey = API_KEY): Promise<FayServer> {
  const server = await startFayServer({ apiKeys: [apiKey], jobDurationMs: 100, ...options });
  onTestFinished(() => server.close());
  return server;
}

function env(baseUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return { FAY_API_KEY: API_KEY, FAY_BASE_URL: baseUrl, ...extra };
}

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
    const { child, exited, stderr } = spawnBin(env('http://127.0.0.1:9'));
    child.stdout?.destroy(); // the reader is gone, as with `fay-mcp | head -c 0`
    child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping', params: {} })}\n`);
    expect(await exited).toBe(0);
    expect(stderr()).not.toMatch(/EPIPE|Error|at /);
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
