// fay-mcp --http: MCP Streamable HTTP at /mcp, stateless (one MCP server per request, mcp.ts),
// /healthz without auth, and sign-in (../oauth) when it is configured. This file listens, drains on
// SIGTERM and says so on stderr; who may call is decided by guards.ts, authorize.ts and
// in-flight.ts, and handler.ts answers.
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../../../core/internal.js';
import {
  HEADERS_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
  type HttpConfig,
  type McpConfig,
} from '../../config/index.js';
import { fayKeyCheck } from '../oauth/check-key.js';
import { createOAuth } from '../oauth/router.js';
import { authorizer } from './authorize.js';
import { createHandler } from './handler.js';
import { InFlight } from './in-flight.js';

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  /**
   * Answers new requests 503, has every wait in flight answer now, waits for the requests in
   * flight (up to the grace period), then closes.
   */
  drain(): Promise<void>;
}

async function serveHttp(config: McpConfig, http: HttpConfig): Promise<RunningHttpServer> {
  const inFlight = new InFlight(http.maxInFlight);
  const oauth = http.oauth
    ? createOAuth({ settings: http.oauth, checkKey: fayKeyCheck(config) })
    : undefined;
  const handle = createHandler({
    config,
    http,
    guardHost: isLoopbackHost(http.host),
    ...(http.oauth ? { publicUrl: new URL(http.oauth.issuer) } : {}),
    authorize: authorizer(config, http, oauth),
    inFlight,
    ...(oauth ? { oauth } : {}),
  });
  const httpServer = createHttpServer(
    {
      headersTimeout: HEADERS_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      // How often those timeouts are checked (Node's default, 30 s, would let them run 30 s over).
      connectionsCheckingInterval: 1_000,
    },
    (req, res) => void handle(req, res),
  );
  httpServer.maxConnections = http.maxConnections;
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
      // Still listening: until the last answer is out, a new request gets 503 with Retry-After
      // (a load balancer retries it elsewhere) rather than a refused connection.
      const idle = inFlight.drain();
      httpServer.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const grace = new Promise<void>(
        (resolve) => (timer = setTimeout(resolve, http.shutdownGraceMs)),
      );
      await Promise.race([idle, grace]);
      clearTimeout(timer);
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
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
    ? 'server-held key, FAY_MCP_TOKEN required'
    : http.oauth
      ? `each client signs in at ${http.oauth.issuer} or sends its own Fay key`
      : 'each client sends its own Fay key';
  process.stderr.write(
    `fay-mcp: listening on ${running.url} (Fay API ${config.baseUrl}, ${auth}).\n`,
  );
  // stdin is not ours in HTTP mode: it may be closed or /dev/null. SIGTERM drains, then exits 0.
  const shutdown = () => {
    process.stderr.write(
      'fay-mcp: shutting down: new requests get 503, the calls in flight answer now.\n',
    );
    void running.drain().finally(() => process.exit(0));
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}
