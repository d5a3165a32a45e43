// The HTTP mode's settings: the command line (--http, --host, --port) and its environment
// variables. To add a variable: one line in envSchema, one field in HttpConfig and its value in
// loadHttpConfig. Like mcp.ts, a bad value is refused at start with one line naming it.
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { loadOAuthSettings, type OAuthSettings } from './oauth.js';
import { invalidConfiguration, list, number, parseVariables, type Loaded } from './rules.js';

export interface HttpConfig {
  host: string;
  port: number;
  /** FAY_MCP_TOKEN, split on commas: the bearer tokens accepted; set exactly when the server holds the key. */
  tokens: string[];
  /** FAY_MCP_ALLOWED_ORIGINS: browser origins allowed to call; a request without Origin is served. */
  allowedOrigins: string[];
  /** Requests handled at once before callers are told to retry. */
  maxInFlight: number;
  /** Connections open at once; past it a new connection is closed unanswered. */
  maxConnections: number;
  /** How long SIGTERM waits for requests in flight. */
  shutdownGraceMs: number;
  /** Sign-in (FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS), or undefined when off. */
  oauth: OAuthSettings | undefined;
}

const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_PORT = 3000;
const DEFAULT_MAX_IN_FLIGHT = 256;
const DEFAULT_SHUTDOWN_GRACE_SECONDS = 30;
/** Request bodies above this get 413 (a tool call's arguments are a few KB). */
export const MAX_BODY_BYTES = 1024 * 1024;
/**
 * Connection limits, so that clients which connect and then send slowly or nothing at all (no
 * key needed) cannot hold sockets: a request's headers must arrive within HEADERS_TIMEOUT_MS and
 * the whole request (1 MiB at most) within REQUEST_TIMEOUT_MS, or it gets 408 and is closed; an
 * idle kept-alive connection is closed after KEEP_ALIVE_TIMEOUT_MS; and the server keeps at most
 * CONNECTIONS_PER_CALL connections per call it may handle (FAY_MCP_MAX_CALLS_IN_FLIGHT).
 */
export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 20_000;
export const KEEP_ALIVE_TIMEOUT_MS = 5_000;
const CONNECTIONS_PER_CALL = 4;

/** The HTTP mode's own variables, read with --http only (see mcp.ts for the others). */
const envSchema = z.object({
  PORT: number('PORT', { unit: 'whole', min: 0, max: 65_535 }),
  FAY_MCP_TOKEN: list,
  FAY_MCP_ALLOWED_ORIGINS: list,
  FAY_MCP_MAX_CALLS_IN_FLIGHT: number('FAY_MCP_MAX_CALLS_IN_FLIGHT', {
    unit: 'whole',
    min: 1,
    max: 100_000,
  }),
  FAY_MCP_SHUTDOWN_GRACE_SECONDS: number('FAY_MCP_SHUTDOWN_GRACE_SECONDS', {
    unit: 'whole',
    min: 0,
    max: 3_600,
  }),
});

export type HttpConfigResult = Loaded<HttpConfig>;

/** True when the command line asks for HTTP. */
export function wantsHttp(argv: readonly string[]): boolean {
  return argv.includes('--http');
}

/**
 * What is wrong with serving FAY_API_KEY (or not) with these tokens and sign-in. Tokens go with a
 * server-held key, always: without them the key is open to anyone who reaches the port, and
 * without the key they would be sent to Fay as keys.
 */
function serverKeyProblem(
  apiKey: string | undefined,
  tokens: readonly string[],
  oauth: OAuthSettings | undefined,
): string | undefined {
  if (!apiKey) {
    if (tokens.length === 0) return undefined;
    return (
      'FAY_MCP_TOKEN is set but FAY_API_KEY is not: tokens admit clients to the Fay key this ' +
      'server holds. Set FAY_API_KEY, or unset FAY_MCP_TOKEN so each client sends its own Fay key.'
    );
  }
  if (tokens.length === 0) {
    // Loopback is no exception: a reverse proxy on the same machine (nginx rewrites Host to the
    // upstream by default) makes every request look local.
    return (
      'Refusing to serve FAY_API_KEY without FAY_MCP_TOKEN: anyone who can reach the port, ' +
      'directly or through a proxy on this machine, would spend your Fay account. Set ' +
      'FAY_MCP_TOKEN (comma-separated tokens your clients send as "Authorization: Bearer ' +
      '<token>"), or leave FAY_API_KEY unset so each client sends its own Fay key.'
    );
  }
  if (oauth) {
    return (
      "Sign-in (FAY_MCP_PUBLIC_URL and FAY_MCP_OAUTH_SECRETS) brings each user's own Fay key, so " +
      'it does not go with FAY_API_KEY: unset FAY_API_KEY, or unset the two sign-in variables ' +
      'to serve your key with FAY_MCP_TOKEN.'
    );
  }
  if (tokens.includes(apiKey)) {
    return 'FAY_MCP_TOKEN must not contain the Fay API key: clients would hold the key itself.';
  }
  return undefined;
}

export function loadHttpConfig(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  apiKey: string | undefined,
): HttpConfigResult {
  let options: { host?: string; port?: string };
  try {
    ({ values: options } = parseArgs({
      args: [...argv],
      options: { http: { type: 'boolean' }, host: { type: 'string' }, port: { type: 'string' } },
    }));
  } catch (error) {
    return {
      ok: false,
      message: `${(error as Error).message}. Usage: fay-mcp --http [--host 127.0.0.1] [--port 3000]`,
    };
  }
  const parsed = parseVariables(envSchema, { ...env, PORT: options.port ?? env.PORT }, (name) =>
    name === 'PORT' && options.port !== undefined ? '--port' : name,
  );
  if (!parsed.ok) return { ok: false, message: invalidConfiguration(parsed.problems) };
  const values = parsed.data;
  const host = options.host?.trim() || DEFAULT_HOST;
  const tokens = values.FAY_MCP_TOKEN;
  const oauth = loadOAuthSettings(env);
  if (!oauth.ok) return { ok: false, message: oauth.message };
  const problem = serverKeyProblem(apiKey, tokens, oauth.settings);
  if (problem) return { ok: false, message: problem };
  const maxInFlight = values.FAY_MCP_MAX_CALLS_IN_FLIGHT ?? DEFAULT_MAX_IN_FLIGHT;
  return {
    ok: true,
    config: {
      host,
      port: values.PORT ?? DEFAULT_PORT,
      tokens,
      allowedOrigins: values.FAY_MCP_ALLOWED_ORIGINS,
      maxInFlight,
      maxConnections: CONNECTIONS_PER_CALL * maxInFlight,
      shutdownGraceMs:
        (values.FAY_MCP_SHUTDOWN_GRACE_SECONDS ?? DEFAULT_SHUTDOWN_GRACE_SECONDS) * 1000,
      oauth: oauth.settings,
    },
  };
}
