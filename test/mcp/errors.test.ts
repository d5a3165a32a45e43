// Failures: bad arguments, missing or rejected key, invalid configuration; the stdout channel
// carrying only JSON-RPC; the API key absent from everything a client receives.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  API_KEY,
  useLocalFay,
  BIN,
  connect,
  itNeverLeaksTheKey,
  serverEnv,
  textOf,
  type Session,
} from './harness.ts';

const local = useLocalFay();

async function callWith(s: Session, name: string, args: Record<string, unknown>) {
  return (await s.client.callTool({ name, arguments: args })) as CallToolResult;
}

describe('bad arguments', () => {
  const cases: Array<[string, Record<string, unknown>, RegExp]> = [
    ['fay_research', {}, /^Invalid input: prompt is required/],
    ['fay_research', { prompt: 42 }, /^Invalid input: prompt is required and must be a string/],
    ['fay_start_research', { prompt: '   ' }, /^Invalid input: prompt is empty/],
    ['fay_research', { prompt: 'x', output_schema: [1] }, /^Invalid input: output_schema must/],
    [
      'fay_research',
      { prompt: 'x', output_schema: '{nope' },
      /output_schema is a string that is not valid JSON/,
    ],
    [
      'fay_start_research',
      { prompt: 'x', output_schema: { foo: 1 } },
      /output_schema does not look like a JSON Schema/,
    ],
    ['fay_get_research', {}, /^Invalid input: request_id is required/],
    ['fay_get_research', { request_id: 'abc' }, /^Invalid input: request_id must be the UUID/],
    [
      'fay_stop_research',
      { request_id: 7 },
      /^Invalid input: request_id is required and must be the UUID/,
    ],
  ];

  it.each(cases)('%s %j → isError naming the field', async (name, args, message) => {
    const result = await callWith(local.session, name, args);
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(message);
  });

  it('sent nothing to Fay for any of them', () => {
    expect(local.fay.requests).toHaveLength(0);
  });

  it('accepts output_schema given as JSON text', async () => {
    const schema = JSON.stringify({ type: 'object', properties: { a: { type: 'string' } } });
    const result = await callWith(local.session, 'fay_start_research', {
      prompt: 'x',
      output_schema: schema,
    });
    expect(result.isError).toBeFalsy();
    expect(local.fay.requests[0]?.body).toMatchObject({
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

describe('configuration', () => {
  function runBin(env: Record<string, string>) {
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN], { env: { ...env, PATH: process.env.PATH } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  it.each([
    [{ FAY_CALL_WINDOW_SECONDS: 'soon' }, /FAY_CALL_WINDOW_SECONDS must be a number of seconds/],
    [
      { FAY_MAX_WAIT_SECONDS: '-5' },
      /FAY_MAX_WAIT_SECONDS must be a number of seconds greater than 0/,
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
});

itNeverLeaksTheKey();
