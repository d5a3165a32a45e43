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
await server.connect(transport);
process.stderr.write(
  `fay-mcp: ready (Fay API ${config.baseUrl}, ${config.apiKey ? 'API key set' : 'no FAY_API_KEY: calls will explain how to set it'}).\n`,
);

// The client closes stdin to end the session: exit then, not when the last timer fires.
const shutdown = () => {
  void server.close().finally(() => process.exit(0));
};
process.stdin.on('end', shutdown);
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
