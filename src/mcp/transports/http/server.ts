// fay-mcp --http: MCP Streamable HTTP at /mcp, stateless (one MCP server per request, mcp.ts),
// /healthz without auth, and sign-in (../oauth) when it is configured. This file listens, drains on
// SIGTERM and says so on stderr; who may call is decided by guards.ts, authorize.ts and
// in-flight.ts, and handler.ts answers.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../../core/internal.js';
import type { HttpConfig, McpConfig } from '../../config/index.js';
import { fayKeyCheck } from '../oauth/check-key.js';
import { createOAuth } from '../oauth/router.js';
import { authorizer } from './authorize.js';
import { createHandler } from './handler.js';
import { InFlight } from './in-flight.js';

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  /** Stops accepting, waits for requests in flight (up to the grace period), then closes. */
  drain(): Promise<void>;
}

export async function serveHttp(config: McpConfig, http: HttpConfig): Promise<RunningHttpServer> {
  const inFlight = new InFlight(http.maxInFlight);
  const oauth = http.oauth
    ? createOAuth({ settings: http.oauth, checkKey: fayKeyCheck(config) })
    : undefined;
  const handle = createHandler({
    config,
    http,
    guardHost: isLoopbackHost(http.host),
    authorize: authorizer(config, http, oauth),
    inFlight,
    ...(oauth ? { oauth } : {}),
  });
  const httpServer = createHttpServer((req, res) => void handle(req, res));
  const listenHost = http.host.replace(/^\[(.*)\]$/, '$1');
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(http.port, listenHost, () => resolve());
  });
  const { port } = httpServer.address() as AddressInfo;
  const urlHost = listenHost.includes(':') ? `[${listenHost}]` : listenHost;

  return {
    url: `http://${urlHost}:${port}/mcp`,
    async drain() {
      const idle = inFlight.drain();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, http.shutdownGraceMs)),
      );
      await Promise.race([idle, grace]);
      clearTimeout(timer);
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

/** Serves until SIGTERM or SIGINT, then drains and exits 0; `exitWith` reports a failed start. */
export async function runHttp(
  config: McpConfig,
  http: HttpConfig,
  exitWith: (message: string) => never,
): Promise<void> {
  const running = await serveHttp(config, http).catch((error: unknown) =>
    exitWith(`cannot listen on ${http.host}:${http.port}: ${(error as Error).message}`),
  );
  const auth = config.apiKey
    ? `server-held key, ${http.tokens.length ? 'FAY_MCP_TOKEN required' : 'no token (loopback)'}`
    : http.oauth
      ? `each client signs in at ${http.oauth.issuer} or sends its own Fay key`
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
}
