// Builds the MCP server: capabilities (tools, resources, logging, tasks for tools/call), the Fay
// client, the tools from the registry and the research resource. Over stdio one server lives for
// the connection; over HTTP one is built per request (stateless), given the request's client.
import type { FayClient, Sleep } from '../../core/index.js';
import { PACKAGE_VERSION } from '../../core/internal.js';
import type { McpConfig } from '../config/index.js';
import { ResearchLog, type ToolContext } from '../research/context.js';
import { HEARTBEAT_MS } from '../research/heartbeat.js';
import { registerResearchResource } from '../resources/research.js';
import { registerTaskMethods } from '../tasks/methods.js';
import { FayTaskStore } from '../tasks/store.js';
import { registerTools } from '../tools/registry.js';
import { lazyClient } from './clients.js';
import { describeError, type KeySource } from './errors.js';
import { createLogger } from './log.js';
import { FayMcpServer } from './mcp-server.js';
import { redactor } from './redact.js';

const INSTRUCTIONS =
  'Fay researches questions on the web and answers with sources. Use fay_research to ask and ' +
  'wait; if it returns a request_id with a status instead of an answer, the research is still ' +
  'running: call fay_get_research with that request_id a minute or two later. Use ' +
  'fay_start_research to run researches in the background, and fay_stop_research only to ' +
  'abandon one for good. A long answer comes in parts; each result says which part it holds ' +
  'and how to read the next with fay_get_research.';

/** How a server is built; every option has its production default. */
export interface ServerOptions {
  /** The Fay client; default: one built from the config on first use (one status budget). */
  client?: () => Promise<FayClient>;
  /**
   * Where the key came from (HTTP without FAY_API_KEY: the caller's Authorization header or its
   * sign-in): advice about a rejected key then points there. Default 'server'.
   */
  keySource?: KeySource;
  /** Interval of progress notifications while a call waits (default HEARTBEAT_MS). */
  heartbeatMs?: number;
  /** The clock (default Date.now). */
  now?: () => number;
  /** How the default client sleeps between polls and retries (default: the core's timers). */
  sleep?: Sleep;
  /** Aborted when the server shuts down: the waits in flight answer at once (default: never). */
  shutdown?: AbortSignal;
}

export function createServer(config: McpConfig, options: ServerOptions = {}): FayMcpServer {
  const client = options.client ?? lazyClient(config, options.sleep);
  const redact = redactor(config.apiKey);
  const describe = (error: unknown) => describeError(error, options.keySource);
  const now = options.now ?? Date.now;
  // The store needs the logger, which needs the server: it reaches the logger when it logs.
  const taskStore = new FayTaskStore({
    client,
    config,
    describe,
    now,
    log: { log: (level, text) => ctx.log.log(level, text) },
  });
  const server = new FayMcpServer(
    { name: 'fay-mcp', title: 'Fay research', version: PACKAGE_VERSION },
    {
      capabilities: {
        tools: {},
        resources: {},
        logging: {},
        // No tasks/list: no replica knows which tasks a caller made (see tasks/store.ts).
        tasks: { cancel: {}, requests: { tools: { call: {} } } },
      },
      taskStore,
      instructions: INSTRUCTIONS,
    },
  );
  const ctx: ToolContext = {
    config,
    client,
    describe,
    now,
    heartbeatMs: options.heartbeatMs ?? HEARTBEAT_MS,
    shutdown: options.shutdown ?? new AbortController().signal,
    researches: new ResearchLog(() => server.sendResourceListChanged()),
    log: createLogger(server, redact),
  };
  registerTools(server, ctx);
  registerResearchResource(server, ctx);
  registerTaskMethods(server.server, taskStore, ctx);
  return server;
}
