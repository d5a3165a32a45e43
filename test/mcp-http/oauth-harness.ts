// Sign-in test support: the OAuth router (src/mcp/transports/oauth) on a real node:http server on
// loopback, checking keys against the local Fay server, with a movable clock; and the steps of a
// client, one request each, for tests that change or break a step (register, PKCE, open the
// consent page, submit it, exchange the code). A whole consent goes through the browser-like user
// agent of test/support/oauth-sign-in.ts.
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fayKeyCheck, type CheckKey } from '../../src/mcp/transports/oauth/check-key.ts';
import { createOAuth, type OAuthServer } from '../../src/mcp/transports/oauth/router.ts';
import type { OAuthSettings } from '../../src/mcp/config/index.ts';
import { submitConsent as fillConsent } from '../support/oauth-sign-in.ts';

export const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuv';
export const OTHER_SECRET = 'other-secret-0123456789abcdefghijklmnopqrstu';

export interface OAuthTestServer {
  /** The public URL (issuer), e.g. http://127.0.0.1:PORT */
  url: string;
  oauth: OAuthServer;
  /** Moves this server's clock. */
  advance(ms: number): void;
  close(): Promise<void>;
}

export interface OAuthTestOptions {
  fayUrl: string;
  secrets?: string[];
  /** Path after the origin in the public URL, e.g. '/fay'. */
  path?: string;
  allowPrivateMetadataUrls?: boolean;
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
  checkKey?: CheckKey;
  /** A shared clock, to move several servers together. */
  clock?: { now: number };
}

export function settingsFor(url: string, options: Partial<OAuthTestOptions> = {}): OAuthSettings {
  return {
    issuer: url,
    resource: `${url}/mcp`,
    secrets: options.secrets ?? [SECRET],
    allowPrivateMetadataUrls: options.allowPrivateMetadataUrls ?? false,
  };
}

export async function startOAuthServer(options: OAuthTestOptions): Promise<OAuthTestServer> {
  const clock = options.clock ?? { now: Date.now() };
  // The public URL (hence the router) is known once the server listens.
  const holder: { oauth?: OAuthServer } = {};
  const server: Server = createServer((req, res) => {
    void holder.oauth!.handleOAuth(req, res).then((handled) => {
      if (!handled) {
        res.writeHead(404);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${options.path ?? ''}`;
  const oauth = createOAuth({
    settings: settingsFor(url, options),
    checkKey:
      options.checkKey ?? fayKeyCheck({ baseUrl: options.fayUrl, allowInsecureHttp: false }),
    now: () => clock.now,
    ...(options.resolve ? { resolve: options.resolve } : {}),
  });
  holder.oauth = oauth;
  return {
    url,
    oauth,
    advance: (ms) => (clock.now += ms),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export const REDIRECT = 'http://127.0.0.1:5999/callback';

export async function registerClient(
  url: string,
  metadata: Record<string, unknown> = {},
): Promise<{ client_id: string } & Record<string, unknown>> {
  const response = await fetch(`${url}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ redirect_uris: [REDIRECT], client_name: 'Test client', ...metadata }),
  });
  if (response.status !== 201)
    throw new Error(`register: ${response.status} ${await response.text()}`);
  return (await response.json()) as { client_id: string };
}

export function authorizeUrl(url: string, params: Record<string, string | undefined>): string {
  const target = new URL(`${url}/authorize`);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) target.searchParams.set(name, value);
  }
  return target.href;
}

/** Standard authorization parameters for `clientId`, overridable. */
export function authorizeParams(
  clientId: string,
  challenge: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string | undefined> {
  return {
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'state-123',
    ...overrides,
  };
}

/** The sealed request from a consent page. */
export function requestField(html: string): string {
  const found = /name="request" value="([^"]+)"/.exec(html);
  if (!found) throw new Error(`no consent form in:\n${html}`);
  return found[1]!;
}

/** POSTs the consent form as the browser would (same Origin, form encoding, no redirects). */
export function submitConsent(
  url: string,
  fields: Record<string, string>,
  /** null: no Origin header. */
  origin: string | null = new URL(url).origin,
): Promise<Response> {
  return fetch(`${url}/authorize`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(origin === null ? {} : { origin }),
    },
    body: new URLSearchParams(fields),
  });
}

export function tokenRequest(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(`${url}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields),
  });
}

/** Registers a client and opens its consent page: the page's sealed request. */
export async function consentRequest(url: string, challenge = pkce().challenge): Promise<string> {
  const { client_id: clientId } = await registerClient(url);
  const page = await fetch(authorizeUrl(url, authorizeParams(clientId, challenge)));
  return requestField(await page.text());
}

/**
 * Register, consent with `key` as a browser would (the one consent user agent), and return the
 * code with what is needed to exchange it.
 */
export async function signIn(
  url: string,
  key: string,
): Promise<{ clientId: string; code: string; verifier: string; location: URL }> {
  const { client_id: clientId } = await registerClient(url);
  const { verifier, challenge } = pkce();
  const answer = await fillConsent(
    new URL(authorizeUrl(url, authorizeParams(clientId, challenge))),
    key,
  );
  const code = answer.location?.searchParams.get('code');
  if (answer.status !== 302 || !answer.location || !code)
    throw new Error(`consent: ${answer.status} ${answer.html}`);
  return { clientId, code, verifier, location: answer.location };
}

export async function exchange(
  url: string,
  grant: { clientId: string; code: string; verifier: string },
): Promise<Response> {
  return tokenRequest(url, {
    grant_type: 'authorization_code',
    code: grant.code,
    code_verifier: grant.verifier,
    client_id: grant.clientId,
    redirect_uri: REDIRECT,
  });
}
