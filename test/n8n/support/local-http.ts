// A plain HTTP server on loopback for answers the local Fay server does not give (a page that is
// not Fay's, a proxy's error page): any free port, closed when the test finishes.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestContext } from 'vitest';

/** Starts a server answering with `handler`; resolves with its base URL. */
export async function localHttpServer(
  test: TestContext,
  handler: http.RequestListener,
): Promise<string> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  test.onTestFinished(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
