// The errors of sign-in. OAuth errors are the MCP SDK's own classes (their error codes and
// toResponseObject); guards throw them and one catch per endpoint writes the answer. Two more
// kinds belong to the authorization endpoint, where the browser is the audience:
// - PageError: found before the redirect URI is trusted, so it is shown as a page and the
//   browser is never sent anywhere (an attacker must not get an open redirect out of it);
// - RedirectError: an OAuth error for the client, sent back on its (checked) redirect URI.
import { OAuthError } from '@modelcontextprotocol/sdk/server/auth/errors.js';

export {
  AccessDeniedError,
  InvalidClientError,
  InvalidClientMetadataError,
  InvalidGrantError,
  InvalidRequestError,
  InvalidTargetError,
  InvalidTokenError,
  MethodNotAllowedError,
  OAuthError,
  ServerError,
  UnsupportedGrantTypeError,
  UnsupportedResponseTypeError,
} from '@modelcontextprotocol/sdk/server/auth/errors.js';

/** RFC 7591 §3.2.2: a redirect URI the server will not register. */
export class InvalidRedirectUriError extends OAuthError {
  static override errorCode = 'invalid_redirect_uri';
}

/** Shown to the person in the browser as a page, never redirected. */
export class PageError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'PageError';
    this.status = status;
  }
}

/** Where an authorization answer goes: the client's checked redirect URI, with its state. */
export interface ReplyTo {
  redirectUri: string;
  state: string | undefined;
}

/** An OAuth error answered on the client's redirect URI. */
export class RedirectError extends Error {
  readonly error: OAuthError;
  readonly replyTo: ReplyTo;

  constructor(error: OAuthError, replyTo: ReplyTo) {
    super(error.message);
    this.name = 'RedirectError';
    this.error = error;
    this.replyTo = replyTo;
  }
}
