// Load: 100 clients at once, each connecting and running fay_start_research then fay_get_research
// against one fay-mcp --http process. All must be answered, none failed.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  callTool,
  connectHttp,
  startHttpServer,
  stateOf,
  type HttpServerProcess,
} from '../support/mcp.ts';

const KEY = 'fay_load_key_Wd93kPa5';
const CLIENTS = 100;
let fay: FayServer;
let server: HttpServerProcess;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  server = await startHttpServer({ FAY_BASE_URL: fay.url });
});
afterAll(async () => {
  await server?.stop();
  await fay?.close();
});

it(`${CLIENTS} concurrent clients each start and get a research: all answered`, async () => {
  const outcomes = await Promise.allSettled(
    Array.from({ length: CLIENTS }, async (_, index) => {
      const session = await connectHttp(server.url, KEY);
      try {
        const started = await callTool(session, 'fay_start_research', { prompt: `Load ${index}` });
        expect(started.isError).toBeFalsy();
        const { request_id: id } = stateOf(started);
        const got = await callTool(session, 'fay_get_research', { request_id: id });
        expect(got.isError).toBeFalsy();
        expect(stateOf(got).request_id).toBe(id);
      } finally {
        await session.close();
      }
    }),
  );
  const failed = outcomes.filter((outcome) => outcome.status === 'rejected');
  expect(failed).toEqual([]);
  expect(fay.calls({ apiKey: KEY })).toMatchObject({ create: CLIENTS, status: CLIENTS });
});
