// Dynamic client registration (RFC 7591), stateless: the client_id handed back IS the sealed
// registration (redirect URIs and name), so any replica can open it at /authorize and none stores
// it. Public clients only: whatever token_endpoint_auth_method is asked, "none" is registered and
// no secret is issued (RFC 7591 lets the server replace a requested value).
import type { IncomingMessage } from 'node:http';
import {
  OAuthClientMetadataSchema,
  type OAuthClientInformationFull,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { redirectUriProblem, type RegisteredClient } from './clients.js';
import type { OAuthContext } from './context.js';
import {
  InvalidClientMetadataError,
  InvalidRedirectUriError,
  InvalidRequestError,
} from './errors.js';
import { mediaType, readBody } from './respond.js';

const MAX_REDIRECT_URIS = 10;
const MAX_NAME_LENGTH = 100;
const GRANT_TYPES = ['authorization_code', 'refresh_token'];

export async function register(
  ctx: OAuthContext,
  req: IncomingMessage,
): Promise<OAuthClientInformationFull> {
  if (mediaType(req) !== 'application/json') {
    throw new InvalidRequestError('Send the client metadata as application/json.');
  }
  let body: unknown;
  try {
    body = JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof InvalidRequestError) throw error;
    throw new InvalidClientMetadataError('The body is not JSON.');
  }
  const parsed = OAuthClientMetadataSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidClientMetadataError(
      `${issue?.path.join('.') || 'metadata'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const metadata = parsed.data;
  if (metadata.redirect_uris.length === 0 || metadata.redirect_uris.length > MAX_REDIRECT_URIS) {
    throw new InvalidRedirectUriError(`Register 1 to ${MAX_REDIRECT_URIS} redirect_uris.`);
  }
  for (const uri of metadata.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new InvalidRedirectUriError(`The redirect URI ${uri} ${problem}.`);
  }
  const grantTypes = metadata.grant_types ?? ['authorization_code', 'refresh_token'];
  const unsupported = grantTypes.find((grant) => !GRANT_TYPES.includes(grant));
  if (unsupported) {
    throw new InvalidClientMetadataError(
      `grant_types: ${unsupported} is not supported (only authorization_code and refresh_token).`,
    );
  }
  const responseTypes = metadata.response_types ?? ['code'];
  if (responseTypes.some((type) => type !== 'code')) {
    throw new InvalidClientMetadataError('response_types: only "code" is supported.');
  }
  const sealed: RegisteredClient = { redirect_uris: metadata.redirect_uris };
  const name = metadata.client_name?.trim().slice(0, MAX_NAME_LENGTH);
  if (name) sealed.client_name = name;
  return {
    ...metadata,
    client_id: ctx.sealer.seal('client', sealed),
    client_id_issued_at: ctx.sealer.nowSeconds(),
    ...(name ? { client_name: name } : {}),
    redirect_uris: metadata.redirect_uris,
    grant_types: grantTypes,
    response_types: responseTypes,
    token_endpoint_auth_method: 'none',
  };
}
