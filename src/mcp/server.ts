// Builds the MCP server: capabilities (tools, resources, logging, tasks for tools/call), the Fay
// client, the tools from the registry and the research resource. Over stdio one server lives for
// the connection; over HTTP one is built per request (stateless), given the request's client.
import type { FayClient } from '../core/index.js';
import { PACKAGE_VERSION } from '../core/internal.js';
import type { McpConfig } from './config.js';
import { lazyClient, ResearchLog, type ToolContext } from './context.js';
import { createLogger } from './log.js';
import { redactor } from './redact.js';
import { registerTools } from './registry.js';
import { registerResearchResource } from './resources.js';
import { FayTaskStore } from './task-store.js';
import { FayMcpServer } from './tool-calls.js';

const INSTRUCTIONS =
  'Fay researches questions on the web and answers with sources. Use fay_research to ask and ' +
  'wait; if it returns a request_id with a status instead of an answer, the research is still ' +
  'running: call fay_get_research with that request_id a minute or two later. Use ' +
  'fay_start_research to run researches in the background, and fay_stop_research only to ' +
  'abandon one for good.';

/** `client` defaults to one built from `config` on first use (one status budget per server). */
export function createServer(
  config: McpConfig,
  client: () => Promise<FayClient> = lazyClient(config),
): FayMcpServer {
  const redact = redactor(config.apiKey);
  // The store needs the logger, which needs the server: it reaches the logger when it logs.
  const taskStore = new FayTaskStore(
    client,
    { log: (level, text) => ctx.log.log(level, text) },
    config.keyFromClient,
  );
  const server = new FayMcpServer(
    { name: 'fay-mcp', title: 'Fay research', version: PACKAGE_VERSION },
    {
      capabilities: {
        tools: {},
        resources: {},
        logging: {},
        // No tasks/list: no replica knows which tasks a caller made (see task-store.ts).
        tasks: { cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore,
      instructions: INSTRUCTIONS,
    },
  );
  const ctx: ToolContext = {
    config,
    client,
    researches: new ResearchLog(() => server.sendResourceListChanged()),
    log: createLogger(server, redact),
  };
  registerTools(server, ctx);
  registerResearchResource(server, ctx);
  return server;
}
