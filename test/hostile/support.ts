// Helpers for the MCP-level hostile tests: the BUILT server (dist/mcp/bin.js, as a client spawns
// it), driven either by the SDK's own Client over stdio or by raw bytes on its stdin.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { onTestFinished } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer, type FayServerOptions } from '../support/fay-server.ts';

export const BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));
export const API_KEY = 'fay_hostile_Qm29vXe4';

if (!existsSync(BIN)) {
  throw new Error(`${BIN} is missing: build first (npm run build).`);
}

/** A local Fay server accepting `apiKey`, closed when the test ends. */
export async function fay(options: FayServerOptions = {}, apiKey = API_KEY): Promise<FayServer> {
  const server = await startFayServer({ apiKeys: [apiKey], jobDurationMs: 100, ...options });
  onTestFinished(() => server.close());
  return server;
}

export interface Session {
  client: Client;
  stderr(): string;
}

/** The server spawned with `env` and an SDK client connected to it, closed after the test. */
export async function session(env: Record<string, string>): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const client = new Client({ name: 'fay-hostile-test', version: '1.0.0' });
  await client.connect(transport);
  onTestFinished(() => client.close());
  return { client, stderr: () => stderr };
}

export interface Exit {
  code: number | null;
  stderr: string;
  stdout: string;
}

/** Spawns the server, writes `input` to its stdin (never ending it) and resolves when it exits. */
export function runUntilExit(env: Record<string, string>, input: string[] = []): Promise<Exit> {
  const child = spawn(process.execPath, [BIN], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  // The server may exit while the rest of a big write is in flight.
  child.stdin.on('error', () => undefined);
  for (const chunk of input) child.stdin.write(chunk);
  onTestFinished(() => {
    if (child.exitCode === null) child.kill();
  });
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve({ code, stderr, stdout }));
  });
}

export function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

export async function call(
  s: Session,
  name: string,
  args: Record<string, unknown>,
): Promise<{ result: CallToolResult; ms: number }> {
  const started = Date.now();
  const result = (await s.client.callTool({ name, arguments: args })) as CallToolResult;
  return { result, ms: Date.now() - started };
}
