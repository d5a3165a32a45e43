// Who is calling: the Fay key a request acts with, and the client for that key. A server that
// holds FAY_API_KEY accepts its FAY_MCP_TOKEN bearers (or anyone, on loopback without tokens);
// one without a key takes each caller's own key as the bearer. Anything else is a 401 Refusal.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FayValidationError, type FayClient } from '../../../core/index.js';
import type { HttpConfig, McpConfig } from '../../config/index.js';
import { fayClient, lazyClient } from '../../server/clients.js';
import { Refusal } from './refusal.js';

/** An authorized request. */
export interface Caller {
  key: string;
  client: () => Promise<FayClient>;
  /** The key is the caller's own: advice about a rejected key points to its Authorization header. */
  keyFromClient: boolean;
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
function ownKeyCaller(config: McpConfig, bearer: string): Caller {
  // The client applies the core's key rules (length, characters) before the key reaches the
  // redaction of every answer (a one-letter "key" would be redacted out of every word).
  try {
    const client = fayClient(config, bearer);
    return { key: bearer, client: async () => client, keyFromClient: true };
  } catch (error) {
    if (!(error instanceof FayValidationError)) throw error;
    const problem = error.field === 'apiKey' ? error.problem : undefined;
    throw new Refusal(
      401,
      `The Fay API key sent as "Authorization: Bearer <key>" ${problem ?? 'is not usable'}`,
    );
  }
}

/** `authorize(req)` returns the caller or throws a 401 Refusal. */
export function authorizer(config: McpConfig, http: HttpConfig): (req: IncomingMessage) => Caller {
  const tokens = http.tokens.map(digest);
  const { apiKey } = config;
  if (apiKey) {
    // Server-held key: one client, one status budget for every caller.
    const held: Caller = { key: apiKey, client: lazyClient(config), keyFromClient: false };
    return (req) => {
      if (tokens.length === 0) return held; // loopback without tokens
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
    if (bearer !== undefined) return ownKeyCaller(config, bearer);
    throw new Refusal(401, 'Send your Fay API key as "Authorization: Bearer <key>".');
  };
}
