// What the end-to-end sign-in tests stand on: a deployment (fay-mcp --http replicas behind the
// round-robin proxy, the proxy's URL as every replica's FAY_MCP_PUBLIC_URL, one set of secrets),
// or a single server listening on the port its public URL names.
// Client metadata documents are served by test/support/loopback-https.ts.
import {
  startHttpServer,
  startRoundRobinProxy,
  type HttpServerProcess,
  type RoundRobinProxy,
} from '../support/mcp.ts';
import { freePort } from '../support/free-port.ts';
import { SECRET } from './oauth-harness.ts';

export interface OAuthDeployment {
  /** FAY_MCP_PUBLIC_URL: the issuer. */
  publicUrl: string;
  /** `<public URL>/mcp`: the resource, and the URL clients connect to. */
  mcpUrl: string;
  proxy: RoundRobinProxy;
  replicas: HttpServerProcess[];
  stop(): Promise<void>;
}

export interface OAuthDeploymentOptions {
  fayUrl: string;
  /** FAY_MCP_OAUTH_SECRETS, first seals; default [SECRET]. */
  secrets?: string[];
  /** How many replicas; default 2. */
  replicas?: number;
  /** More environment for every replica. */
  env?: Record<string, string>;
  /** A path after the proxy's origin in the public URL (a deployment under a prefix), e.g. '/fay'. */
  path?: string;
}

/** The proxy starts first, so its URL can be every replica's public URL. */
export async function startOAuthDeployment(
  options: OAuthDeploymentOptions,
): Promise<OAuthDeployment> {
  const proxy = await startRoundRobinProxy();
  const publicUrl = new URL(proxy.url).origin + (options.path ?? '');
  const env = {
    FAY_BASE_URL: options.fayUrl,
    FAY_MCP_PUBLIC_URL: publicUrl,
    FAY_MCP_OAUTH_SECRETS: (options.secrets ?? [SECRET]).join(','),
    ...options.env,
  };
  const replicas = await Promise.all(
    Array.from({ length: options.replicas ?? 2 }, () => startHttpServer(env)),
  ).catch(async (error: unknown) => {
    await proxy.close();
    throw error;
  });
  proxy.add(...replicas.map((replica) => replica.url));
  return {
    publicUrl,
    mcpUrl: `${publicUrl}/mcp`,
    proxy,
    replicas,
    async stop() {
      await proxy.close();
      await Promise.all(replicas.map((replica) => replica.stop()));
    },
  };
}

/**
 * One fay-mcp --http with sign-in on (SECRET), listening on the port its public URL
 * `http://127.0.0.1:<port><path>` names; the caller stops it.
 */
export async function startSignInServer(
  fayUrl: string,
  path = '',
): Promise<{ server: HttpServerProcess; origin: string; publicUrl: string }> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const publicUrl = origin + path;
  const server = await startHttpServer(
    { FAY_BASE_URL: fayUrl, FAY_MCP_PUBLIC_URL: publicUrl, FAY_MCP_OAUTH_SECRETS: SECRET },
    ['--port', String(port)],
  );
  return { server, origin, publicUrl };
}
