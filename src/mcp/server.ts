// Builds the MCP server: capabilities (tools, resources, logging, tasks for tools/call), the shared
// Fay client, the tools from the registry and the research resource.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { PACKAGE_VERSION } from '../core/version.js';
import type { McpConfig } from './config.js';
import { lazyClient, ResearchLog, type ToolContext } from './context.js';
import { createLogger } from './log.js';
import { redactor } from './redact.js';
import { registerTools } from './registry.js';
import { registerResearchResource } from './resources.js';
import { StoppingTaskStore } from './task-store.js';

const INSTRUCTIONS =
  'Fay researches questions on the web and answers with sources. Use fay_research to ask and ' +
  'wait; if it returns a request_id with a status instead of an answer, the research is still ' +
  'running: call fay_get_research with that request_id a minute or two later. Use ' +
  'fay_start_research to run researches in the background, and fay_stop_research only to ' +
  'abandon one for good.';

export function createServer(config: McpConfig): McpServer {
  const taskStore = new StoppingTaskStore();
  const server = new McpServer(
    { name: 'fay-mcp', title: 'Fay research', version: PACKAGE_VERSION },
    {
      capabilities: {
        tools: {},
        resources: {},
        logging: {},
        tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore,
      instructions: INSTRUCTIONS,
    },
  );
  const ctx: ToolContext = {
    config,
    client: lazyClient(config),
    researches: new ResearchLog(() => server.sendResourceListChanged()),
    log: createLogger(server, redactor(config.apiKey)),
    taskStore,
  };
  registerTools(server, ctx);
  registerResearchResource(server, ctx);
  server.server.onclose = () => taskStore.dispose();
  return server;
}
