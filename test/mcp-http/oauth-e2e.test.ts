// Signing in to fay-mcp --http with the MCP SDK's own OAuth client (StreamableHTTPClientTransport
// with an OAuthClientProvider), end to end through two replicas behind a round-robin proxy (no
// stickiness, so discovery, registration, consent and token land on both): discovery, dynamic
// registration or a client metadata document, consent with a Fay key, the code, tokens, tools and
// a real Fay call with the key the user typed, and a refresh; also under a path prefix
// (FAY_MCP_PUBLIC_URL http://host/fay), and with another library's OAuth client (the AI SDK's).
// Then what must be refused at /mcp: tokens of another deployment (other public URL, other
// secret), tampered tokens; a private metadata URL without the test opt-in is never fetched. What
// keeps working: a raw Fay key as the bearer, tokens sealed with a rotated-out secret. The key is
// in no log. (The authorization server's own refusals, one by one, are in oauth-flow.test.ts.)
import {
  auth as aiSdkAuth,
  createMCPClient,
  UnauthorizedError as AiSdkUnauthorizedError,
} from '@ai-sdk/mcp';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  discoverAuthorizationServerMetadata,
  refreshAuthorization,
  UnauthorizedError,
} from '@modelcontextprotocol/sdk/client/auth.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { OAuthTokens } from '@modelcontextprotocol/sdk/shared/auth.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  ConsentProvider,
  fetchVia,
  openConsent,
  signIn,
  visibleText,
} from '../support/oauth-sign-in.ts';
import {
  callTool,
  connectHttp,
  LIST_TOOLS,
  post,
  startHttpServer,
  stateOf,
  type HttpServerProcess,
} from '../support/mcp.ts';
import { startLoopbackHttps, type LoopbackHttpsServer } from '../support/loopback-https.ts';
import { startOAuthDeployment, type OAuthDeployment } from './oauth-deployment.ts';
import { OTHER_SECRET, SECRET } from './oauth-harness.ts';

/** Distinctive, so any leak of it is visible. */
const KEY = 'fay_oauth_user_key_Qm7Xw2Lr9';
const REDIRECT = 'http://127.0.0.1/callback';
const METADATA_PATH = '/oauth/fay-client.json';
const CLIENT_NAME = 'Fay CIMD Test Client';

let fay: FayServer;
let metadataHost: LoopbackHttpsServer;
let ours: OAuthDeployment;
/** Started by the tests that need them; stopped at the end. */
const others: Array<{ stop(): Promise<unknown> }> = [];
/** Every fay-mcp process started here: none may write the key to its stderr. */
const processes: HttpServerProcess[] = [];

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  metadataHost = await startLoopbackHttps((req, res, origin) => {
    if (req.url !== METADATA_PATH) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        client_id: origin + METADATA_PATH,
        client_name: CLIENT_NAME,
        redirect_uris: [REDIRECT],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'none',
      }),
    );
  });
  ours = await startOAuthDeployment({
    fayUrl: fay.url,
    env: {
      NODE_EXTRA_CA_CERTS: metadataHost.caFile,
      FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS: '1',
    },
  });
  processes.push(...ours.replicas);
});
afterAll(async () => {
  await Promise.all(others.map((other) => other.stop()));
  await ours?.stop();
  await metadataHost?.close();
  await fay?.close();
});
afterEach(() => {
  for (const server of processes) expect(server.stderr()).not.toContain(KEY);
});

/** Every base64url/base64 piece of a token, decoded: the key must not be readable from any. */
function readableFrom(token: string): string {
  const pieces = token.split(/[^A-Za-z0-9_-]+/).filter(Boolean);
  return [token, ...pieces.map((piece) => Buffer.from(piece, 'base64url').toString('latin1'))].join(
    '\n',
  );
}

function expectNoKeyIn(...tokens: Array<string | null | undefined>): void {
  for (const token of tokens) if (token) expect(readableFrom(token)).not.toContain(KEY);
}

/** One character changed in the middle (the end of base64url may carry unused bits). */
function tampered(token: string): string {
  const at = Math.floor(token.length / 2);
  return token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
}

const listWith = (url: string, bearer: string) =>
  post(url, LIST_TOOLS, {
    authorization: `Bearer ${bearer}`,
    'mcp-protocol-version': '2025-11-25',
  });

