// fay-mcp --http: MCP Streamable HTTP at /mcp, stateless. Each POST gets its own MCP server and
// transport (the SDK's stateless mode), built with the caller's Fay client, so a replica keeps
// nothing between requests and any request may land on any replica (tasks and resources are read
// from Fay, see task-store.ts). In front of the SDK transport, this file decides who may call:
// Host (on loopback) and Origin checks, the bearer token, the cap of requests in flight, and the
// drain on SIGTERM. /healthz answers without auth.
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  StreamableHTTPServerTransport,
  type StreamableHTTPServerTransportOptions,
} from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import type { TransportSendOptions } from '@modelcontextprotocol/sdk/shared/transport.js';
import { FayValidationError, type FayClient } from '../core/index.js';
import { isLoopbackHost, PACKAGE_VERSION } from '../core/internal.js';
import type { McpConfig } from './config.js';
import { fayClient, lazyClient } from './context.js';
import { MAX_BODY_BYTES, type HttpConfig } from './http-config.js';
import { redactMessage } from './redact.js';
import { createServer } from './server.js';

/** The key is scrubbed from anything sent, as over stdio (redact.ts). */
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

const digest = (text: string) => createHash('sha256').update(text).digest();

/** Constant time: every token is compared, each over fixed-length digests. */
function isOneOf(candidate: string, tokens: readonly Buffer[]): boolean {
  const given = digest(candidate);
  let found = false;
  for (const token of tokens) found = timingSafeEqual(given, token) || found;
  return found;
}

function bearerOf(req: IncomingMessage): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
}

function answer(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** A refusal worded for the caller, as a JSON-RPC error (what MCP clients show). */
function refuse(
  res: ServerResponse,
  status: number,
  message: string,
  headers?: Record<string, string>,
): void {
  answer(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null }, headers);
}

function hostnameOf(host: string | undefined): string | undefined {
  try {
    return host ? new URL(`http://${host}`).hostname : undefined;
  } catch {
    return undefined;
  }
}

export interface RunningHttpServer {
  /** The MCP endpoint, e.g. http://127.0.0.1:3000/mcp. */
  url: string;
  /** Stops accepting, waits for requests in flight (up to the grace period), then closes. */
  drain(): Promise<void>;
}

/** An authorized request: the Fay key it acts with, and the client for that key. */
interface Caller {
  key: string;
  client: () => Promise<FayClient>;
}

export async function serveHttp(config: McpConfig, http: HttpConfig): Promise<RunningHttpServer> {
  const tokens = http.tokens.map(digest);
  // Server-held key: one client, one status budget for every caller.
  const sharedClient = config.apiKey ? lazyClient(config) : undefined;
  const guardHost = isLoopbackHost(http.host);
  let inFlight = 0;
  let draining = false;
  let onIdle = () => {};

  /** Who is calling: the Fay key and client to use, or undefined after answering 401. */
  function authorize(req: IncomingMessage, res: ServerResponse): Caller | undefined {
    const bearer = bearerOf(req);
    const challenge = { 'www-authenticate': 'Bearer realm="fay-mcp"' };
    if (config.apiKey && sharedClient) {
      const held = { key: config.apiKey, client: sharedClient };
      if (tokens.length === 0) return held; // loopback without tokens
      if (bearer !== undefined && isOneOf(bearer, tokens)) return held;
      refuse(
        res,
        401,
        'Send one of the tokens in FAY_MCP_TOKEN as "Authorization: Bearer <token>".',
        challenge,
      );
      return undefined;
    }
    if (bearer !== undefined) {
      // The client applies the core's key rules (length, characters) before the key reaches the
      // redaction of every answer (a one-letter "key" would be redacted out of every word).
      let client: FayClient;
      try {
        client = fayClient(config, bearer);
      } catch (error) {
        if (!(error instanceof FayValidationError)) throw error;
        const problem = error.field === 'apiKey' ? error.problem : undefined;
        refuse(
          res,
          401,
          `The Fay API key sent as "Authorization: Bearer <key>" ${problem ?? 'is not usable'}`,
          challenge,
        );
        return undefined;
      }
      return { key: bearer, client: async () => client };
    }
    refuse(res, 401, 'Send your Fay API key as "Authorization: Bearer <key>".', challenge);
    return undefined;
  }

  async function serveMcp(
    req: IncomingMessage,
    res: ServerResponse,
    caller: Caller,
  ): Promise<void> {
    const { key, client } = caller;
    const server = createServer({ ...config, apiKey: key, keyFromClient: !sharedClient }, client);
    const transport = new RedactingHttpTransport(key, {
      sessionIdGenerator: undefined,
      maxRequestBodySize: MAX_BODY_BYTES,
    });
    inFlight += 1;
    res.on('close', () => {
      inFlight -= 1;
      void transport.close();
      void server.close();
      if (inFlight === 0) onIdle();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz' && req.method === 'GET') {
      answer(res, 200, { status: draining ? 'draining' : 'ok', version: PACKAGE_VERSION });
      return;
    }
    if (path !== '/mcp') {
      refuse(res, 404, 'Not found: the MCP endpoint is /mcp.');
      return;
    }
    // DNS rebinding: a page on another name resolving to 127.0.0.1 must not reach us.
    if (guardHost && !isLoopbackHost(hostnameOf(req.headers.host) ?? '')) {
      refuse(res, 403, `Host ${req.headers.host ?? '(none)'} is not allowed.`);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !http.allowedOrigins.includes(origin)) {
      refuse(res, 403, `Origin ${origin} is not allowed (FAY_MCP_ALLOWED_ORIGINS).`);
      return;
    }
    if (origin !== undefined) {
      // An allowed browser origin: CORS, so its page can read the answers it is allowed to get.
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('vary', 'Origin');
      if (req.method === 'OPTIONS') {
        res.writeHead(204, {
          'access-control-allow-methods': 'POST',
          'access-control-allow-headers':
            'authorization, content-type, accept, mcp-protocol-version, last-event-id',
          'access-control-max-age': '600',
        });
        res.end();
        return;
      }
    }
    if (req.method !== 'POST') {
      // Stateless: no standalone stream and no session to delete.
      refuse(res, 405, 'Method not allowed: this stateless server takes POST only.', {
        allow: 'POST',
      });
      return;
    }
    const caller = authorize(req, res);
    if (!caller) return;
    if (draining) {
      refuse(res, 503, 'The server is shutting down; retry (another replica will answer).', {
        'retry-after': '1',
        connection: 'close',
      });
      return;
    }
    if (inFlight >= http.maxInFlight) {
      refuse(
        res,
        503,
        `The server is busy: ${http.maxInFlight} requests in flight (FAY_MCP_MAX_CALLS_IN_FLIGHT). Retry in a second.`,
        { 'retry-after': '1' },
      );
      return;
    }
    await serveMcp(req, res, caller);
  }

  const httpServer = createHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      process.stderr.write(
        `fay-mcp error: ${error instanceof Error ? error.message : String(error)}\n`,
      );
      if (!res.headersSent) refuse(res, 500, 'Internal error in the Fay MCP server.');
      else res.end();
    });
  });
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
      draining = true;
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const idle = new Promise<void>((resolve) => {
        onIdle = resolve;
        if (inFlight === 0) resolve();
      });
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
