// fay-mcp over stdio: one server for the life of the connection. stdout carries JSON-RPC only;
// every diagnostic goes to stderr.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { McpConfig } from '../config/index.js';
import { createServer } from '../server/create-server.js';
import { redactMessage } from '../server/redact.js';

/**
 * The key is scrubbed from anything sent (server/redact.ts). While stdout is full (a client that
 * has stopped reading), stdin is not read: requests wait in the pipe rather than as answers in
 * memory, and every send waits for the one drain (not a listener each).
 */
class StdioTransport extends StdioServerTransport {
  readonly #apiKey: string | undefined;
  #drained: Promise<void> | undefined;

  constructor(apiKey: string | undefined) {
    super(process.stdin, process.stdout);
    this.#apiKey = apiKey;
  }

  override send(message: JSONRPCMessage): Promise<void> {
    const written = process.stdout.write(serializeMessage(redactMessage(message, this.#apiKey)));
    if (!written && this.#drained === undefined) {
      process.stdin.pause();
      this.#drained = new Promise((resolve) =>
        process.stdout.once('drain', () => {
          this.#drained = undefined;
          process.stdin.resume();
          resolve();
        }),
      );
    }
    return this.#drained ?? Promise.resolve();
  }
}

/** Serves until the client closes stdin (exit 0) or stdin can no longer be read (exit 1). */
export async function serveStdio(config: McpConfig): Promise<void> {
  const server = createServer(config);
  const transport = new StdioTransport(config.apiKey);
  let shuttingDown = false;
  let lastError: Error | undefined;
  // Set before connect, which chains the SDK's own handlers after these.
  transport.onerror = (error) => {
    lastError = error;
  };
  // The transport closes by itself only when it can no longer read stdin, e.g. a line over the
  // SDK's 10 MiB limit: it then stops reading and would leave a silent, dead session. Say why, and
  // exit non-zero so the client sees the session end.
  transport.onclose = () => {
    if (shuttingDown) return;
    process.stderr.write(
      `fay-mcp: stopped reading from the MCP client (${lastError?.message ?? 'stdin closed'}); a ` +
        'single message may be at most 10 MiB. Exiting.\n',
    );
    process.exit(1);
  };
  // A client that goes away closes our stdout: writing then fails (EPIPE). Nothing is left to
  // answer, so end quietly instead of crashing with a stack trace.
  process.stdout.on('error', () => process.exit(0));
  await server.connect(transport);
  process.stderr.write(
    `fay-mcp: ready (Fay API ${config.baseUrl}, ${config.apiKey ? 'API key set' : 'no FAY_API_KEY: calls will explain how to set it'}).\n`,
  );

  // The client closes stdin to end the session: exit then, not when the last timer fires.
  const shutdown = () => {
    shuttingDown = true;
    void server.close().finally(() => process.exit(0));
  };
  process.stdin.on('end', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}
