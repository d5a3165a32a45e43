// An HTTPS server on loopback with a throwaway self-signed certificate (made by the openssl CLI),
// for tests that need TLS: processes under test trust it through NODE_EXTRA_CA_CERTS.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface LoopbackHttpsServer {
  /** https://127.0.0.1:<port> */
  origin: string;
  /** The certificate (PEM file) to trust: NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * An HTTPS server on 127.0.0.1 with a fresh self-signed certificate for 127.0.0.1 and localhost.
 */
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
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
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
