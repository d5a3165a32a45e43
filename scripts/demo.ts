// `npm run demo`: the MCP server end to end, no API key needed. Starts the local Fay server,
// launches the built fay-mcp (dist/mcp/bin.js) through the SDK's MCP client over stdio, as an AI
// assistant would, runs one fay_research with its progress shown, and prints the answer.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer } from '../test/support/fay-server.ts';

const BIN = fileURLToPath(new URL('../dist/mcp/bin.js', import.meta.url));
const TEST_KEY = 'fay_test_key'; // the local server's key; a real setup uses your own FAY_API_KEY
const JOB_MS = 8_000;
const PROMPT = 'How are heat pumps changing home heating in Europe since 2020?';

const step = (text: string) => process.stdout.write(`\n▶ ${text}\n`);

const fay = await startFayServer({ apiKeys: [TEST_KEY], jobDurationMs: JOB_MS });
const client = new Client({ name: 'fay-demo', version: '1.0.0' });
try {
  step(`Local Fay server at ${fay.url} (research jobs take ~${JOB_MS / 1000} s)`);

  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [BIN],
      env: { FAY_API_KEY: TEST_KEY, FAY_BASE_URL: fay.url },
      stderr: 'ignore',
    }),
  );
  const { tools } = await client.listTools();
  const server = client.getServerVersion();
  step(
    `Connected to ${server?.name} ${server?.version} over stdio; tools: ${tools.map((t) => t.name).join(', ')}`,
  );

  step(`fay_research { prompt: ${JSON.stringify(PROMPT)} }`);
  const result = (await client.callTool(
    { name: 'fay_research', arguments: { prompt: PROMPT } },
    undefined,
    { onprogress: (p) => process.stdout.write(`  … ${p.message ?? `${p.progress}`}\n`) },
  )) as CallToolResult;

  const state = result.structuredContent as { request_id: string; status: string };
  step(`Result: ${result.isError ? 'error' : `${state.status} (request_id ${state.request_id})`}`);
  for (const item of result.content)
    if (item.type === 'text') process.stdout.write(`${item.text}\n`);
  process.exitCode = result.isError ? 1 : 0;
} finally {
  await client.close();
  await fay.close();
}
