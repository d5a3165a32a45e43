// The fay-mcp process (started by bin.ts): configuration from the environment (see config.ts),
// then the server over stdio. stdout carries JSON-RPC only; every diagnostic goes to stderr (bin.ts
// has pointed the whole console there before this module loads).
import { loadConfig } from './config.js';
import { RedactingStdioTransport } from './redact.js';
import { createServer } from './server.js';

function refuse(message: string): never {
  process.stderr.write(`fay-mcp: ${message}\n`);
  process.exit(1);
}

const loaded = loadConfig(process.env);
if (!loaded.ok) refuse(loaded.message);
const { config } = loaded;

const server = createServer(config);
const transport = new RedactingStdioTransport(config.apiKey);
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
