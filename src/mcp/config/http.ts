// The HTTP mode's settings: the command line (--http, --host, --port) and its environment
// variables. To add a variable: one line in envSchema, one field in HttpConfig and its value in
// loadHttpConfig. Like mcp.ts, a bad value is refused at start with one line naming it.
import { parseArgs } from 'node:util';
import * as z from 'zod';
import { isLoopbackHost } from '../../core/internal.js';
import { loadOAuthSettings, type OAuthSettings } from './oauth.js';
import { invalidConfiguration, list, number, parseVariables, type Loaded } from './rules.js';

export interface HttpConfig {
  host: string;
  port: number;
  /** FAY_MCP_TOKEN, split on commas: the bearer tokens accepted when the server holds the key. */
  tokens: string[];
  /** FAY_MCP_ALLOWED_ORIGINS: browser origins allowed to call; a request without Origin is served. */
  allowedOrigins: string[];
  /** Requests handled at once before callers are told to retry. */
  maxInFlight: number;
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

/** What is wrong with serving FAY_API_KEY (or not) with these tokens, host and sign-in. */
function serverKeyProblem(
  apiKey: string | undefined,
  tokens: readonly string[],
  host: string,
  oauth: OAuthSettings | undefined,
): string | undefined {
  if (!apiKey) return undefined;
  if (tokens.length === 0 && !isLoopbackHost(host)) {
    return (
      `Refusing to serve FAY_API_KEY on ${host} without FAY_MCP_TOKEN: anyone who can reach the ` +
      'port would spend your Fay account. Set FAY_MCP_TOKEN (comma-separated tokens your clients ' +
      'send as "Authorization: Bearer <token>"), or leave FAY_API_KEY unset so each client sends ' +
      'its own Fay key.'
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
  const problem = serverKeyProblem(apiKey, tokens, host, oauth.settings);
  if (problem) return { ok: false, message: problem };
  return {
    ok: true,
    config: {
      host,
      port: values.PORT ?? DEFAULT_PORT,
      tokens,
      allowedOrigins: values.FAY_MCP_ALLOWED_ORIGINS,
      maxInFlight: values.FAY_MCP_MAX_CALLS_IN_FLIGHT ?? DEFAULT_MAX_IN_FLIGHT,
      shutdownGraceMs:
        (values.FAY_MCP_SHUTDOWN_GRACE_SECONDS ?? DEFAULT_SHUTDOWN_GRACE_SECONDS) * 1000,
      oauth: oauth.settings,
    },
  };
}