/** RFC 9728: the well-known segment goes between the origin and the resource's path. */
const resourceMetadataOf = (deployment: OAuthDeployment) => {
  const resource = new URL(deployment.mcpUrl);
  return `resource_metadata="${resource.origin}/.well-known/oauth-protected-resource${resource.pathname}"`;
};

/** A sealed token refused at /mcp: 401, invalid_token (RFC 6750 §3.1), and where to sign in. */
async function expectRefusedToken(
  answer: Response,
  deployment: OAuthDeployment = ours,
): Promise<void> {
  expect(answer.status).toBe(401);
  const challenge = answer.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer /);
  expect(challenge).toContain('error="invalid_token"');
  expect(challenge).toContain(resourceMetadataOf(deployment));
}

/**
 * What a host does: connect, get UnauthorizedError once the provider has been through consent,
 * finish with the code, connect again.
 */
async function connectSignedIn(
  provider: ConsentProvider,
  deployment: OAuthDeployment,
): Promise<Client> {
  const url = new URL(deployment.mcpUrl);
  const first = new Client({ name: 'fay-oauth-e2e', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await expect(first.connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  await first.close();
  const { code } = provider.authorizationResponse;
  expect(code).toBeTruthy();
  await transport.finishAuth(code!);
  const client = new Client({ name: 'fay-oauth-e2e', version: '1.0.0' });
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return client;
}

/** The whole journey for one provider; returns what the client ended with. */
async function journey(
  provider: ConsentProvider,
  deployment: OAuthDeployment = ours,
): Promise<OAuthTokens> {
  const hitsBefore = [...deployment.proxy.hits];
  const client = await connectSignedIn(provider, deployment);
  try {
    // Discovery found the issuer and the resource (RFC 9728 → RFC 8414).
    const discovery = provider.discoveryState();
    expect(discovery!.authorizationServerUrl.replace(/\/$/, '')).toBe(deployment.publicUrl);
    expect(discovery!.authorizationServerMetadata?.issuer).toBe(deployment.publicUrl);
    expect(discovery!.resourceMetadata?.resource).toBe(deployment.mcpUrl);
    // Consent answered the client's redirect_uri with the code, its state and the issuer (RFC 9207).
    const consent = provider.consents.at(-1)!;
    expect(consent.answer.status).toBe(302);
    expect(`${consent.answer.location!.origin}${consent.answer.location!.pathname}`).toBe(REDIRECT);
    const response = provider.authorizationResponse;
    expect(response.state).toBe(provider.sentState);
    expect(response.iss).toBe(deployment.publicUrl);
    // The key is in no code or token.
    const tokens = provider.tokens()!;
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.refresh_token).toBeTruthy();
    expect(tokens.expires_in).toBeGreaterThan(0);
    expect(tokens.expires_in).toBeLessThanOrEqual(3600);
    expectNoKeyIn(response.code, tokens.access_token, tokens.refresh_token);
    expect(JSON.stringify(provider.clientInformation())).not.toContain(KEY);
    expect(consent.answer.page.html).not.toContain(KEY);

    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toContain('fay_start_research');
    // A real Fay call, made with the key the user typed on the consent page.
    const created = fay.count('create');
    const started = stateOf(
      (await client.callTool({
        name: 'fay_start_research',
        arguments: { prompt: 'Signed in [fay:never]' },
      })) as CallToolResult,
    );
    expect(fay.count('create')).toBe(created + 1);
    const job = fay.jobs.get(String(started.request_id));
    expect(job?.prompt).toBe('Signed in [fay:never]');
    const request = fay.requests.findLast((r) => r.endpoint === 'create')!;
    expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
    // Both replicas served part of it.
    expect(deployment.proxy.hits[0]).toBeGreaterThan(hitsBefore[0]!);
    expect(deployment.proxy.hits[1]).toBeGreaterThan(hitsBefore[1]!);
  } finally {
    await client.close();
  }

  // Refresh: the host holds an access token the server refuses; the SDK refreshes and retries.
  const before = provider.tokens()!;
  const refused = tampered(before.access_token);
  await expectRefusedToken(await listWith(deployment.mcpUrl, refused), deployment);
  provider.saveTokens({ ...before, access_token: refused });
  const again = new Client({ name: 'fay-oauth-e2e', version: '1.0.0' });
  await again.connect(
    new StreamableHTTPClientTransport(new URL(deployment.mcpUrl), { authProvider: provider }),
  );
  try {
    expect((await again.listTools()).tools.length).toBeGreaterThan(0);
  } finally {
    await again.close();
  }
  const after = provider.tokens()!;
  expect(after.access_token).not.toBe(refused);
  expect(after.access_token).not.toBe(before.access_token);
  expect(after.refresh_token).toBeTruthy();
  expect(after.refresh_token).not.toBe(before.refresh_token); // rotated
  expectNoKeyIn(after.access_token, after.refresh_token);
  const fresh = await listWith(deployment.mcpUrl, after.access_token);
  expect(fresh.status).toBe(200);
  expect(await fresh.text()).toContain('fay_start_research');
  return after;
}

describe('discovery documents', () => {
  it('a 401 from /mcp points at the protected-resource metadata, which names the issuer', async () => {
    const refused = await post(ours.mcpUrl, LIST_TOOLS);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe(`Bearer ${resourceMetadataOf(ours)}`);
    for (const path of ['/mcp', '']) {
      const answer = await fetch(`${ours.publicUrl}/.well-known/oauth-protected-resource${path}`);
      expect(answer.status).toBe(200);
      const resource = (await answer.json()) as Record<string, unknown>;
      expect(resource.resource).toBe(ours.mcpUrl);
      expect(resource.authorization_servers).toContain(ours.publicUrl);
    }
    // The issuer and its endpoints are the public URL (the proxy), not a replica's own address;
    // the rest of the document is checked at the router level (oauth-flow.test.ts).
    const metadata = await discoverAuthorizationServerMetadata(ours.publicUrl);
    expect(metadata?.issuer).toBe(ours.publicUrl);
    for (const endpoint of ['authorize', 'token', 'register']) {
      expect(Object.values(metadata ?? {})).toContain(`${ours.publicUrl}/${endpoint}`);
    }
  });
});

describe('the SDK OAuth client, through two replicas', () => {
  it('signs in with dynamic client registration, calls Fay, refreshes', async () => {
    const provider = new ConsentProvider({ key: KEY, redirectUrl: REDIRECT });
    await journey(provider);
    // Registered: a client_id the server made (no metadata document involved).
    expect(provider.clientInformation()?.client_id).not.toMatch(/^https:/);
  });

  it('signs in with a client metadata document, calls Fay, refreshes', async () => {
    const clientId = metadataHost.origin + METADATA_PATH;
    const fetched = metadataHost.requests.length;
    const provider = new ConsentProvider({
      key: KEY,
      redirectUrl: REDIRECT,
      clientMetadataUrl: clientId,
    });
    await journey(provider);
    expect(provider.clientInformation()?.client_id).toBe(clientId);
    expect(metadataHost.requests.length).toBeGreaterThan(fetched);
    // The consent page named the client from its document, and where it sends the user back.
    const page = visibleText(provider.consents[0]!.answer.page.html);
    expect(page).toContain(CLIENT_NAME);
    expect(page).toContain(new URL(REDIRECT).host);
  });
});

describe('another OAuth client: the AI SDK (@ai-sdk/mcp)', () => {
  it('signs in through the two replicas and runs a tool with the key typed at consent', async () => {
    const provider = new ConsentProvider({ key: KEY, redirectUrl: REDIRECT });
    const transport = { type: 'http' as const, url: ours.mcpUrl, authProvider: provider };
    await expect(createMCPClient({ transport })).rejects.toBeInstanceOf(AiSdkUnauthorizedError);
    const { code, state, iss } = provider.authorizationResponse;
    expect(iss).toBe(ours.publicUrl);
    await expect(
      aiSdkAuth(provider, {
        serverUrl: ours.mcpUrl,
        authorizationCode: code!,
        callbackState: state!,
      }),
    ).resolves.toBe('AUTHORIZED');
    expect(provider.tokens()?.access_token).toMatch(/^fay-mcp\./);
    const client = await createMCPClient({ transport });
    try {
      const tools = await client.tools();
      const start = tools.fay_start_research;
      if (!start?.execute) throw new Error('the AI SDK did not load fay_start_research');
      const created = fay.count('create');
      await start.execute(
        { prompt: 'AI SDK signed in [fay:never]' },
        { toolCallId: 'call-1', messages: [] },
      );
      expect(fay.count('create')).toBe(created + 1);
      const request = fay.requests.findLast((r) => r.endpoint === 'create')!;
      expect(request.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(request.body).toMatchObject({ prompt: 'AI SDK signed in [fay:never]' });
    } finally {
      await client.close();
    }
  });
});

describe('under a path prefix', () => {
  it('a public URL with a path (/fay): the SDK discovers, signs in, calls Fay, refreshes', async () => {
    const prefixed = await startOAuthDeployment({ fayUrl: fay.url, path: '/fay' });
    others.push(prefixed);
    processes.push(...prefixed.replicas);
    expect(prefixed.mcpUrl).toMatch(/\/fay\/mcp$/);
    await journey(new ConsentProvider({ key: KEY, redirectUrl: REDIRECT }), prefixed);
  });
});

describe('refused', () => {
  it('a token minted by a server with another public URL gets 401', async () => {
    const other = await startOAuthDeployment({ fayUrl: fay.url, replicas: 1 });
    others.push(other);
    processes.push(...other.replicas);
    const theirs = await signIn(other.publicUrl, KEY);
    expect((await listWith(other.mcpUrl, theirs.access_token)).status).toBe(200);
    await expectRefusedToken(await listWith(ours.mcpUrl, theirs.access_token));
    // Nor does its refresh token buy one of ours.
    const metadata = (await discoverAuthorizationServerMetadata(ours.publicUrl))!;
    await expect(
      refreshAuthorization(ours.publicUrl, {
        metadata,
        clientInformation: theirs.start.client,
        refreshToken: theirs.refresh_token!,
        resource: new URL(ours.mcpUrl),
      }),
    ).rejects.toThrow();
  });

  it('a tampered access token gets 401', async () => {
    const tokens = await signIn(ours.publicUrl, KEY);
    await expectRefusedToken(await listWith(ours.mcpUrl, tampered(tokens.access_token)));
  });

  it('a private-address metadata URL, without the test opt-in, is never fetched', async () => {
    const strict = await startOAuthDeployment({
      fayUrl: fay.url,
      replicas: 1,
      env: { NODE_EXTRA_CA_CERTS: metadataHost.caFile },
    });
    others.push(strict);
    processes.push(...strict.replicas);
    const authorizeAt = (deployment: OAuthDeployment) => {
      const url = new URL(`${deployment.publicUrl}/authorize`);
      for (const [name, value] of Object.entries({
        response_type: 'code',
        client_id: metadataHost.origin + METADATA_PATH,
        redirect_uri: REDIRECT,
        code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
        code_challenge_method: 'S256',
        state: 'private',
        resource: deployment.mcpUrl,
      }))
        url.searchParams.set(name, value);
      return openConsent(url);
    };
    const fetched = metadataHost.requests.length;
    const page = await authorizeAt(strict);
    expect(page.status).toBeGreaterThanOrEqual(400);
    expect(page.location).toBeUndefined();
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(metadataHost.requests.length).toBe(fetched);
    // The same request where the opt-in is set fetches the document and shows the consent page.
    const allowed = await authorizeAt(ours);
    expect(allowed.status).toBe(200);
    expect(visibleText(allowed.html)).toContain(CLIENT_NAME);
  });
});

describe('keeps working', () => {
  it('a raw Fay key as the bearer, alongside signed-in clients', async () => {
    const session = await connectHttp(ours.mcpUrl, KEY);
    try {
      const { tools } = await session.client.listTools();
      expect(tools.map((tool) => tool.name)).toContain('fay_get_research');
      const started = stateOf(
        await callTool(session, 'fay_start_research', { prompt: 'Raw key [fay:never]' }),
      );
      expect(fay.jobs.get(String(started.request_id))?.prompt).toBe('Raw key [fay:never]');
    } finally {
      await session.close();
    }
  });

  it('rotation: a server holding new,old opens tokens sealed with old; ours refuses new', async () => {
    const rotated = await startHttpServer({
      FAY_BASE_URL: fay.url,
      FAY_MCP_PUBLIC_URL: ours.publicUrl,
      FAY_MCP_OAUTH_SECRETS: `${OTHER_SECRET},${SECRET}`,
    });
    others.push(rotated);
    processes.push(rotated);
    const sealedWithOld = await signIn(ours.publicUrl, KEY);
    expect((await listWith(rotated.url, sealedWithOld.access_token)).status).toBe(200);
    // Signed in at the rotated replica alone (same public URL): sealed with the new secret.
    const sealedWithNew = await signIn(ours.publicUrl, KEY, {
      fetchFn: fetchVia(ours.publicUrl, rotated.url),
    });
    expect((await listWith(rotated.url, sealedWithNew.access_token)).status).toBe(200);
    await expectRefusedToken(await listWith(ours.mcpUrl, sealedWithNew.access_token));
  });
});
