// The Fay API credential's test request, run the way n8n's credential tester runs it, against the
// local Fay server: it tells a working key from a rejected one and a wrong Base URL, and creates
// no job.
import { describe, expect, it, type TestContext } from 'vitest';
import { FayApi } from '../../src/n8n/credentials/FayApi.credentials.ts';
import { startFayServer } from '../support/fay-server.ts';
import { testCredential } from './support/credential-test.ts';
import { localHttpServer } from './support/local-http.ts';

const KEY = 'fay_test_key';

async function fay(test: TestContext) {
  const server = await startFayServer();
  test.onTestFinished(() => server.close());
  return server;
}

/** Not Fay: answers every request with an HTML 404 page. */
function htmlServer(test: TestContext): Promise<string> {
  return localHttpServer(test, (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' });
    res.end('<html><body>Not Found</body></html>');
  });
}

describe.concurrent('Fay API credential test', () => {
  it('passes for a working key, with a status call that creates nothing', async (test) => {
    const server = await fay(test);
    const result = await testCredential(new FayApi(), { apiKey: KEY, baseUrl: `${server.url}/` });
    expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
    expect(server.requests.map((r) => [r.method, r.endpoint, r.statusCode])).toEqual([
      ['GET', 'status', 404],
    ]);
    expect(server.requests[0].headers.authorization).toBe(`Bearer ${KEY}`);
    expect(server.jobs.size).toBe(0);
  });

  it('fails for a rejected key, saying so', async (test) => {
    const server = await fay(test);
    const result = await testCredential(new FayApi(), {
      apiKey: 'fay_revoked',
      baseUrl: server.url,
    });
    expect(result.status).toBe('Error');
    expect(result.message).toMatch(/Fay rejected this API key/);
  });

  it('fails for a Base URL that is not Fay, and for one nothing listens on', async (test) => {
    const notFay = await testCredential(new FayApi(), {
      apiKey: KEY,
      baseUrl: await htmlServer(test),
    });
    expect(notFay).toEqual({
      status: 'Error',
      message: expect.stringMatching(/did not answer like the Fay API/),
    });
    const nobody = await testCredential(new FayApi(), {
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:1',
    });
    expect(nobody.status).toBe('Error');
  });
});
