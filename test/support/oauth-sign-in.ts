// Signing in to fay-mcp without a browser, for tests and the bench: a user agent that reads the
// consent page fay-mcp serves, fills its form with a Fay key and submits it as a browser would
// (the form's own fields, the page's Origin, no redirect followed), and reads the code from the
// redirect. On top of it: an OAuthClientProvider for the SDK's own OAuth client, whose "redirect
// to the authorization server" is that user, and a whole sign-in made of the SDK's steps.
import { randomBytes } from 'node:crypto';
import {
  discoverAuthorizationServerMetadata,
  exchangeAuthorization,
  registerClient,
  startAuthorization,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
} from '@modelcontextprotocol/sdk/client/auth.js';
import type {
  AuthorizationServerMetadata,
  OAuthClientInformationFull,
  OAuthClientInformationMixed,
  OAuthClientMetadata,
  OAuthTokens,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import type { FetchLike } from '@modelcontextprotocol/sdk/shared/transport.js';

export interface ConsentForm {
  /** Where the form posts (resolved against the page). */
  action: URL;
  method: string;
  /** Hidden inputs, by name (the sealed request token among them). */
  hidden: Record<string, string>;
  /** The password input's name. */
  passwordName: string | undefined;
  /** Submit buttons named `decision`: value and visible label. */
  decisions: Array<{ value: string; label: string }>;
}

export interface ConsentAnswer {
  status: number;
  /** The redirect's target, when the answer was a redirect. */
  location?: URL;
  /** The page's HTML, when it was not. */
  html: string;
  headers: Headers;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

function attributesOf(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  const inner = tag.replace(/^<\s*[a-z]+/i, '').replace(/\/?>$/, '');
  for (const match of inner.matchAll(
    /([^\s=<>/"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/g,
  )) {
    found[match[1]!.toLowerCase()] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return found;
}

const textOf = (html: string) =>
  decodeEntities(html.replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();

/** The page's visible text (tags dropped, entities decoded, blanks collapsed). */
export const visibleText = (html: string): string =>
  textOf(html.replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ''));

/** Reads the consent form: the form holding a password input. Throws when there is none. */
function readConsentForm(html: string, pageUrl: URL): ConsentForm {
  for (const match of html.matchAll(/(<form\b[^>]*>)([\s\S]*?)<\/form>/gi)) {
    const body = match[2]!;
    const inputs = [...body.matchAll(/<input\b[^>]*>/gi)].map((m) => attributesOf(m[0]));
    const password = inputs.find((input) => input.type?.toLowerCase() === 'password');
    if (!password) continue;
    const form = attributesOf(match[1]!);
    const hidden: Record<string, string> = {};
    for (const input of inputs) {
      if (input.type?.toLowerCase() === 'hidden' && input.name)
        hidden[input.name] = input.value ?? '';
    }
    const decisions = [
      ...[...body.matchAll(/(<button\b[^>]*>)([\s\S]*?)<\/button>/gi)].map((m) => ({
        attributes: attributesOf(m[1]!),
        label: textOf(m[2]!),
      })),
      ...inputs
        .filter((input) => input.type?.toLowerCase() === 'submit')
        .map((input) => ({ attributes: input, label: input.value ?? '' })),
    ]
      .filter(({ attributes }) => attributes.name === 'decision')
      .map(({ attributes, label }) => ({ value: attributes.value ?? '', label }));
    return {
      action: new URL(form.action || pageUrl.href, pageUrl),
      method: (form.method ?? 'get').toUpperCase(),
      hidden,
      passwordName: password.name,
      decisions,
    };
  }
  throw new Error(`No form with a password field in the page:\n${visibleText(html).slice(0, 500)}`);
}

export interface ConsentOptions {
  decision?: string;
  /** The Origin the POST carries; default the page's own (what a browser sends). */
  origin?: string;
  /** How requests are sent (e.g. to reach a replica directly); default fetch. */
  fetchFn?: FetchLike;
}

async function answerOf(response: Response, base: URL): Promise<ConsentAnswer> {
  const location = response.headers.get('location');
  return {
    status: response.status,
    location: location === null ? undefined : new URL(location, base),
    html: await response.text(),
    headers: response.headers,
  };
}

/** GET the consent page; the answer as it came (no redirect followed). */
export async function openConsent(
  authorizationUrl: URL,
  fetchFn: FetchLike = fetch,
): Promise<ConsentAnswer> {
  const response = await fetchFn(authorizationUrl, {
    redirect: 'manual',
    headers: { accept: 'text/html' },
  });
  return answerOf(response, authorizationUrl);
}

/**
 * Opens the consent page, fills the key in and submits `decision` (default allow): the answer to
 * the submission, and the page it was made on.
 */
export async function submitConsent(
  authorizationUrl: URL,
  key: string,
  options: ConsentOptions = {},
): Promise<ConsentAnswer & { page: ConsentAnswer }> {
  const fetchFn = options.fetchFn ?? fetch;
  const page = await openConsent(authorizationUrl, fetchFn);
  if (page.status !== 200) {
    throw new Error(`The consent page answered ${page.status}: ${visibleText(page.html)}`);
  }
  const form = readConsentForm(page.html, authorizationUrl);
  const body = new URLSearchParams(form.hidden);
  body.set(form.passwordName ?? 'fay_api_key', key);
  body.set('decision', options.decision ?? 'allow');
  const response = await fetchFn(form.action, {
    method: form.method,
    redirect: 'manual',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: options.origin ?? authorizationUrl.origin,
    },
    body: body.toString(),
  });
  return { ...(await answerOf(response, form.action)), page };
}

/** What a client registers: a public client using the code flow and refresh tokens. */
function clientMetadataFor(redirectUrl: string, name = 'Fay OAuth test'): OAuthClientMetadata {
  return {
    client_name: name,
    redirect_uris: [redirectUrl],
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
}

export interface ConsentProviderOptions {
  /** The Fay key the user types on the consent page. */
  key: string;
  redirectUrl: string;
  /** An https URL: the client identifies itself with this metadata document (no registration). */
  clientMetadataUrl?: string;
}

/**
 * An OAuthClientProvider keeping everything in memory, whose user consents at once with `key`:
 * `redirectToAuthorization` submits the consent form and keeps the redirect it got.
 */
export class ConsentProvider implements OAuthClientProvider {
  readonly clientMetadataUrl: string | undefined;
  readonly #key: string;
  readonly #redirectUrl: string;
  #client: OAuthClientInformationMixed | undefined;
  #tokens: OAuthTokens | undefined;
  #verifier = '';
  #discovery: OAuthDiscoveryState | undefined;
  /** The state sent with the last authorization request. */
  sentState: string | undefined;
  /** Each authorization request made, and the consent page's answer to it. */
  readonly consents: Array<{ request: URL; answer: ConsentAnswer & { page: ConsentAnswer } }> = [];

  constructor(options: ConsentProviderOptions) {
    this.#key = options.key;
    this.#redirectUrl = options.redirectUrl;
    this.clientMetadataUrl = options.clientMetadataUrl;
  }

  get redirectUrl(): string {
    return this.#redirectUrl;
  }

  get clientMetadata(): OAuthClientMetadata {
    return clientMetadataFor(this.#redirectUrl);
  }

  state(): string {
    this.sentState = randomBytes(16).toString('base64url');
    return this.sentState;
  }

  /** For clients that check the state the redirect brings back (the AI SDK's). */
  storedState(): string | undefined {
    return this.sentState;
  }

  clientInformation(): OAuthClientInformationMixed | undefined {
    return this.#client;
  }

  saveClientInformation(client: OAuthClientInformationMixed): void {
    this.#client = client;
  }

  tokens(): OAuthTokens | undefined {
    return this.#tokens;
  }

  saveTokens(tokens: OAuthTokens): void {
    this.#tokens = tokens;
  }

  saveCodeVerifier(verifier: string): void {
    this.#verifier = verifier;
  }

  codeVerifier(): string {
    return this.#verifier;
  }

  discoveryState(): OAuthDiscoveryState | undefined {
    return this.#discovery;
  }

  saveDiscoveryState(state: OAuthDiscoveryState): void {
    this.#discovery = state;
  }

  async redirectToAuthorization(authorizationUrl: URL): Promise<void> {
    const answer = await submitConsent(authorizationUrl, this.#key);
    this.consents.push({ request: authorizationUrl, answer });
    if (!answer.location) {
      throw new Error(`Consent did not redirect (${answer.status}): ${visibleText(answer.html)}`);
    }
  }

  /** The last consent's redirect back to the client: its code, state and iss. */
  get authorizationResponse(): { code: string | null; state: string | null; iss: string | null } {
    const location = this.consents.at(-1)?.answer.location;
    if (!location) throw new Error('No consent has redirected yet.');
    const get = (name: string) => location.searchParams.get(name);
    return { code: get('code'), state: get('state'), iss: get('iss') };
  }
}

/** A fetch that sends requests for `from`'s origin to `to`'s (e.g. one replica behind a proxy). */
export function fetchVia(from: string, to: string): FetchLike {
  const source = new URL(from).origin;
  const target = new URL(to).origin;
  return (url, init) => {
    const href = String(url);
    return fetch(href.startsWith(source) ? target + href.slice(source.length) : href, init);
  };
}

export interface SignInStart {
  metadata: AuthorizationServerMetadata;
  client: OAuthClientInformationFull;
  authorizationUrl: URL;
  state: string;
  /** Exchanges the code the consent redirected with for tokens. */
  finish(code: string): Promise<OAuthTokens>;
}

/**
 * The client's side of a sign-in, by the SDK's steps: discovery, dynamic registration and the
 * authorization URL (PKCE S256, state, resource `<issuer>/mcp`); `finish` trades the code.
 */
export async function startSignIn(
  issuer: string,
  redirectUrl: string,
  fetchFn: FetchLike = fetch,
): Promise<SignInStart> {
  const metadata = await discoverAuthorizationServerMetadata(issuer, { fetchFn });
  if (!metadata) throw new Error(`No authorization server metadata at ${issuer}`);
  const client = await registerClient(issuer, {
    metadata,
    clientMetadata: clientMetadataFor(redirectUrl),
    fetchFn,
  });
  const state = randomBytes(16).toString('base64url');
  const resource = new URL(`${issuer}/mcp`);
  const { authorizationUrl, codeVerifier } = await startAuthorization(issuer, {
    metadata,
    clientInformation: client,
    redirectUrl,
    state,
    resource,
  });
  return {
    metadata,
    client,
    authorizationUrl,
    state,
    finish: (code) =>
      exchangeAuthorization(issuer, {
        metadata,
        clientInformation: client,
        authorizationCode: code,
        codeVerifier,
        redirectUri: redirectUrl,
        resource,
        fetchFn,
      }),
  };
}

export interface SignInOptions {
  redirectUrl?: string;
  /** How requests are sent; default fetch (see fetchVia). */
  fetchFn?: FetchLike;
}

/** A whole sign-in with `key`: registration, consent (Allow), code exchange. */
export async function signIn(
  issuer: string,
  key: string,
  options: SignInOptions = {},
): Promise<OAuthTokens & { start: SignInStart }> {
  const fetchFn = options.fetchFn ?? fetch;
  const start = await startSignIn(
    issuer,
    options.redirectUrl ?? 'http://127.0.0.1/callback',
    fetchFn,
  );
  const answer = await submitConsent(start.authorizationUrl, key, {
    fetchFn,
    origin: new URL(issuer).origin,
  });
  const code = answer.location?.searchParams.get('code');
  if (!code) throw new Error(`Consent did not redirect with a code (${answer.status}).`);
  return { ...(await start.finish(code)), start };
}
