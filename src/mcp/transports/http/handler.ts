// The HTTP request handler: /healthz, then sign-in's own routes when it is on (oauth/router.ts),
// then for /mcp the guards (Host, Origin and CORS), the method, authorization, the body (read in
// full before the request counts in flight), the batch rule and the in-flight cap, each throwing a
// Refusal; one catch writes the refusal (with WWW-Authenticate on a 401) or a 500.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PACKAGE_VERSION, redactText } from '../../../core/internal.js';
import type { HttpConfig, McpConfig } from '../../config/index.js';
import type { Caller } from './authorize.js';
import { callsIn } from './batch.js';
import { readJsonBody } from './body.js';
import { checkHost, corsHeaders, PREFLIGHT_HEADERS } from './guards.js';
import type { InFlight } from './in-flight.js';
import { serveMcp } from './mcp.js';
import { OAuthError } from '../oauth/errors.js';
import type { OAuthServer } from '../oauth/router.js';
import { Refusal } from './refusal.js';
import { writeJson } from '../write-json.js';

/** What a 401 tells the client about how to authenticate, without sign-in. */
const CHALLENGE = 'Bearer realm="fay-mcp"';

export interface HandlerParts {
  config: McpConfig;
  http: HttpConfig;
  /** Host checks apply (the server listens on loopback). */
  guardHost: boolean;
  /** With sign-in: the URL clients use, whose host is served on a loopback listener too. */
  publicUrl?: URL;
  authorize: (req: IncomingMessage) => Caller;
  inFlight: InFlight;
  /** Sign-in, when FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS are set. */
  oauth?: OAuthServer;
}

/** WWW-Authenticate for a 401: with sign-in, it names the resource metadata (and the error). */
function challengeOf(refusal: Refusal, oauth: OAuthServer | undefined): string {
  if (!oauth) return CHALLENGE;
  return oauth.challenge(refusal.cause instanceof OAuthError ? refusal.cause : undefined);
}

/** The one place a failed request is answered: a refusal as a JSON-RPC error, anything else 500. */
function fail(
  res: ServerResponse,
  error: unknown,
  oauth: OAuthServer | undefined,
  keys: readonly (string | undefined)[] = [],
): void {
  if (error instanceof Refusal) {
    const challenge: Record<string, string> =
      error.status === 401 ? { 'www-authenticate': challengeOf(error, oauth) } : {};
    const body = { jsonrpc: '2.0', error: { code: error.code, message: error.message }, id: null };
    writeJson(res, error.status, body, { ...error.headers, ...challenge });
    return;
  }
  // Any key in play (the server's, the caller's) is redacted: an unexpected error's message may
  // quote what it was handed.
  const message = error instanceof Error ? error.message : String(error);
  const redacted = keys.reduce<string>((text, key) => redactText(text, key), message);
  process.stderr.write(`fay-mcp error: ${redacted}\n`);
  if (res.headersSent) res.end();
  else fail(res, new Refusal(500, 'Internal error in the Fay MCP server.'), oauth);
}

/** What a request has revealed so far that its error log must not show. */
interface Seen {
  key?: string;
}

async function route(req: IncomingMessage, res: ServerResponse, parts: HandlerParts, seen: Seen) {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/healthz' && req.method === 'GET') {
    const status = parts.inFlight.draining ? 'draining' : 'ok';
    writeJson(res, 200, { status, version: PACKAGE_VERSION });
    return;
  }
  if (parts.oauth && (await parts.oauth.handleOAuth(req, res))) return;
  const isMcp = path === '/mcp' || parts.oauth?.route(path ?? '') === 'mcp';
  if (!isMcp) throw new Refusal(404, 'Not found: the MCP endpoint is /mcp.');
  checkHost(req.headers.host, parts.guardHost, parts.publicUrl);
  const cors = corsHeaders(req.headers.origin, parts.http.allowedOrigins);
  for (const [name, value] of Object.entries(cors)) res.setHeader(name, value);
  if (req.headers.origin !== undefined && req.method === 'OPTIONS') {
    res.writeHead(204, PREFLIGHT_HEADERS);
    res.end();
    return;
  }
  if (req.method !== 'POST') {
    // Stateless: no standalone stream and no session to delete.
    throw new Refusal(405, 'Method not allowed: this stateless server takes POST only.', {
      allow: 'POST',
    });
  }
  const caller = parts.authorize(req);
  seen.key = caller.key;
  // Full or draining: said before the body is read.
  parts.inFlight.admit(1);
  const body = await readJsonBody(req);
  const calls = callsIn(body, req.headers['mcp-protocol-version']);
  await serveMcp(req, res, { config: parts.config, caller, inFlight: parts.inFlight, body, calls });
}

export function createHandler(parts: HandlerParts) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const seen: Seen = {};
    try {
      await route(req, res, parts, seen);
    } catch (error) {
      fail(res, error, parts.oauth, [parts.config.apiKey, seen.key]);
    }
  };
}
