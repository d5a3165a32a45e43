// The token endpoint: an authorization code (with its PKCE verifier) or a refresh token in, a
// sealed access token and a new refresh token out. Public clients: the client_id identifies, the
// code's PKCE binding authenticates. Each refresh rotates the refresh token and checks again with
// Fay that the key is still good (a key revoked since sign-in sends the user back to the consent
// page instead of handing out tokens that can only fail).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import {
  checkResource,
  LIFETIMES,
  type CodeGrant,
  type Grant,
  type OAuthContext,
} from './context.js';
import {
  InvalidClientError,
  InvalidGrantError,
  InvalidRequestError,
  UnsupportedGrantTypeError,
} from './errors.js';
import { formFields, mediaType, readBody } from './respond.js';
import { SealError, type Purpose } from './seal.js';

function required(fields: Map<string, string>, name: string): string {
  const value = fields.get(name);
  if (!value) throw new InvalidRequestError(`${name} is required.`);
  return value;
}

/** The client_id of HTTP Basic (form-urlencoded, RFC 6749 §2.3.1), if the request has one. */
function basicClientId(req: IncomingMessage): string | undefined {
  const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
  if (!basic) return undefined;
  try {
    return decodeURIComponent(Buffer.from(basic, 'base64').toString('utf8').split(':')[0] ?? '');
  } catch {
    throw new InvalidRequestError(
      'The client_id in the Authorization header is not valid percent-encoding.',
    );
  }
}

/** The client_id from the body, or from HTTP Basic (a client sending an empty secret). */
function clientIdOf(req: IncomingMessage, fields: Map<string, string>): string {
  const fromHeader = basicClientId(req);
  const fromBody = fields.get('client_id');
  if (fromHeader && fromBody && fromHeader !== fromBody) {
    throw new InvalidRequestError(
      'client_id differs between the body and the Authorization header.',
    );
  }
  const clientId = fromBody ?? fromHeader;
  if (!clientId) throw new InvalidClientError('client_id is required.');
  return clientId;
}

function openGrant<T extends Grant>(ctx: OAuthContext, purpose: Purpose, token: string): T {
  try {
    return ctx.sealer.open<T>(purpose, token);
  } catch (error) {
    if (error instanceof SealError) throw new InvalidGrantError(error.message);
    throw error;
  }
}

function pkceMatches(verifier: string, challenge: string): boolean {
  if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier)) {
    throw new InvalidRequestError('code_verifier must be 43 to 128 characters of [A-Za-z0-9._~-].');
  }
  const computed = createHash('sha256').update(verifier).digest();
  const expected = Buffer.from(challenge, 'base64url');
  return expected.length === computed.length && timingSafeEqual(computed, expected);
}

function tokens(ctx: OAuthContext, grant: Grant): OAuthTokens {
  const fields: Grant = { client_id: grant.client_id, key: grant.key };
  return {
    access_token: ctx.sealer.seal('access', fields, LIFETIMES.access),
    token_type: 'Bearer',
    expires_in: LIFETIMES.access,
    refresh_token: ctx.sealer.seal('refresh', fields, LIFETIMES.refresh),
  };
}

async function exchangeCode(
  ctx: OAuthContext,
  clientId: string,
  fields: Map<string, string>,
): Promise<OAuthTokens> {
  const code = openGrant<CodeGrant & { exp: number }>(ctx, 'code', required(fields, 'code'));
  const verifier = required(fields, 'code_verifier');
  if (code.client_id !== clientId)
    throw new InvalidGrantError('The code was issued to another client.');
  if (fields.get('redirect_uri') !== code.redirect_uri) {
    throw new InvalidGrantError('redirect_uri differs from the one the code was issued for.');
  }
  if (!pkceMatches(verifier, code.code_challenge)) {
    throw new InvalidGrantError('code_verifier does not match the code_challenge.');
  }
  if (!ctx.codes.use(code.jti, code.exp)) throw new InvalidGrantError('The code was already used.');
  return tokens(ctx, code);
}

async function refresh(
  ctx: OAuthContext,
  clientId: string,
  fields: Map<string, string>,
): Promise<OAuthTokens> {
  const grant = openGrant<Grant>(ctx, 'refresh', required(fields, 'refresh_token'));
  if (grant.client_id !== clientId) {
    throw new InvalidGrantError('The refresh token was issued to another client.');
  }
  const check = await ctx.checkKey(grant.key);
  if (!check.ok && check.rejected) {
    throw new InvalidGrantError(
      'Fay no longer accepts the key given at sign-in; sign in again with a current key.',
    );
  }
  return tokens(ctx, grant);
}

/** The token response, or a thrown OAuthError for the endpoint's one catch. */
export async function token(ctx: OAuthContext, req: IncomingMessage): Promise<OAuthTokens> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new InvalidRequestError('Send the token request as application/x-www-form-urlencoded.');
  }
  const fields = formFields(await readBody(req));
  const grantType = required(fields, 'grant_type');
  if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
    throw new UnsupportedGrantTypeError(
      `grant_type ${grantType} is not supported (authorization_code or refresh_token).`,
    );
  }
  checkResource(ctx.settings, fields.get('resource'));
  const clientId = clientIdOf(req, fields);
  return grantType === 'authorization_code'
    ? exchangeCode(ctx, clientId, fields)
    : refresh(ctx, clientId, fields);
}
