// Who is calling: the Fay key a request acts with, and the client for that key. A server that
// holds FAY_API_KEY accepts its FAY_MCP_TOKEN bearers (config/http.ts requires them with a key);
// one without a key takes each caller's own key as the bearer, or, with sign-in on, the key sealed
// in a signed-in caller's access token. Anything else is a 401 Refusal (its cause, when it is an
// OAuth error, goes into WWW-Authenticate).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FayValidationError, type FayClient } from '../../../core/index.js';
import type { HttpConfig, McpConfig } from '../../config/index.js';
import { fayClient, lazyClient } from '../../server/clients.js';
import type { KeySource } from '../../server/errors.js';
import { InvalidTokenError } from '../oauth/errors.js';
import type { OAuthServer } from '../oauth/router.js';
import { Refusal } from './refusal.js';

/** An authorized request. */
export interface Caller {
  key: string;
  client: () => Promise<FayClient>;
  /** Where the key came from: advice about a rejected key points there. */
  keySource: KeySource;
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

/** A caller acting with its own key, once the core accepts the key's form. */
function ownKeyCaller(config: McpConfig, bearer: string, keySource: KeySource = 'header'): Caller {
  // The client applies the core's key rules (length, characters) before the key reaches the
  // redaction of every answer (a one-letter "key" would be redacted out of every word).
  try {
    const client = fayClient(config, bearer);
    return { key: bearer, client: async () => client, keySource };
  } catch (error) {
    if (!(error instanceof FayValidationError)) throw error;
    const problem = error.field === 'apiKey' ? error.problem : undefined;
    throw new Refusal(
      401,
      `The Fay API key sent as "Authorization: Bearer <key>" ${problem ?? 'is not usable'}`,
    );
  }
}

/** The caller behind a sealed access token, or a 401 Refusal caused by an InvalidTokenError. */
function signedInCaller(config: McpConfig, oauth: OAuthServer, bearer: string): Caller {
  try {
    return ownKeyCaller(config, oauth.verifyAccessToken(bearer).key, 'sign-in');
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    throw new Refusal(401, `${error.message} Sign in again.`, {}, { cause: error });
  }
}

/** `authorize(req)` returns the caller or throws a 401 Refusal. */
export function authorizer(
  config: McpConfig,
  http: HttpConfig,
  oauth?: OAuthServer,
): (req: IncomingMessage) => Caller {
  const tokens = http.tokens.map(digest);
  const { apiKey } = config;
  if (apiKey) {
    // Server-held key: one client, one status budget for every caller.
    const held: Caller = { key: apiKey, client: lazyClient(config), keySource: 'server' };
    return (req) => {
      const bearer = bearerOf(req);
      if (bearer !== undefined && isOneOf(bearer, tokens)) return held;
      throw new Refusal(
        401,
        'Send one of the tokens in FAY_MCP_TOKEN as "Authorization: Bearer <token>".',
      );
    };
  }
  return (req) => {
    const bearer = bearerOf(req);
    if (bearer !== undefined && oauth?.isSealedToken(bearer)) {
      return signedInCaller(config, oauth, bearer);
    }
    if (bearer !== undefined) return ownKeyCaller(config, bearer);
    throw new Refusal(
      401,
      oauth
        ? 'Sign in (your MCP client does it through the browser), or send your Fay API key as "Authorization: Bearer <key>".'
        : 'Send your Fay API key as "Authorization: Bearer <key>".',
    );
  };
}
