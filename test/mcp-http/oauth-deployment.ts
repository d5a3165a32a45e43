// What the end-to-end sign-in tests stand on: a deployment (fay-mcp --http replicas behind the
// round-robin proxy, the proxy's URL as every replica's FAY_MCP_PUBLIC_URL, one set of secrets),
// and an HTTPS server on loopback with a self-signed certificate (made by the openssl CLI) to
// serve client metadata documents; the replicas trust it through NODE_EXTRA_CA_CERTS.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  startHttpServer,
  startRoundRobinProxy,
  type HttpServerProcess,
  type RoundRobinProxy,
} from '../support/mcp.ts';
import { SECRET } from './oauth-harness.ts';

const run = promisify(execFile);

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

export interface LoopbackHttpsServer {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The certificate (PEM file) to trust: NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** An HTTPS server on 127.0.0.1 with a fresh self-signed certificate for that address. */
export async function startLoopbackHttps(
  handler: (req: IncomingMessage, res: ServerResponse, origin: string) => void,
): Promise<LoopbackHttpsServer> {
  const dir = await mkdtemp(join(tmpdir(), 'fay-oauth-tls-'));
  const keyFile = join(dir, 'key.pem');
  const caFile = join(dir, 'cert.pem');
  await run(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      caFile,
    ],
    { timeout: 30_000 },
  );
  const requests: string[] = [];
  let origin = '';
  const server = createServer(
    { key: await readFile(keyFile), cert: await readFile(caFile) },
    (req, res) => {
      requests.push(req.url ?? '');
      handler(req, res, origin);
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    caFile,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => void rm(dir, { recursive: true, force: true }).then(() => resolve()));
      }),
  };
}
