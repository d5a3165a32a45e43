// Client ID Metadata Documents: fetched only from public addresses (checked after DNS resolution)
// unless the tests' opt-in is on; a bad document is an error page and never a redirect; a good one
// gives the consent page and a code the client exchanges with its URL as client_id.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPublicAddress } from '../../src/mcp/transports/oauth/addresses.ts';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  authorizeParams,
  authorizeUrl,
  exchange,
  pkce,
  REDIRECT,
  requestField,
  startOAuthServer,
  submitConsent,
  type OAuthTestServer,
} from './oauth-harness.ts';

const KEY = 'fay_cimd_key_Lk30pq';
let fay: FayServer;
let documents: Server;
let docs: string;
/** path → answer of the document server */
const answers = new Map<
  string,
  { status?: number; headers?: Record<string, string>; body: string }
>();
const hits = new Map<string, number>();

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  documents = createServer((req, res) => {
    hits.set(req.url!, (hits.get(req.url!) ?? 0) + 1);
    const answer = answers.get(req.url!) ?? { status: 404, body: 'no' };
    res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  docs = `http://127.0.0.1:${(documents.address() as AddressInfo).port}`;
});
afterAll(async () => {
  documents?.closeAllConnections();
  documents?.close();
  await fay?.close();
});

function publish(path: string, fields: Record<string, unknown> = {}, headers = {}): string {
  const clientId = `${docs}${path}`;
  answers.set(path, {
    headers,
    body: JSON.stringify({
      client_id: clientId,
      client_name: 'Doc Client',
      redirect_uris: [REDIRECT],
      ...fields,
    }),
  });
  return clientId;
}

async function authorizePage(server: OAuthTestServer, clientId: string, overrides = {}) {
  return fetch(authorizeUrl(server.url, authorizeParams(clientId, pkce().challenge, overrides)), {
    redirect: 'manual',
  });
}

describe('addresses', () => {
  it('only public unicast addresses count as public', () => {
    for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111']) {
      expect(isPublicAddress(address), address).toBe(true);
    }
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '100.64.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '::1',
      '::',
      'fc00::1',
      'fd12::1',
      'fe80::1',
      '::ffff:127.0.0.1',
      '::ffff:8.8.8.8',
      '64:ff9b::a00:1',
      'ff02::1',
      'localhost',
    ]) {
      expect(isPublicAddress(address), address).toBe(false);
    }
  });
});

describe('without the opt-in', () => {
  let server: OAuthTestServer;
  beforeAll(async () => {
    server = await startOAuthServer({ fayUrl: fay.url });
  });
  afterAll(() => server?.close());

  it('refuses a document whose name resolves to a loopback address (after DNS), with a page and no request', async () => {
    const port = new URL(docs).port;
    publish('/resolves.json');
    const before = hits.get('/resolves.json') ?? 0;
    const response = await authorizePage(server, `https://localhost:${port}/resolves.json`);
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toMatch(
      /localhost resolves to (127\.0\.0\.1|::1), which is not a public address/,
    );
    expect(hits.get('/resolves.json') ?? 0).toBe(before);
  });

  it('refuses private and metadata IP literals, and http://', async () => {
    for (const clientId of [
      'https://169.254.169.254/latest/meta-data',
      'https://10.0.0.1/client.json',
      'https://[::ffff:127.0.0.1]/client.json',
      'https://[fd00::1]/client.json',
    ]) {
      const response = await authorizePage(server, clientId);
      expect(response.status, clientId).toBe(400);
      expect(await response.text()).toContain('which is not a public address');
    }
    const http = await authorizePage(server, 'http://fay-client.example/client.json');
    expect(http.status).toBe(400);
    expect(await http.text()).toContain('must be an https:// URL');
  });
});

describe('with FAY_MCP_OAUTH_ALLOW_PRIVATE_METADATA_URLS (tests only)', () => {
  let server: OAuthTestServer;
  beforeAll(async () => {
    server = await startOAuthServer({ fayUrl: fay.url, allowPrivateMetadataUrls: true });
  });
  afterAll(() => server?.close());

  it('signs in a client by its document: consent page, code, token with the URL as client_id', async () => {
    const clientId = publish('/good.json');
    const { verifier, challenge } = pkce();
    const page = await fetch(authorizeUrl(server.url, authorizeParams(clientId, challenge)));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Doc Client');
    expect(html).toContain(`published by <strong>${new URL(docs).host}</strong>`);
    const answer = await submitConsent(server.url, {
      request: requestField(html),
      fay_api_key: KEY,
      decision: 'allow',
    });
    const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
    const tokens = await exchange(server.url, { clientId, code, verifier });
    expect(tokens.status).toBe(200);
    const { access_token } = (await tokens.json()) as { access_token: string };
    expect(server.oauth.verifyAccessToken(access_token)).toMatchObject({ key: KEY, clientId });
  });

  it('caches a document: a second authorization does not fetch it again', async () => {
    const clientId = publish('/cached.json');
    await authorizePage(server, clientId);
    await authorizePage(server, clientId);
    expect(hits.get('/cached.json')).toBe(1);
  });

  it('a redirect_uri the document does not list gets an error page', async () => {
    const clientId = publish('/listed.json');
    const response = await authorizePage(server, clientId, {
      redirect_uri: 'http://127.0.0.1:1/other',
    });
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('bad documents get a clear error page, never a redirect', async () => {
    const cases: Array<[string, () => string, RegExp]> = [
      [
        '/mismatch.json',
        () => publish('/mismatch.json', { client_id: `${docs}/elsewhere.json` }),
        /client_id does not equal the URL/,
      ],
      [
        '/large.json',
        () => publish('/large.json', { client_name: 'x'.repeat(20_000) }),
        /larger than 16384 bytes/,
      ],
      [
        '/moved.json',
        () => {
          answers.set('/moved.json', {
            status: 302,
            headers: { location: `${docs}/good.json` },
            body: '',
          });
          return `${docs}/moved.json`;
        },
        /redirects are not followed/,
      ],
      [
        '/secret.json',
        () => publish('/secret.json', { token_endpoint_auth_method: 'client_secret_basic' }),
        /public clients only/,
      ],
      [
        '/notjson.json',
        () => {
          answers.set('/notjson.json', { body: '<html>' });
          return `${docs}/notjson.json`;
        },
        /not JSON/,
      ],
      ['/missing.json', () => `${docs}/missing.json`, /answered HTTP 404/],
    ];
    for (const [name, prepare, message] of cases) {
      const response = await authorizePage(server, prepare());
      expect(response.status, name).toBe(400);
      expect(response.headers.get('location'), name).toBeNull();
      expect(await response.text(), name).toMatch(message);
    }
  });
});
