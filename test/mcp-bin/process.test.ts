// The built bin as an MCP client runs it: what only a process shows. Configuration refused at
// start (exit code, stderr), stdout carrying JSON-RPC alone, the console kept off stdout, and one
// research end to end over stdio with the stdio transport scrubbing the key. The tools' behaviour
// is tested in process (test/mcp).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Progress } from '@modelcontextprotocol/sdk/types.js';
import {
  API_KEY,
  builtBin,
  callTool,
  pollUntilFinal,
  serverEnv,
  stateOf,
  textOf,
  useLocalFay,
} from '../support/mcp.ts';

const local = useLocalFay();

describe('over stdio', () => {
  it('fay_research: progress, then the answer', async () => {
    const progress: Progress[] = [];
    const result = await local.session.client.callTool(
      { name: 'fay_research', arguments: { prompt: 'Ocean heat records [fay:duration=1000]' } },
      undefined,
      { onprogress: (p) => progress.push(p) },
    );
    expect(result.isError).toBeFalsy();
    expect(textOf(result as never)).toContain('# Research: Ocean heat records');
    expect(progress.at(-1)?.message).toMatch(/^Fay research COMPLETED, \d+ s elapsed/);
  });

  it('a research quoting the key reaches the client with the key scrubbed', async () => {
    const prompt = `Is ${API_KEY} a valid Fay key?`;
    const started = await callTool(local.session, 'fay_start_research', { prompt });
    const id = stateOf(started).request_id;
    expect(local.fay.jobs.get(id)?.prompt).toBe(prompt);
    const { resources } = await local.session.client.listResources();
    const listed = resources.find((r) => r.uri === `fay://research/${id}`);
    expect(listed?.title).toBe('Is [redacted] a valid Fay key?');
    const done = await pollUntilFinal(local.session.client, id);
    expect(textOf(done)).toContain('# Research: Is [redacted] a valid Fay key?');
    // useLocalFay checks everything the session received and its stderr for the key.
  });
});

/** Runs a node process to its end with only `env` (and PATH). */
function runNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { env: { ...env, PATH: process.env.PATH } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('configuration', () => {
  const runBin = (env: Record<string, string>) => runNode([builtBin()], env);

  it.each([
    [{ FAY_CALL_WINDOW_SECONDS: 'soon' }, /FAY_CALL_WINDOW_SECONDS must be a number of seconds/],
    [
      { FAY_CALL_WINDOW_SECONDS: '-5' },
      /FAY_CALL_WINDOW_SECONDS must be a number of seconds greater than 0/,
    ],
    [{ FAY_STATUS_CALLS_PER_HOUR: '2.5' }, /FAY_STATUS_CALLS_PER_HOUR must be a whole number/],
    [{ FAY_BASE_URL: 'ftp://example.com' }, /FAY_BASE_URL uses ftp: instead of http or https/],
    [{ FAY_API_KEY: 'two words' }, /Invalid configuration: FAY_API_KEY contains spaces/],
    [
      { FAY_MAX_ANSWER_CHARS: '500' },
      /FAY_MAX_ANSWER_CHARS must be at least 4000: a smaller part holds too little .* \(got "500"\)/,
    ],
    [{ FAY_MAX_ANSWER_CHARS: 'lots' }, /FAY_MAX_ANSWER_CHARS must be a whole number/],
  ])('refuses %j at start: message on stderr, exit code 1', async (env, message) => {
    const { code, stdout, stderr } = await runBin(env);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('two words');
  });
});

describe('stdout', () => {
  it('carries only JSON-RPC lines, logging notifications included once enabled', async () => {
    const child = spawn(process.execPath, [builtBin()], {
      env: { ...serverEnv(local.fay.url), PATH: process.env.PATH },
    });
    const lines: string[] = [];
    const answered = new Map<number, unknown>();
    let onAnswer = () => {};
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const message = JSON.parse(line) as { id?: number };
      if (message.id !== undefined) answered.set(message.id, message);
      onAnswer();
    });
    const request = (id: number, method: string, params: unknown = {}) => {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, params })}\n`);
      return new Promise<void>((resolve) => {
        onAnswer = () => answered.has(id) && resolve();
      });
    };
    await request(1, 'initialize', {
      protocolVersion: '2025-11-25',
      capabilities: {},
      clientInfo: { name: 'raw', version: '1' },
    });
    child.stdin.write(
      `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
    );
    await request(2, 'logging/setLevel', { level: 'info' });
    await request(3, 'tools/list');
    await request(4, 'tools/call', { name: 'fay_start_research', arguments: { prompt: 'raw' } });
    await request(5, 'tools/call', { name: 'fay_get_research', arguments: { request_id: 'x' } });
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));

    expect(lines.length).toBeGreaterThanOrEqual(5);
    for (const line of lines) {
      expect(JSON.parse(line)).toMatchObject({ jsonrpc: '2.0' });
    }
    const logs = lines
      .map((line) => JSON.parse(line))
      .filter((m) => m.method === 'notifications/message');
    expect(logs.map((m) => m.params.data)).toContainEqual(
      expect.stringMatching(/^Research .* started\.$/),
    );
    expect(lines.join('\n')).not.toContain(API_KEY);
  });

  it("gets nothing from the process's console: debug, dir, table… all go to stderr", async () => {
    // The process a client runs (bin.js), then console output as any library loaded in it makes.
    const script =
      `await import(${JSON.stringify(pathToFileURL(builtBin()).href)});` +
      "console.log('log-line'); console.info('info-line'); console.debug('debug-line');" +
      "console.dir({ dir: 'dir-line' }); console.table([{ table: 'table-line' }]);" +
      'process.exit(0);';
    const { code, stdout, stderr } = await runNode(['--input-type=module', '-e', script], {
      FAY_BASE_URL: local.fay.url,
    });
    expect(code).toBe(0);
    expect(stdout).toBe('');
    for (const line of ['log-line', 'info-line', 'debug-line', 'dir-line', 'table-line']) {
      expect(stderr).toContain(line);
    }
  });
});
