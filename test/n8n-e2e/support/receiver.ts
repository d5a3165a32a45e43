// A tiny HTTP receiver the trigger workflow forwards its items to: the test sees each execution's
// item as it happens, and waits for them as events instead of sleeping.
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Receiver {
  url: string;
  /** Parsed JSON bodies, in arrival order. */
  received: unknown[];
  /** Resolves once `count` bodies have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: unknown[] = [];
  let waiters: Array<{ count: number; resolve: () => void }> = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      try {
        received.push(JSON.parse(text));
      } catch {
        received.push(text);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      const due = waiters.filter((w) => received.length >= w.count);
      waiters = waiters.filter((w) => !due.includes(w));
      for (const waiter of due) waiter.resolve();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/items`,
    received,
    waitFor(count, timeoutMs = 60_000) {
      if (received.length >= count) return Promise.resolve(received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`received ${received.length} of ${count} items in ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve(received);
          },
        });
      });
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
