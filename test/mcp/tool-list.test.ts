// tools/list is answered by our own handler (server/mcp-server.ts), which converts each schema
// once per process. It must list exactly what the SDK's own handler lists for the same tools, so
// an SDK upgrade that changes the listing (a new field, other conversion options) fails here.
import { expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { loadConfig } from '../../src/mcp/config/index.ts';
import type { ToolContext } from '../../src/mcp/research/context.ts';
import { TOOLS } from '../../src/mcp/tools/registry.ts';
import { createServer } from '../../src/mcp/server/create-server.ts';
import type { FayMcpServer } from '../../src/mcp/server/mcp-server.ts';

async function toolsListedBy(server: McpServer) {
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'tool-list-test', version: '1.0.0' });
  await Promise.all([server.connect(serverSide), client.connect(clientSide)]);
  try {
    return await client.listTools();
  } finally {
    await client.close();
  }
}

it("tools/list lists exactly what the SDK's own handler lists for the same tools", async () => {
  const loaded = loadConfig({ FAY_API_KEY: 'fay_tool_list_key_1' });
  if (!loaded.ok) throw new Error(loaded.message);
  const ours = await toolsListedBy(createServer(loaded.config));

  // A plain McpServer with the same tools, registered the same way, answering with its own handler.
  const sdk = new McpServer(
    { name: 'sdk', version: '1.0.0' },
    { capabilities: { tools: {}, tasks: { requests: { tools: { call: {} } } } } },
  );
  const plain = Object.assign(sdk, { serveWithoutTask: () => undefined });
  const ctx = { config: loaded.config } as ToolContext;
  for (const tool of TOOLS) tool.register(plain as unknown as FayMcpServer, ctx);
  const theirs = await toolsListedBy(sdk);

  expect(ours.tools.map((tool) => tool.name)).toHaveLength(4);
  expect(JSON.stringify(ours)).toBe(JSON.stringify(theirs));
});
