// Transports: one HTTP exchange each. Network failures propagate with their Node error code (on
// the error or its `cause`); HTTP error statuses are returned for the core to map.
import http from 'node:http';
import https from 'node:https';
import type { Transport } from './types.js';

/**
 * The default: global fetch (honours a host's global dispatcher, e.g. a proxy). Redirects are
 * returned, not followed, for the core to refuse.
 */
export const fetchTransport: Transport = async (req) => {
  let response: Response;
  try {
    response = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body ?? null,
      signal: req.signal,
      redirect: 'manual',
    });
  } catch (error) {
    throw refusedPort(error, req.url) ?? error;
  }
  return { status: response.status, headers: response.headers, body: await response.text() };
};

/**
 * fetch refuses some ports (6000, 6665…, as browsers do) before connecting, with a code-less
 * "bad port": give it a code that says the request was never sent.
 */
function refusedPort(error: unknown, url: string): Error | undefined {
  const cause = (error as { cause?: { message?: unknown } } | null)?.cause;
  if (cause?.message !== 'bad port') return undefined;
  return Object.assign(
    new Error(
      `fetch refuses to connect to port ${new URL(url).port} (a port browsers block), so ` +
        'nothing was sent: serve the Fay API on another port, or use httpTransport',
    ),
    { code: 'ERR_BAD_PORT' },
  );
}

// Keep-alive sockets are reused across calls; idle ones are unref'd and never hold the process.
const agents = {
  'http:': new http.Agent({ keepAlive: true }),
  'https:': new https.Agent({ keepAlive: true }),
};

/**
 * node:http(s) with keep-alive agents: about half the memory of fetch per request, which shows
 * when hundreds of researches run at once (see `npm run bench`).
 */
export const httpTransport: Transport = (req) =>
  new Promise((resolve, reject) => {
    const url = new URL(req.url);
    const secure = url.protocol === 'https:';
    const send = secure ? https.request : http.request;
    const options = {
      method: req.method,
      headers: req.headers,
      agent: agents[secure ? 'https:' : 'http:'],
      signal: req.signal,
    };
    const request = send(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('close', () => {
        if (!res.complete) {
          reject(
            Object.assign(new Error('Fay closed the connection mid-answer'), {
              code: 'ECONNRESET',
            }),
          );
          return;
        }
        const headers = res.headers;
        resolve({
          status: res.statusCode ?? 0,
          headers: {
            get: (name) => {
              const value = headers[name.toLowerCase()];
              return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
            },
          },
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    request.on('error', reject);
    request.end(req.body);
  });
