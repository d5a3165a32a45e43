// The Fay key typed on the consent page is in no code, token, page, redirect, error or log: a
// whole sign-in against the built fay-mcp --http process (good key, rejected key, tokens used at
// /mcp, a tool error, a refresh, refused tokens), then every string it produced and its stderr are
// searched for the key, as written and as any base64 piece of a token decodes.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { LIST_TOOLS, post, type HttpServerProcess } from '../support/mcp.ts';
import {
  authorizeParams,
  authorizeUrl,
  exchange,
  pkce,
  registerClient,
  requestField,
  submitConsent,
  tokenRequest,
} from './oauth-harness.ts';
import { startSignInServer } from './oauth-deployment.ts';

const KEY = 'fay_secret_typed_Kp4Wm9Zt';
const WRONG_KEY = 'fay_wrong_typed_Bv7Qs2Xe';
let fay: FayServer;
let server: HttpServerProcess;
let publicUrl: string;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  ({ server, publicUrl } = await startSignInServer(fay.url));
});
afterAll(async () => {
  await server?.stop();
  await fay?.close();
});

/** The text, and every base64url piece of it decoded. */
function readable(text: string): string {
  const pieces = text.split(/[^A-Za-z0-9_-]+/).filter((piece) => piece.length >= 8);
  return [text, ...pieces.map((piece) => Buffer.from(piece, 'base64url').toString('latin1'))].join(
    '\n',
  );
}

it('the key is in no code, token, page, redirect, error or log', async () => {
  const seen: string[] = [];
  const keep = async (response: Response) => {
    seen.push(String(response.status), response.headers.get('location') ?? '');
    seen.push(response.headers.get('www-authenticate') ?? '', await response.clone().text());
    return response;
  };
  const { client_id: clientId } = await registerClient(publicUrl);
  const { verifier, challenge } = pkce();
  const page = await keep(
    await fetch(authorizeUrl(publicUrl, authorizeParams(clientId, challenge))),
  );
  const request = requestField(await page.text());
  seen.push(request);

  const rejected = await keep(
    await submitConsent(publicUrl, { request, fay_api_key: WRONG_KEY, decision: 'allow' }),
  );
  expect(rejected.status).toBe(200);
  const allowed = await keep(
    await submitConsent(publicUrl, { request, fay_api_key: KEY, decision: 'allow' }),
  );
  const code = new URL(allowed.headers.get('location')!).searchParams.get('code')!;
  const tokens = (await (
    await keep(await exchange(publicUrl, { clientId, code, verifier }))
  ).json()) as {
    access_token: string;
    refresh_token: string;
  };
  // Used at /mcp: tools, and a tool error from Fay (an unknown request id).
  const mcp = `${publicUrl}/mcp`;
  const auth = { authorization: `Bearer ${tokens.access_token}` };
  expect((await keep(await post(mcp, LIST_TOOLS, auth))).status).toBe(200);
  const failing = JSON.stringify({
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: {
      name: 'fay_get_research',
      arguments: { request_id: '11111111-1111-4111-8111-111111111111' },
    },
  });
  await keep(await post(mcp, failing, auth));
  // Refused: the code again, a tampered token, a refresh.
  await keep(await exchange(publicUrl, { clientId, code, verifier }));
  await keep(await post(mcp, LIST_TOOLS, { authorization: `Bearer ${tokens.access_token}x` }));
  await keep(
    await tokenRequest(publicUrl, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
      client_id: clientId,
    }),
  );
  // Fay saw the key, so the sign-in really carried it.
  expect(fay.requests.some((r) => r.headers.authorization === `Bearer ${KEY}`)).toBe(true);

  await server.stop();
  const everything = readable(
    [...seen, code, tokens.access_token, tokens.refresh_token].join('\n'),
  );
  for (const secret of [KEY, WRONG_KEY]) {
    expect(everything).not.toContain(secret);
    expect(server.stderr()).not.toContain(secret);
  }
});
