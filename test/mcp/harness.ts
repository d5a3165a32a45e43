// Test harness for the MCP server: spawns the BUILT bin (dist/mcp/bin.js, as a client would) and
// talks to it with the SDK's own Client over stdio, recording every message the client receives
// and everything the server writes to stderr.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult, JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';

export const BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));
/** Distinctive, so any leak of it is visible. */
export const API_KEY = 'fay_mcp_secret_Zq81xLw0';

if (!existsSync(BIN)) {
  throw new Error(`${BIN} is missing: build first (npm run build, or npx tsc -p tsconfig.json).`);
}

export interface Session {
  client: Client;
  /** Every JSON-RPC message the client received, in order. */
  received: JSONRPCMessage[];
  stderr(): string;
  close(): Promise<void>;
}

/** Everything any session of this test file received or saw on stderr (for the key check). */
export const transcript: string[] = [];

export async function connect(env: Record<string, string>): Promise<Session> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [BIN],
    env,
    stderr: 'pipe',
  });
  const received: JSONRPCMessage[] = [];
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    transcript.push(chunk.toString());
  });
  // Protocol.connect keeps a handler set before it and calls it for every message.
  transport.onmessage = (message) => {
    received.push(message);
    transcript.push(JSON.stringify(message));
  };
  const client = new Client({ name: 'fay-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  return { client, received, stderr: () => stderr, close: () => client.close() };
}

export interface Local {
  fay: FayServer;
  session: Session;
}

/** A local Fay server accepting API_KEY and one server session on it, for the whole file. */
export function useLocalFay(): Local {
  const local = {} as Local;
  beforeAll(async () => {
    local.fay = await startFayServer({ apiKeys: [API_KEY] });
    local.session = await connect(serverEnv(local.fay.url));
  });
  afterAll(async () => {
    await local.session?.close();
    await local.fay?.close();
  });
  return local;
}

/** Registers the check that the key never reached any client of the file (run it last). */
export function itNeverLeaksTheKey(): void {
  it('never shows the API key: not in any message a client received, not on stderr', () => {
    expect(transcript.length).toBeGreaterThan(10);
    expect(transcript.join('\n')).not.toContain(API_KEY);
  });
}

export function serverEnv(baseUrl: string, extra: Record<string, string> = {}) {
  return { FAY_API_KEY: API_KEY, FAY_BASE_URL: baseUrl, ...extra };
}

export function textOf(result: CallToolResult): string {
  return result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
}

export type State = {
  request_id: string;
  status: string;
  output?: unknown;
  error_message?: string;
  message?: string;
};

export function stateOf(result: CallToolResult): State {
  return result.structuredContent as State;
}

/** Calls fay_get_research until the research is final (a poll: Fay jobs are time-based). */
export async function pollUntilFinal(client: Client, requestId: string): Promise<CallToolResult> {
  for (;;) {
    const result = (await client.callTool({
      name: 'fay_get_research',
      arguments: { request_id: requestId },
    })) as CallToolResult;
    if (['COMPLETED', 'FAILED', 'STOPPED'].includes(stateOf(result).status)) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
