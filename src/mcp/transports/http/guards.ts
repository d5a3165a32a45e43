// Pure checks on a request's Host and Origin, before anyone is authorized: each returns what to
// add to the answer, or throws a Refusal.
import { isLoopbackHost } from '../../../core/internal.js';
import { Refusal } from './refusal.js';

/** What a browser's CORS preflight from an allowed origin is answered with (204). */
export const PREFLIGHT_HEADERS: Record<string, string> = {
  'access-control-allow-methods': 'POST',
  'access-control-allow-headers':
    'authorization, content-type, accept, mcp-protocol-version, last-event-id',
  'access-control-max-age': '600',
};

function hostnameOf(host: string | undefined): string | undefined {
  try {
    return host ? new URL(`http://${host}`).hostname : undefined;
  } catch {
    return undefined;
  }
}

/**
 * DNS rebinding: when the server listens on loopback (`guarded`), a page on another name that
 * resolves to 127.0.0.1 must not reach it.
 */
export function checkHost(host: string | undefined, guarded: boolean): void {
  if (guarded && !isLoopbackHost(hostnameOf(host) ?? '')) {
    throw new Refusal(403, `Host ${host ?? '(none)'} is not allowed.`);
  }
}

/**
 * A request without Origin is served; a browser's must be allowed (FAY_MCP_ALLOWED_ORIGINS), and
 * then gets CORS headers, so its page can read the answers it is allowed to get.
 */
export function corsHeaders(
  origin: string | undefined,
  allowedOrigins: readonly string[],
): Record<string, string> {
  if (origin === undefined) return {};
  if (!allowedOrigins.includes(origin)) {
    throw new Refusal(403, `Origin ${origin} is not allowed (FAY_MCP_ALLOWED_ORIGINS).`);
  }
  // WWW-Authenticate readable: a browser client finds the sign-in from a 401's resource_metadata.
  return {
    'access-control-allow-origin': origin,
    'access-control-expose-headers': 'WWW-Authenticate',
    vary: 'Origin',
  };
}
