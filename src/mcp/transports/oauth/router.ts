// Sign-in for fay-mcp --http, in one object the HTTP handler holds: handleOAuth answers the
// discovery documents and the authorization server's endpoints; verifyAccessToken and challenge
// are what /mcp needs (the Fay key inside a sealed access token, and the WWW-Authenticate of a 401).
// The JSON endpoints follow the MCP SDK's handlers: guards throw OAuthErrors, one catch answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { OAuthSettings } from '../../config/index.js';
import { handleAuthorize } from './authorize.js';
import { bounded, type CheckKey } from './check-key.js';
import { ClientMetadataFetcher, type ClientMetadataOptions } from './client-metadata.js';
import { UsedCodes, type Grant, type OAuthContext } from './context.js';
import {
  InvalidClientError,
  InvalidTokenError,
  MethodNotAllowedError,
  OAuthError,
  ServerError,
} from './errors.js';
import {
  authorizationServerMetadata,
  protectedResourceMetadata,
  resourceMetadataUrl,
  routeTable,
  type Route,
} from './metadata.js';
import { register } from './register.js';
import { NO_STORE, sendJson } from './respond.js';
import { SEALED_PREFIX, SealError, Sealer } from './seal.js';
import { token } from './token.js';

export interface OAuthOptions {
  settings: OAuthSettings;
  /** The one Fay call that tells a good key from a bad one (check-key.ts). */
  checkKey: CheckKey;
  /** Epoch milliseconds; tests move time. */
  now?: () => number;
  /** Name resolution for client metadata documents (tests pin names). */
  resolve?: ClientMetadataOptions['resolve'];
}

/** Who a sealed access token speaks for. */
export interface AccessGrant {
  /** The user's Fay key. */
  key: string;
  clientId: string;
  /** Epoch seconds. */
  expiresAt: number;
}

export interface OAuthServer {
  /** The route of a request path (with or without the public URL's path), or undefined. */
  route(path: string): Route | undefined;
  /** Answers a sign-in request; false (nothing written) when the path is not a sign-in route. */
  handleOAuth(req: IncomingMessage, res: ServerResponse): Promise<boolean>;
  /** True for a bearer that is one of our sealed tokens (not a raw Fay key). */
  isSealedToken(bearer: string): boolean;
  /** The grant in a sealed access token; throws InvalidTokenError saying why it is refused. */
  verifyAccessToken(bearer: string): AccessGrant;
  /** WWW-Authenticate for a 401 from /mcp, with the error when there is one. */
  challenge(error?: OAuthError): string;
}

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, mcp-protocol-version',
  'access-control-max-age': '600',
};

/** Opened access tokens kept per replica (oldest dropped first). */
const MAX_OPENED = 1_000;

/** A quoted-string parameter of WWW-Authenticate: no quotes or backslashes inside. */
const quoted = (text: string) => `"${text.replace(/["\\]/g, "'")}"`;

/** The JSON endpoints: one catch turns a thrown OAuthError into its status and body. */
async function answerJson(
  req: IncomingMessage,
  res: ServerResponse,
  allow: 'GET' | 'POST',
  work: () => Promise<{ status: number; body: unknown }>,
): Promise<void> {
  try {
    if (req.method !== allow && !(allow === 'GET' && req.method === 'HEAD')) {
      throw new MethodNotAllowedError(`Use ${allow}.`);
    }
    const { status, body } = await work();
    sendJson(res, status, body, CORS);
  } catch (error) {
    const known = error instanceof OAuthError;
    // Only the name: a message could quote what the request carried.
    if (!known) process.stderr.write(`fay-mcp sign-in error: ${(error as Error).name}\n`);
    const oauthError = known ? error : new ServerError('Internal error in the Fay MCP server.');
    const status =
      oauthError instanceof MethodNotAllowedError
        ? 405
        : oauthError instanceof InvalidClientError
          ? 401
          : oauthError instanceof ServerError
            ? 500
            : 400;
    sendJson(res, status, oauthError.toResponseObject(), {
      ...CORS,
      ...(status === 405 ? { allow } : {}),
    });
  }
}

function contextOf(options: OAuthOptions): OAuthContext {
  const { settings } = options;
  const now = options.now ?? Date.now;
  return {
    settings,
    sealer: new Sealer({ secrets: settings.secrets, audience: settings.resource, now }),
    documents: new ClientMetadataFetcher({
      allowPrivate: settings.allowPrivateMetadataUrls,
      now,
      ...(options.resolve ? { resolve: options.resolve } : {}),
    }),
    checkKey: bounded(options.checkKey),
    codes: new UsedCodes(now),
  };
}

/** Answers one sign-in route. */
async function serve(
  ctx: OAuthContext,
  route: Exclude<Route, 'mcp'>,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  if (req.method === 'OPTIONS' && route !== 'authorize') {
    res.writeHead(204, { ...CORS, ...NO_STORE });
    res.end();
    return;
  }
  const document = async (body: unknown) => ({ status: 200, body });
  switch (route) {
    case 'protected-resource':
      return answerJson(req, res, 'GET', () => document(protectedResourceMetadata(ctx.settings)));
    case 'authorization-server':
      return answerJson(req, res, 'GET', () => document(authorizationServerMetadata(ctx.settings)));
    case 'register':
      return answerJson(req, res, 'POST', async () => ({
        status: 201,
        body: await register(ctx, req),
      }));
    case 'token':
      return answerJson(req, res, 'POST', async () => ({
        status: 200,
        body: await token(ctx, req),
      }));
    case 'authorize':
      return handleAuthorize(ctx, req, res);
  }
}

export function createOAuth(options: OAuthOptions): OAuthServer {
  const ctx = contextOf(options);
  // Access tokens this replica has opened, until they expire: a signed-in client's every call
  // then costs a lookup, not a decryption (only tokens that opened are kept).
  const opened = new Map<string, AccessGrant>();
  const routes = routeTable(ctx.settings);
  const metadataUrl = resourceMetadataUrl(ctx.settings);
  return {
    route: (path) => routes.get(path),

    async handleOAuth(req, res) {
      const route = routes.get((req.url ?? '/').split('?')[0]!);
      if (route === undefined || route === 'mcp') return false;
      await serve(ctx, route, req, res);
      return true;
    },

    isSealedToken: (bearer) => bearer.startsWith(SEALED_PREFIX),

    verifyAccessToken(bearer) {
      const known = opened.get(bearer);
      if (known && known.expiresAt > ctx.sealer.nowSeconds()) return known;
      opened.delete(bearer);
      let grant: Grant & { exp: number };
      try {
        grant = ctx.sealer.open<Grant & { exp: number }>('access', bearer);
      } catch (error) {
        if (error instanceof SealError) throw new InvalidTokenError(error.message);
        throw error;
      }
      const access = { key: grant.key, clientId: grant.client_id, expiresAt: grant.exp };
      if (opened.size >= MAX_OPENED) opened.delete(opened.keys().next().value!);
      opened.set(bearer, access);
      return access;
    },

    challenge(error) {
      const parts = error
        ? [`error=${quoted(error.errorCode)}`, `error_description=${quoted(error.message)}`]
        : [];
      return `Bearer ${[...parts, `resource_metadata=${quoted(metadataUrl)}`].join(', ')}`;
    },
  };
}
