// One MCP request over Streamable HTTP, stateless: its own MCP server and SDK transport, built
// with the caller's Fay client, so a replica keeps nothing between requests and any request may
// land on any replica (tasks and resources are read from Fay, see tasks/store.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  StreamableHTTPServerTransport,
  type StreamableHTTPServerTransportOptions,
} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { MAX_BODY_BYTES, type McpConfig } from '../../config/index.js';
import { createServer } from '../../server/create-server.js';
import { redactMessage } from '../../server/redact.js';
import type { Caller } from './authorize.js';
import type { InFlight } from './in-flight.js';

/** The key is scrubbed from anything sent, as over stdio (server/redact.ts). */
class RedactingHttpTransport extends StreamableHTTPServerTransport {
  readonly #apiKey: string | undefined;

  constructor(apiKey: string | undefined, options: StreamableHTTPServerTransportOptions) {
    super(options);
    this.#apiKey = apiKey;
  }

  override send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return super.send(redactMessage(message, this.#apiKey), options);
  }
}

/** One MCP request, its body read (body.ts). */
export interface McpRequest {
  config: McpConfig;
  caller: Caller;
  inFlight: InFlight;
  /** The parsed JSON body. */
  body: unknown;
  /** The calls it makes (batch.ts), each counted in flight. */
  calls: number;
}

/** Answers one MCP request for its caller, its calls counted in flight until the response closes. */
export async function serveMcp(
  req: IncomingMessage,
  res: ServerResponse,
  { config, caller, inFlight, body, calls }: McpRequest,
): Promise<void> {
  const { key, client, keySource } = caller;
  const server = createServer(
    { ...config, apiKey: key },
    { client, keySource, shutdown: inFlight.shutdown },
  );
  const transport = new RedactingHttpTransport(key, {
    sessionIdGenerator: undefined,
    maxRequestBodySize: MAX_BODY_BYTES,
  });
  inFlight.enter(res, calls, () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(req, res, body);
}
