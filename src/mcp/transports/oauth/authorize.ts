// The authorization endpoint. GET checks the request and shows the consent page; the page's form
// POSTs back here with the sealed request, the user's Fay key and the decision.
// Order matters: until the client and its redirect URI are known good, every problem is a page
// (PageError) and the browser is sent nowhere; after that, problems go back to the client on its
// redirect URI (RedirectError) with state and iss (RFC 9207).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ClientMetadataError, isClientMetadataUrl } from './client-metadata.js';
import { isRegisteredRedirect, openRegisteredClient, type OAuthClient } from './clients.js';
import { consentPage, errorPage, sendPage, type ConsentView } from './consent-page.js';
import {
  checkResource,
  LIFETIMES,
  type CodeGrant,
  type ConsentRequest,
  type OAuthContext,
} from './context.js';
import {
  AccessDeniedError,
  InvalidRequestError,
  OAuthError,
  PageError,
  RedirectError,
  ServerError,
  UnsupportedResponseTypeError,
  type ReplyTo,
} from './errors.js';
import { formFields, mediaType, readBody, redirect, uniqueParams, withParams } from './respond.js';
import { SealError } from './seal.js';

const MAX_STATE_LENGTH = 4_096;

async function resolveClient(
  ctx: OAuthContext,
  clientId: string | undefined,
): Promise<OAuthClient> {
  if (!clientId) throw new PageError(400, 'The app did not say who it is (client_id is missing).');
  if (isClientMetadataUrl(clientId)) {
    try {
      return await ctx.documents.client(clientId);
    } catch (error) {
      if (!(error instanceof ClientMetadataError)) throw error;
      throw new PageError(
        400,
        `The app's client metadata document at ${clientId} cannot be used: ${error.message}.`,
      );
    }
  }
  try {
    return openRegisteredClient(ctx.sealer, clientId);
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    throw new PageError(
      400,
      `This app's registration ${error.reason}. Remove the connection in the app and add it ` +
        'again: it will register anew.',
    );
  }
}

function chosenRedirectUri(client: OAuthClient, given: string | undefined): string {
  if (given === undefined) {
    if (client.redirectUris.length === 1) return client.redirectUris[0]!;
    throw new PageError(400, 'The app did not say where to return (redirect_uri is missing).');
  }
  if (!isRegisteredRedirect(client.redirectUris, given)) {
    throw new PageError(
      400,
      `The app asked to return to ${given}, which is not one of the redirect URIs it registered, ` +
        'so this server will not send you there.',
    );
  }
  return given;
}

/** The consent request of a GET /authorize, or a PageError / RedirectError. */
async function consentRequest(ctx: OAuthContext, query: URLSearchParams): Promise<ConsentRequest> {
  let params: Map<string, string>;
  try {
    params = uniqueParams(query);
  } catch (error) {
    throw new PageError(400, (error as Error).message);
  }
  const client = await resolveClient(ctx, params.get('client_id'));
  const redirectUri = chosenRedirectUri(client, params.get('redirect_uri'));
  const state = params.get('state');
  const replyTo: ReplyTo = { redirectUri, state: state?.slice(0, MAX_STATE_LENGTH) };
  const redirectBack = (error: OAuthError) => new RedirectError(error, replyTo);
  if (state !== undefined && state.length > MAX_STATE_LENGTH) {
    throw redirectBack(
      new InvalidRequestError(`state is longer than ${MAX_STATE_LENGTH} characters.`),
    );
  }
  const responseType = params.get('response_type');
  if (responseType !== 'code') {
    throw redirectBack(
      new UnsupportedResponseTypeError(
        `response_type must be "code" (got ${responseType === undefined ? 'none' : JSON.stringify(responseType)}).`,
      ),
    );
  }
  const challenge = params.get('code_challenge');
  if (params.get('code_challenge_method') !== 'S256' || challenge === undefined) {
    throw redirectBack(
      new InvalidRequestError(
        'PKCE is required: send code_challenge with code_challenge_method=S256.',
      ),
    );
  }
  if (!/^[A-Za-z0-9_-]{43}$/.test(challenge)) {
    throw redirectBack(
      new InvalidRequestError(
        'code_challenge must be the base64url SHA-256 of the verifier (43 characters).',
      ),
    );
  }
  try {
    checkResource(ctx.settings, params.get('resource'));
  } catch (error) {
    throw redirectBack(error as OAuthError);
  }
  return {
    client_id: client.clientId,
    ...(client.name === undefined ? {} : { client_name: client.name }),
    client_kind: client.kind,
    redirect_uri: redirectUri,
    ...(state === undefined ? {} : { state }),
    code_challenge: challenge,
  };
}

