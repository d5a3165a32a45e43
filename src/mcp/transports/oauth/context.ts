// What every sign-in endpoint works with, the lifetimes of what it seals, and the shapes sealed.
import type { ClientMetadataFetcher } from './client-metadata.js';
import type { CheckKey } from './check-key.js';
import { InvalidTargetError } from './errors.js';
import type { Sealer } from './seal.js';
import type { OAuthSettings } from '../../config/index.js';

/** Seconds. Documented in docs/mcp.md (sign-in lifetimes). */
export const LIFETIMES = {
  /** An authorization code: exchanged at once by the client. */
  code: 60,
  /** The consent page's sealed request: time to find and paste a key. */
  request: 10 * 60,
  /** An access token. */
  access: 60 * 60,
  /** A refresh token; each refresh returns a new one (rotation), valid this long again. */
  refresh: 30 * 24 * 60 * 60,
} as const;

export interface OAuthContext {
  settings: OAuthSettings;
  sealer: Sealer;
  documents: ClientMetadataFetcher;
  checkKey: CheckKey;
  codes: UsedCodes;
}

/** The consent page's request, sealed into its form. */
export interface ConsentRequest {
  client_id: string;
  client_name?: string;
  client_kind: 'registered' | 'document';
  redirect_uri: string;
  state?: string;
  code_challenge: string;
}

/** What a user's grant holds: the client it was given to and the user's Fay key. */
export interface Grant {
  client_id: string;
  /** The user's Fay key: only ever inside sealed codes and tokens. */
  key: string;
}

export interface CodeGrant extends Grant {
  redirect_uri: string;
  code_challenge: string;
  /** One-time id, for the replay check. */
  jti: string;
}

/**
 * RFC 8707: a `resource` parameter, when sent, must name this server's /mcp (one trailing slash
 * tolerated, as the MCP SDK's bearer middleware does).
 */
export function checkResource(settings: OAuthSettings, resource: string | undefined): void {
  if (resource === undefined) return;
  if (resource.replace(/\/$/, '') !== settings.resource) {
    throw new InvalidTargetError(
      `This server issues tokens for ${settings.resource} only, not for ${resource}.`,
    );
  }
}

/**
 * Codes already exchanged on this replica, kept for their lifetime. Without a shared store a code
 * could still be exchanged once per replica within its 60 s; PKCE binds it to the client that
 * asked for it, so only that client could.
 */
export class UsedCodes {
  readonly #until = new Map<string, number>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** False when `jti` was already used; marks it used otherwise. */
  use(jti: string, expiresAtSeconds: number): boolean {
    const now = this.#now();
    // Oldest first (one lifetime for all): stop at the first still valid.
    for (const [id, until] of this.#until) {
      if (until > now) break;
      this.#until.delete(id);
    }
    if (this.#until.has(jti)) return false;
    this.#until.set(jti, expiresAtSeconds * 1000);
    return true;
  }
}
