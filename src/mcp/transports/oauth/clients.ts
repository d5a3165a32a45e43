// Who a client is: a client registered here (RFC 7591: its client_id IS its sealed registration,
// so no replica stores it), or a client metadata document URL (client-metadata.ts). Either way the
// answer is one OAuthClient, and the redirect URI rule below applies to both.
import { isLoopbackHost } from '../../../core/internal.js';
import type { Sealer } from './seal.js';

export interface OAuthClient {
  clientId: string;
  /** As the client states it (not verified for a registered client). */
  name: string | undefined;
  redirectUris: string[];
  /** 'document': the name comes from a document served at the client_id URL's host. */
  kind: 'registered' | 'document';
}

/** What a registered client's sealed client_id holds. */
export interface RegisteredClient {
  redirect_uris: string[];
  client_name?: string;
}

const FORBIDDEN_SCHEMES = new Set([
  'javascript:',
  'data:',
  'vbscript:',
  'file:',
  'blob:',
  'about:',
  'filesystem:',
  'ws:',
  'wss:',
  'ftp:',
]);
const MAX_REDIRECT_URI_LENGTH = 2_000;

/**
 * Why `uri` cannot be a redirect URI, or undefined: https, http only to a loopback host (native
 * apps, RFC 8252), or an app's own scheme (cursor://, vscode://); never a fragment, script or file.
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.length > MAX_REDIRECT_URI_LENGTH) return 'is too long';
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return 'is not an absolute URL';
  }
  if (uri.includes('#')) return 'must not have a fragment';
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `uses ${url.protocol}, which cannot be one`;
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return 'uses http:// on a host that is not loopback; use https://';
  }
  if ((url.protocol === 'http:' || url.protocol === 'https:') && (url.username || url.password)) {
    return 'must not contain credentials';
  }
  return undefined;
}

/** `uri` without its port when it is an http:// loopback IP address (RFC 8252 §7.3), else itself. */
function comparable(uri: string): string {
  if (!URL.canParse(uri)) return uri;
  const url = new URL(uri);
  if (url.protocol !== 'http:' || (url.hostname !== '127.0.0.1' && url.hostname !== '[::1]')) {
    return uri;
  }
  url.port = '';
  return url.href;
}

/**
 * Whether `given` is one of the `registered` redirect URIs: the same string, except that a native
 * app's loopback IP redirect may name any port (RFC 8252 §7.3, OAuth 2.1: the app listens on the
 * port it gets at the time of the request).
 */
export function isRegisteredRedirect(registered: readonly string[], given: string): boolean {
  const wanted = comparable(given);
  return registered.some((uri) => comparable(uri) === wanted);
}

/** The registered client a sealed client_id stands for; throws SealError when it is not one. */
export function openRegisteredClient(sealer: Sealer, clientId: string): OAuthClient {
  const sealed = sealer.open<RegisteredClient>('client', clientId);
  return {
    clientId,
    name: sealed.client_name,
    redirectUris: sealed.redirect_uris,
    kind: 'registered',
  };
}

/** Where the browser will be sent: host (and port) for https/http, the scheme for an app's own. */
export function redirectHost(uri: string): string {
  const url = new URL(uri);
  return url.host || url.protocol.replace(/:$/, '');
}
