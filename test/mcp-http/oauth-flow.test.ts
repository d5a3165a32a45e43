// Sign-in, end to end at the HTTP level: the OAuth router on a real node:http server, keys
// checked against the local Fay server. Discovery, registration, the consent page (framing and
// CSRF protection, a key Fay rejects, Deny), the code exchange with PKCE, refresh with rotation,
// and the refusals: a wrong verifier, a redirect URI nobody registered, a code used twice.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  OAuthMetadataSchema,
  OAuthProtectedResourceMetadataSchema,
  OAuthTokensSchema,
} from '@modelcontextprotocol/sdk/shared/auth.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  authorizeParams,
  authorizeUrl,
  consentRequest,
  exchange,
  pkce,
  REDIRECT,
  registerClient,
  requestField,
  signIn,
  startOAuthServer,
  submitConsent,
  tokenRequest,
  type OAuthTestServer,
} from './oauth-harness.ts';

const KEY = 'fay_oauth_flow_key_7Hq2';
let fay: FayServer;
let server: OAuthTestServer;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  server = await startOAuthServer({ fayUrl: fay.url });
});
afterAll(async () => {
  await server?.close();
  await fay?.close();
});

describe('discovery', () => {
  it('serves protected-resource metadata (RFC 9728) at the path-aware and the root URL', async () => {
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const response = await fetch(server.url + path);
      expect(response.status).toBe(200);
      const metadata = OAuthProtectedResourceMetadataSchema.parse(await response.json());
      expect(metadata).toMatchObject({
        resource: `${server.url}/mcp`,
        authorization_servers: [server.url],
        bearer_methods_supported: ['header'],
      });
    }
  });

  it('serves authorization-server metadata (RFC 8414) with PKCE S256, public clients, iss and CIMD', async () => {
    const response = await fetch(`${server.url}/.well-known/oauth-authorization-server`);
    const metadata = OAuthMetadataSchema.parse(await response.json());
    expect(metadata).toMatchObject({
      issuer: server.url,
      authorization_endpoint: `${server.url}/authorize`,
      token_endpoint: `${server.url}/token`,
      registration_endpoint: `${server.url}/register`,
      response_types_supported: ['code'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['none'],
      authorization_response_iss_parameter_supported: true,
      client_id_metadata_document_supported: true,
    });
  });

  it('puts the documents where RFC 9728 and RFC 8414 put them under a path prefix', async () => {
    const prefixed = await startOAuthServer({ fayUrl: fay.url, path: '/fay' });
    try {
      const origin = new URL(prefixed.url).origin;
      const resource = await fetch(`${origin}/.well-known/oauth-protected-resource/fay/mcp`);
      expect(await resource.json()).toMatchObject({ resource: `${origin}/fay/mcp` });
      const issuer = await fetch(`${origin}/.well-known/oauth-authorization-server/fay`);
      expect(await issuer.json()).toMatchObject({ issuer: `${origin}/fay` });
      expect(prefixed.oauth.challenge()).toBe(
        `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/fay/mcp"`,
      );
    } finally {
      await prefixed.close();
    }
  });
});

