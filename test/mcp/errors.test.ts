// Failures: bad arguments, missing or rejected key, invalid configuration; the stdout channel
// carrying only JSON-RPC; the API key absent from everything a client receives.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer } from '../support/fay-server.ts';
import {
  API_KEY,
  useLocalFay,
  BIN,
  connect,
  pollUntilFinal,
  serverEnv,
  stateOf,
  textOf,
  type Session,
} from './harness.ts';

const local = useLocalFay();

async function callWith(s: Session, name: string, args: Record<string, unknown>) {
  return (await s.client.callTool({ name, arguments: args })) as CallToolResult;
}

describe('bad arguments', () => {
  // The SDK words a failure of the declared schema; the message after the tool name is ours.
  const refused = (tool: string, message: string, field: string) =>
    `MCP error -32602: Input validation error: Invalid arguments for tool ${tool}: ${message} at ${field}`;
  const cases: Array<[string, Record<string, unknown>, string]> = [
    [
      'fay_research',
      {},
      refused('fay_research', 'prompt must be a string: the question to research.', 'prompt'),
    ],
    [
      'fay_research',
      { prompt: 42 },
      refused('fay_research', 'prompt must be a string: the question to research.', 'prompt'),
    ],
    [
      'fay_start_research',
      { prompt: '   ' },
      refused('fay_start_research', 'prompt is empty: write the question to research.', 'prompt'),
    ],
    [
      'fay_start_research',
      { prompt: 'x'.repeat(100_001) },
      refused(
        'fay_start_research',
        'prompt is 100001 characters long; shorten it to at most 100000.',
        'prompt',
      ),
    ],
    [
      'fay_research',
      { prompt: 'x', output_schema: [1] },
      refused(
        'fay_research',
        'output_schema must be a JSON Schema object such as {"type":"object","properties":{"answer":{"type":"string"}}} (or that object as JSON text), or be left out for a Markdown answer.',
        'output_schema',
      ),
    ],
    [
      'fay_start_research',
      { prompt: 'x', output_schema: '{nope' },
      refused(
        'fay_start_research',
        'output_schema is a string that is not valid JSON. output_schema must be a JSON Schema object such as {"type":"object","properties":{"answer":{"type":"string"}}} (or that object as JSON text), or be left out for a Markdown answer.',
        'output_schema',
      ),
    ],
    [
      'fay_get_research',
      {},
      refused(
        'fay_get_research',
        'request_id must be the UUID returned by fay_research or fay_start_research (like 123e4567-e89b-12d3-a456-426614174000).',
        'request_id',
      ),
    ],
    [
      'fay_stop_research',
      { request_id: 7 },
      refused(
        'fay_stop_research',
        'request_id must be the UUID returned by fay_research or fay_start_research (like 123e4567-e89b-12d3-a456-426614174000).',
        'request_id',
      ),
    ],
  ];

  it.each(cases)(
    '%s, bad argument %# → isError saying what to fix, nothing sent to Fay',
    async (name, args, message) => {
      const before = local.fay.requests.length;
      const result = await callWith(local.session, name, args);
      expect(result.isError).toBe(true);
      expect(textOf(result)).toBe(message);
      expect(local.fay.requests.length).toBe(before);
    },
  );

  it('a JSON Schema without a schema keyword: refused by the core before any request', async () => {
    const before = local.fay.requests.length;
    const result = await callWith(local.session, 'fay_start_research', {
      prompt: 'x',
      output_schema: { foo: 1 },
    });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/output_schema does not look like a JSON Schema/);
    expect(local.fay.requests.length).toBe(before);
  });

  it('accepts output_schema given as JSON text', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } });
    const result = await callWith(local.session, 'fay_start_research', {
      prompt: 'x',
      output_schema: schema,
    });
    expect(result.isError).toBeFalsy();
    const created = local.fay.requests.find(
      (r) => r.endpoint === 'create' && r.requestId === stateOf(result).request_id,
    );
    expect(created?.body).toMatchObject({
      structured_output: true,
      output_schema: JSON.parse(schema),
    });
  });
});

