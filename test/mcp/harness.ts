// Test harness for the MCP server: spawns the BUILT bin (dist/mcp/bin.js, as a client would) and
// talks to it with the SDK's own Client over stdio, recording every message the client receives
// and everything the server writes to stderr. After each test, whatever any session received or
// saw on stderr is checked for the API key, so every test checks the key on its own.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
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

/** Sessions opened since the last key check (cleared after each test). */
const opened = new Set<Session>();
/** The file-wide sessions, checked after every test. */
const fileWide = new Set<Session>();

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
  });
  // Protocol.connect keeps a handler set before it and calls it for every message.
  transport.onmessage = (message) => {
    received.push(message);
  };
  const client = new Client({ name: 'fay-mcp-test', version: '1.0.0' });
  await client.connect(transport);
  const session = { client, received, stderr: () => stderr, close: () => client.close() };
  opened.add(session);
  return session;
}

/** What a session's client received and its server wrote to stderr, as one text. */
export function transcriptOf(session: Session): string {
  return `${JSON.stringify(session.received)}\n${session.stderr()}`;
}

// Every test: no session it used received the key or saw it on stderr.
afterEach(() => {
  for (const session of [...opened, ...fileWide]) {
    expect(transcriptOf(session)).not.toContain(API_KEY);
  }
  opened.clear();
});

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
    fileWide.add(local.session);
  });
  afterAll(async () => {
    if (local.session) fileWide.delete(local.session);
    await local.session?.close();
    await local.fay?.close();
  });
  return local;
}

export function serverEnv(baseUrl: string, extra: Record<string, string> = {}) {
  return { FAY_API_KEY: API_KEY, FAY_BASE_URL: baseUrl, ...extra };
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
    const result = (await client.callTool({
      name: 'fay_get_research',
      arguments: { request_id: requestId },
    })) as CallToolResult;
    if (['COMPLETED', 'FAILED', 'STOPPED'].includes(stateOf(result).status)) return result;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