describe('registration', () => {
  it('registers a public client whose client_id is its sealed registration', async () => {
    const client = await registerClient(server.url, {
      token_endpoint_auth_method: 'client_secret_basic',
    });
    expect(client.client_id).toMatch(/^fay-mcp\.client\./);
    expect(client).toMatchObject({ redirect_uris: [REDIRECT], token_endpoint_auth_method: 'none' });
    expect(client).not.toHaveProperty('client_secret');
  });

  it('refuses a redirect URI that is http:// off loopback, or a script', async () => {
    for (const uri of ['http://evil.example/cb', 'javascript:alert(1)']) {
      const response = await fetch(`${server.url}/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ redirect_uris: [uri] }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(
        /invalid_(redirect_uri|client_metadata)/,
      );
    }
  });
});

describe('consent page', () => {
  it('renders with framing protection, escaped client name and the redirect host', async () => {
    const { client_id } = await registerClient(server.url, { client_name: '<b>Evil & Co</b>' });
    const response = await fetch(
      authorizeUrl(server.url, authorizeParams(client_id, pkce().challenge)),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await response.text();
    expect(html).toContain('&lt;b&gt;Evil &amp; Co&lt;/b&gt;');
    expect(html).not.toContain('<b>Evil');
    expect(html).toContain('127.0.0.1:5999');
    expect(html).toMatch(/<input type="password" id="fay_api_key" name="fay_api_key"/);
    expect(html).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(html).toContain(
      '<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>',
    );
    expect(html).not.toMatch(/<script|src=/);
  });

  it('an unregistered redirect_uri gets an error page, never a redirect', async () => {
    const { client_id } = await registerClient(server.url);
    const response = await fetch(
      authorizeUrl(
        server.url,
        authorizeParams(client_id, pkce().challenge, {
          redirect_uri: 'https://attacker.example/cb',
        }),
      ),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('not one of the redirect URIs it registered');
  });

  it('a loopback IP redirect may name another port (RFC 8252 §7.3); its host and path may not', async () => {
    const { client_id } = await registerClient(server.url, {
      redirect_uris: ['http://127.0.0.1/callback'],
    });
    const { verifier, challenge } = pkce();
    const open = (redirect_uri: string) =>
      fetch(authorizeUrl(server.url, authorizeParams(client_id, challenge, { redirect_uri })), {
        redirect: 'manual',
      });
    for (const other of [
      'http://127.0.0.2:7000/callback',
      'http://127.0.0.1:7000/other',
      'http://localhost:7000/callback',
    ]) {
      expect((await open(other)).status, other).toBe(400);
    }
    const page = await open('http://127.0.0.1:7000/callback');
    expect(page.status).toBe(200);
    const answer = await submitConsent(server.url, {
      request: requestField(await page.text()),
      fay_api_key: KEY,
      decision: 'allow',
    });
    const location = new URL(answer.headers.get('location')!);
    expect(location.host).toBe('127.0.0.1:7000');
    const code = location.searchParams.get('code')!;
    const exchanged = await tokenRequest(server.url, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      client_id,
      redirect_uri: 'http://127.0.0.1:7000/callback',
    });
    expect(exchanged.status).toBe(200);
  });

  it('an unknown client_id gets an error page, never a redirect', async () => {
    const response = await fetch(
      authorizeUrl(server.url, authorizeParams('fay-mcp.client.AAAA', pkce().challenge)),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('after the redirect URI is checked, a missing PKCE challenge goes back to the client', async () => {
    const { client_id } = await registerClient(server.url);
    const response = await fetch(
      authorizeUrl(server.url, authorizeParams(client_id, 'x', { code_challenge: undefined })),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(server.url);
  });

  it('a resource of another server is refused with invalid_target (RFC 8707)', async () => {
    const { client_id } = await registerClient(server.url);
    const response = await fetch(
      authorizeUrl(
        server.url,
        authorizeParams(client_id, pkce().challenge, { resource: 'https://other.example/mcp' }),
      ),
      { redirect: 'manual' },
    );
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe(
      'invalid_target',
    );
  });

  it('Allow with a good key redirects with code, state and iss (RFC 9207)', async () => {
    const { location } = await signIn(server.url, KEY);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-123');
    expect(location.searchParams.get('iss')).toBe(server.url);
    expect(location.searchParams.get('code')).toMatch(/^fay-mcp\.code\./);
  });

  it('a key Fay rejects shows the page again (200) saying why, and no code', async () => {
    const request = await consentRequest(server.url);
    const statusCalls = fay.count('status');
    const response = await submitConsent(server.url, {
      request,
      fay_api_key: 'fay_not_a_real_key_123',
      decision: 'allow',
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('location')).toBeNull();
    const html = await response.text();
    expect(html).toContain('Fay did not accept this key');
    expect(requestField(html)).toBe(request);
    expect(fay.count('status')).toBe(statusCalls + 1);
  });

  it('Deny redirects with access_denied', async () => {
    const response = await submitConsent(server.url, {
      request: await consentRequest(server.url),
      decision: 'deny',
    });
    expect(response.status).toBe(302);
    const location = new URL(response.headers.get('location')!);
    expect(location.searchParams.get('error')).toBe('access_denied');
    expect(location.searchParams.get('iss')).toBe(server.url);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('at most 16 key checks in flight: one more is asked to try again, without a Fay call', async () => {
    const release: Array<() => void> = [];
    const checks: string[] = [];
    const slow = await startOAuthServer({
      fayUrl: fay.url,
      checkKey: (key) =>
        new Promise((resolve) => {
          checks.push(key);
          release.push(() => resolve({ ok: true }));
        }),
    });
    try {
      const request = await consentRequest(slow.url);
      const submit = () =>
        submitConsent(slow.url, { request, fay_api_key: KEY, decision: 'allow' });
      const held = Array.from({ length: 16 }, submit);
      await vi.waitFor(() => expect(checks).toHaveLength(16));
      const extra = await submit();
      expect(extra.status).toBe(200);
      expect(await extra.text()).toContain('Too many sign-ins are being checked right now');
      expect(checks).toHaveLength(16);
      for (const done of release) done();
      for (const answer of await Promise.all(held)) expect(answer.status).toBe(302);
    } finally {
      await slow.close();
    }
  });

  it('a POST from another origin (CSRF) is refused without checking the key', async () => {
    const request = await consentRequest(server.url);
    const statusCalls = fay.count('status');
    for (const origin of ['https://evil.example', 'null', null]) {
      const response = await submitConsent(
        server.url,
        { request, fay_api_key: KEY, decision: 'allow' },
        origin,
      );
      expect(response.status).toBe(403);
      expect(response.headers.get('location')).toBeNull();
    }
    expect(fay.count('status')).toBe(statusCalls);
  });
});

describe('token endpoint', () => {
  it('exchanges a code for an access token that carries the key, and refreshes with rotation', async () => {
    const grant = await signIn(server.url, KEY);
    const response = await exchange(server.url, grant);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const tokens = OAuthTokensSchema.parse(await response.json());
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(server.oauth.verifyAccessToken(tokens.access_token)).toMatchObject({
      key: KEY,
      clientId: grant.clientId,
    });
    const refreshed = await tokenRequest(server.url, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token!,
      client_id: grant.clientId,
    });
    expect(refreshed.status).toBe(200);
    const next = OAuthTokensSchema.parse(await refreshed.json());
    expect(next.refresh_token).not.toBe(tokens.refresh_token);
    expect(server.oauth.verifyAccessToken(next.access_token).key).toBe(KEY);
  });

  it('an access token already used is still refused once its hour is over', async () => {
    const grant = await signIn(server.url, KEY);
    const tokens = OAuthTokensSchema.parse(await (await exchange(server.url, grant)).json());
    expect(server.oauth.verifyAccessToken(tokens.access_token).key).toBe(KEY);
    server.advance(3_599_000);
    expect(server.oauth.verifyAccessToken(tokens.access_token).key).toBe(KEY);
    server.advance(1_000);
    expect(() => server.oauth.verifyAccessToken(tokens.access_token)).toThrow(
      'The access token has expired.',
    );
  });

  it('refuses a wrong PKCE verifier', async () => {
    const grant = await signIn(server.url, KEY);
    const response = await exchange(server.url, { ...grant, verifier: pkce().verifier });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'code_verifier does not match the code_challenge.',
    });
  });

  it('refuses a code used twice', async () => {
    const grant = await signIn(server.url, KEY);
    expect((await exchange(server.url, grant)).status).toBe(200);
    const again = await exchange(server.url, grant);
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code for another client', async () => {
    const grant = await signIn(server.url, KEY);
    const { client_id: other } = await registerClient(server.url);
    const response = await exchange(server.url, { ...grant, clientId: other });
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a resource of another server (RFC 8707)', async () => {
    const grant = await signIn(server.url, KEY);
    const response = await tokenRequest(server.url, {
      grant_type: 'authorization_code',
      code: grant.code,
      code_verifier: grant.verifier,
      client_id: grant.clientId,
      redirect_uri: REDIRECT,
      resource: 'https://other.example/mcp',
    });
    expect(await response.json()).toMatchObject({ error: 'invalid_target' });
  });

  it('refuses a code past its 60 s', async () => {
    const grant = await signIn(server.url, KEY);
    server.advance(61_000);
    const response = await exchange(server.url, grant);
    expect(await response.json()).toMatchObject({
      error: 'invalid_grant',
      error_description: 'The code token has expired.',
    });
  });

  it('a refresh whose key Fay no longer accepts is refused (invalid_grant)', async () => {
    const grant = await signIn(server.url, KEY);
    const tokens = OAuthTokensSchema.parse(await (await exchange(server.url, grant)).json());
    fay.setApiKeys(['fay_some_other_key_9']);
    try {
      const response = await tokenRequest(server.url, {
        grant_type: 'refresh_token',
        refresh_token: tokens.refresh_token!,
        client_id: grant.clientId,
      });
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
    } finally {
      fay.setApiKeys([KEY]);
    }
  });
});

describe('hostile input', () => {
  const json = (path: string, init: RequestInit) => fetch(`${server.url}${path}`, init);

  it('each bad request gets its OAuth error and status, and the server keeps answering', async () => {
    const cases: Array<[string, RequestInit, number, string]> = [
      [
        '/register',
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' },
        400,
        'invalid_client_metadata',
      ],
      [
        '/register',
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            redirect_uris: ['https://a.example/cb'],
            client_name: 'x'.repeat(20_000),
          }),
        },
        400,
        'invalid_request',
      ],
      [
        '/register',
        { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' },
        400,
        'invalid_request',
      ],
      ['/register', { method: 'GET' }, 405, 'method_not_allowed'],
      [
        '/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=password&username=a',
        },
        400,
        'unsupported_grant_type',
      ],
      [
        '/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code&grant_type=refresh_token',
        },
        400,
        'invalid_request',
      ],
      [
        '/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=refresh_token&refresh_token=fay-mcp.rt.%00%FF&client_id=c',
        },
        400,
        'invalid_grant',
      ],
      [
        '/token',
        {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            // HTTP Basic whose client_id is not valid percent-encoding (RFC 6749 §2.3.1).
            authorization: `Basic ${Buffer.from('%E0%A4%A:').toString('base64')}`,
          },
          body: 'grant_type=refresh_token&refresh_token=x',
        },
        400,
        'invalid_request',
      ],
      [
        '/token',
        {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'grant_type=authorization_code&code=x&code_verifier=short&client_id=c&redirect_uri=x',
        },
        400,
        'invalid_grant',
      ],
    ];
    for (const [path, init, status, error] of cases) {
      const response = await json(path, init);
      expect(response.status, `${path} ${String(init.body).slice(0, 40)}`).toBe(status);
      expect(await response.json()).toMatchObject({ error });
    }
    const duplicated = await fetch(`${server.url}/authorize?client_id=a&client_id=b`, {
      redirect: 'manual',
    });
    expect(duplicated.status).toBe(400);
    expect(await duplicated.text()).toContain('client_id is given twice');
    expect((await json('/.well-known/oauth-authorization-server', {})).status).toBe(200);
  });
});