function view(
  ctx: OAuthContext,
  request: ConsentRequest,
  sealed: string,
  error?: string,
): ConsentView {
  return {
    action: `${ctx.settings.issuer}/authorize`,
    clientId: request.client_id,
    clientName: request.client_name,
    clientKind: request.client_kind,
    redirectUri: request.redirect_uri,
    request: sealed,
    ...(error === undefined ? {} : { error }),
  };
}

/** RFC 6749 §4.1.2 with RFC 9207's iss: the answer goes back to the client's redirect URI. */
function reply(
  ctx: OAuthContext,
  res: ServerResponse,
  replyTo: ReplyTo,
  params: Record<string, string | undefined>,
): void {
  redirect(
    res,
    withParams(replyTo.redirectUri, { ...params, state: replyTo.state, iss: ctx.settings.issuer }),
  );
}

async function showConsent(
  ctx: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const query = new URL(req.url ?? '/', 'http://localhost').searchParams;
  const request = await consentRequest(ctx, query);
  const sealed = ctx.sealer.seal('request', request, LIFETIMES.request);
  sendPage(res, 200, consentPage(view(ctx, request, sealed)));
}

/** CSRF: the form must come from this server's own page (the browser's Origin, else Referer). */
function checkOrigin(ctx: OAuthContext, req: IncomingMessage): void {
  const expected = new URL(ctx.settings.issuer).origin;
  let origin = req.headers.origin;
  if (origin === undefined && req.headers.referer !== undefined) {
    origin = URL.canParse(req.headers.referer) ? new URL(req.headers.referer).origin : 'null';
  }
  if (origin !== expected) {
    throw new PageError(
      403,
      `This form is accepted only from the sign-in page of ${expected} (the request came from ${origin ?? 'an unknown page'}).`,
    );
  }
}

async function decide(ctx: OAuthContext, req: IncomingMessage, res: ServerResponse): Promise<void> {
  checkOrigin(ctx, req);
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new PageError(415, 'The form must be sent as application/x-www-form-urlencoded.');
  }
  let fields: Map<string, string>;
  try {
    fields = formFields(await readBody(req));
  } catch (error) {
    throw new PageError(400, (error as Error).message);
  }
  let request: ConsentRequest;
  const sealed = fields.get('request') ?? '';
  try {
    request = ctx.sealer.open<ConsentRequest>('request', sealed);
  } catch (error) {
    if (!(error instanceof SealError)) throw error;
    throw new PageError(
      400,
      error.failure === 'expired'
        ? `This sign-in page has expired (it is valid for ${LIFETIMES.request / 60} minutes). Go back to the app and start again.`
        : `This sign-in form ${error.reason}. Go back to the app and start again.`,
    );
  }
  const replyTo: ReplyTo = { redirectUri: request.redirect_uri, state: request.state };
  const decision = fields.get('decision');
  if (decision === 'deny') {
    reply(ctx, res, replyTo, {
      error: AccessDeniedError.errorCode,
      error_description: 'The user denied access.',
    });
    return;
  }
  if (decision !== 'allow') throw new PageError(400, 'Choose Allow or Deny.');
  const key = (fields.get('fay_api_key') ?? '').trim();
  const again = (error: string) =>
    sendPage(res, 200, consentPage(view(ctx, request, sealed, error)));
  if (!key) {
    again('Paste your Fay API key, then press Allow.');
    return;
  }
  const check = await ctx.checkKey(key);
  if (!check.ok) {
    again(check.reason);
    return;
  }
  const grant: CodeGrant = {
    client_id: request.client_id,
    key,
    redirect_uri: request.redirect_uri,
    code_challenge: request.code_challenge,
    jti: randomUUID(),
  };
  reply(ctx, res, replyTo, { code: ctx.sealer.seal('code', grant, LIFETIMES.code) });
}

/** GET: the consent page; POST: the user's decision. Errors become a page or a redirect. */
export async function handleAuthorize(
  ctx: OAuthContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    if (req.method === 'GET' || req.method === 'HEAD') await showConsent(ctx, req, res);
    else if (req.method === 'POST') await decide(ctx, req, res);
    else {
      res.setHeader('allow', 'GET, POST');
      throw new PageError(405, 'The sign-in page is opened with GET and submitted with POST.');
    }
  } catch (error) {
    if (error instanceof RedirectError) {
      reply(ctx, res, error.replyTo, {
        error: error.error.errorCode,
        error_description: error.error.message,
      });
    } else if (error instanceof PageError) {
      sendPage(res, error.status, errorPage(error.message));
    } else {
      // Only the name: a message could quote what the form carried.
      process.stderr.write(`fay-mcp sign-in error: ${(error as Error).name}\n`);
      sendPage(
        res,
        500,
        errorPage(new ServerError('An internal error stopped the sign-in.').message),
      );
    }
  }
}