describe('API key', () => {
  it('without FAY_API_KEY: starts, lists tools, and every call says how to set the key', async () => {
    const keyless = await connect({ FAY_BASE_URL: local.fay.url });
    try {
      const { tools } = await keyless.client.listTools();
      expect(tools).toHaveLength(4);
      for (const [name, args] of [
        ['fay_research', { prompt: 'x' }],
        ['fay_start_research', { prompt: 'x' }],
        ['fay_get_research', { request_id: '00000000-0000-4000-8000-000000000000' }],
        ['fay_stop_research', { request_id: '00000000-0000-4000-8000-000000000000' }],
      ] as const) {
        const result = await callWith(keyless, name, args);
        expect(result.isError).toBe(true);
        expect(textOf(result)).toMatch(/No Fay API key is configured\. Add FAY_API_KEY/);
      }
    } finally {
      await keyless.close();
    }
  });

  it('a key Fay rejects: says how to replace it, and never shows it', async () => {
    const wrongKey = 'fay_wrong_key_Pp3v9';
    const wrong = await connect(serverEnv(local.fay.url, { FAY_API_KEY: wrongKey }));
    try {
      const result = await callWith(wrong, 'fay_research', { prompt: 'x' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(/Fay rejected the API key .* put it in FAY_API_KEY/);
      expect(JSON.stringify(wrong.received) + wrong.stderr()).not.toContain(wrongKey);
    } finally {
      await wrong.close();
    }
  });
});

describe('rate limit', () => {
  it('a limit Fay lifts only in an hour: isError saying when to retry', async () => {
    const limited = await startFayServer({
      apiKeys: [API_KEY],
      rateLimits: { create: 1 },
      rateLimitWindowMs: 3_600_000,
      retryAfter: 'seconds',
    });
    const session = await connect(serverEnv(limited.url));
    try {
      const first = await callWith(session, 'fay_start_research', { prompt: 'first' });
      expect(first.isError).toBeFalsy();
      // Retry-After: 3600, beyond what the client waits for (60 s): answered at once.
      const second = await callWith(session, 'fay_start_research', { prompt: 'second' });
      expect(second.isError).toBe(true);
      expect(textOf(second)).toMatch(
        /^Fay's rate limit was reached\. Retry after \d{4}-\d\d-\d\d \d\d:\d\d UTC\.$/,
      );
      expect(limited.count('create')).toBe(2);
    } finally {
      await session.close();
      await limited.close();
    }
  });

  it('a spent FAY_STATUS_CALLS_PER_HOUR budget: isError naming the setting, nothing sent', async () => {
    const fay = await startFayServer({ apiKeys: [API_KEY], jobDurationMs: 60_000 });
    const session = await connect({ ...serverEnv(fay.url), FAY_STATUS_CALLS_PER_HOUR: '1' });
    try {
      const started = await callWith(session, 'fay_start_research', { prompt: 'budget' });
      const { request_id } = started.structuredContent as { request_id: string };
      const first = await callWith(session, 'fay_get_research', { request_id });
      expect(first.isError).toBeFalsy();
      const second = await callWith(session, 'fay_get_research', { request_id });
      expect(second.isError).toBe(true);
      expect(textOf(second)).toMatch(
        /^The status-check budget set by FAY_STATUS_CALLS_PER_HOUR is spent for this hour\. Retry after \d{4}-\d\d-\d\d /,
      );
      expect(fay.count('status')).toBe(1);
    } finally {
      await session.close();
      await fay.close();
    }
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
  const runBin = (env: Record<string, string>) => runNode([BIN], env);

  it.each([
    [{ FAY_CALL_WINDOW_SECONDS: 'soon' }, /FAY_CALL_WINDOW_SECONDS must be a number of seconds/],
    [
      { FAY_CALL_WINDOW_SECONDS: '-5' },
      /FAY_CALL_WINDOW_SECONDS must be a number of seconds greater than 0/,
    ],
    [{ FAY_STATUS_CALLS_PER_HOUR: '2.5' }, /FAY_STATUS_CALLS_PER_HOUR must be a whole number/],
    [{ FAY_BASE_URL: 'ftp://example.com' }, /FAY_BASE_URL uses ftp: instead of http or https/],
    [{ FAY_API_KEY: 'two words' }, /Invalid configuration: FAY_API_KEY contains spaces/],
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
    const child = spawn(process.execPath, [BIN], {
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
      `await import(${JSON.stringify(pathToFileURL(BIN).href)});` +
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

describe('key redaction on the way out', () => {
  it('a research that quotes the key (pasted into the prompt) reaches the client redacted', async () => {
    const prompt = `Is ${API_KEY} a valid Fay key?`;
    const started = await callWith(local.session, 'fay_start_research', { prompt });
    const id = stateOf(started).request_id;
    // Fay got the prompt as written; what comes back quotes it: the answer and the resource title.
    expect(local.fay.jobs.get(id)?.prompt).toBe(prompt);
    const { resources } = await local.session.client.listResources();
    const listed = resources.find((r) => r.uri === `fay://research/${id}`);
    expect(listed?.title).toBe('Is [redacted] a valid Fay key?');
    const done = await pollUntilFinal(local.session.client, id);
    expect(textOf(done)).toContain('# Research: Is [redacted] a valid Fay key?');
    expect(JSON.stringify([listed, done])).not.toContain(API_KEY);
  });
});
