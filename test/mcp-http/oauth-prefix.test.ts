// A public URL with a path (https://host/fay): the built server answers /fay/mcp, its 401 names the
// RFC 9728 metadata URL, and the MCP SDK's own discovery finds the resource and the issuer there.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discoverOAuthServerInfo } from '@modelcontextprotocol/sdk/client/auth.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { LIST_TOOLS, post, type HttpServerProcess } from '../support/mcp.ts';
import { startSignInServer } from './oauth-deployment.ts';

const KEY = 'fay_prefix_key_Ws81Lq';
let fay: FayServer;
let server: HttpServerProcess;
let origin: string;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  ({ server, origin } = await startSignInServer(fay.url, '/fay'));
});
afterAll(async () => {
  await server?.stop();
  await fay?.close();
});

it('serves /fay/mcp, and the SDK discovers the resource and the issuer under the path', async () => {
  const refused = await post(`${origin}/fay/mcp`, LIST_TOOLS);
  expect(refused.status).toBe(401);
  expect(refused.headers.get('www-authenticate')).toBe(
    `Bearer resource_metadata="${origin}/.well-known/oauth-protected-resource/fay/mcp"`,
  );
  const info = await discoverOAuthServerInfo(new URL(`${origin}/fay/mcp`));
  expect(info.resourceMetadata?.resource).toBe(`${origin}/fay/mcp`);
  expect(info.authorizationServerUrl).toBe(`${origin}/fay`);
  expect(info.authorizationServerMetadata).toMatchObject({
    issuer: `${origin}/fay`,
    authorization_endpoint: `${origin}/fay/authorize`,
  });
  const served = await post(`${origin}/fay/mcp`, LIST_TOOLS, { authorization: `Bearer ${KEY}` });
  expect(served.status).toBe(200);
});
