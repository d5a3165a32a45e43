// The fay-mcp process (started by bin.ts): configuration from the environment (see config.ts),
// then the server over stdio, or over HTTP with --http (http.ts). stdout carries JSON-RPC only;
// every diagnostic goes to stderr (bin.ts has pointed the whole console there before this module
// loads).
import { loadConfig } from './config.js';
import { loadHttpConfig, wantsHttp } from './http-config.js';
import { useEnvProxy } from './proxy.js';
import { RedactingStdioTransport } from './redact.js';
import { createServer } from './server.js';

function refuse(message: string): never {
  process.stderr.write(`fay-mcp: ${message}\n`);
  process.exit(1);
}

const loaded = loadConfig(process.env);
if (!loaded.ok) refuse(loaded.message);
const { config } = loaded;
const proxyWarning = useEnvProxy(process.env);
if (proxyWarning) process.stderr.write(`fay-mcp: ${proxyWarning}\n`);
const argv = process.argv.slice(2);

if (wantsHttp(argv)) {
  const http = loadHttpConfig(argv, process.env, config.apiKey);
  if (!http.ok) refuse(http.message);
  const { serveHttp } = await import('./http.js');
  const running = await serveHttp(config, http.config).catch((error: unknown) =>
    refuse(`cannot listen on ${http.config.host}:${http.config.port}: ${(error as Error).message}`),
  );
  const auth = config.apiKey
    ? `server-held key, ${http.config.tokens.length ? 'FAY_MCP_TOKEN required' : 'no token (loopback)'}`
    : 'each client sends its own Fay key';
  process.stderr.write(
    `fay-mcp: listening on ${running.url} (Fay API ${config.baseUrl}, ${auth}).\n`,
  );
  // stdin is not ours in HTTP mode: it may be closed or /dev/null. SIGTERM drains, then exits 0.
  const shutdown = () => {
    process.stderr.write('fay-mcp: shutting down: no new requests, finishing those in flight.\n');
    void running.drain().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
} else {
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
