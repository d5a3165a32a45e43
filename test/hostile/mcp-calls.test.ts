// Faults met during tool calls, in process and in virtual time: the server built by createServer,
// the SDK's Client, the local Fay server hanging or limiting. Each test stands alone; `ms` is
// virtual time, so "answered before the core's attempt timeout" is exact, not a race.
import { describe, expect, it } from 'vitest';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import type { FayServerOptions } from '../support/fay-server.ts';
import {
  API_KEY,
  callTool,
  inProcessSession,
  localFay,
  settle,
  textOf,
  useVirtualTime,
  type Session,
} from '../support/mcp.ts';

useVirtualTime();

const DAY_MS = 86_400_000;
/** The core's per-attempt timeout: a tool that answers before it was not held by Fay's hang. */
const CORE_ATTEMPT_TIMEOUT_MS = 30_000;
const HANG = { kind: 'slow', delayMs: 600_000, times: Infinity } as const;

/** A local Fay server for this test, with short jobs. */
function fay(options: FayServerOptions = {}) {
  return localFay({ jobDurationMs: 100, ...options });
}

/** A session on `server` with the test key and `extra` settings. */
function session(server: Awaited<ReturnType<typeof fay>>, extra: Record<string, string> = {}) {
  return inProcessSession(server, { FAY_API_KEY: API_KEY, ...extra });
}

/** A tool call and how long (virtual time) it took to answer. */
async function call(s: Session, name: string, args: Record<string, unknown>) {
  const started = Date.now();
  const result = await settle(callTool(s, name, args));
  return { result, ms: Date.now() - started };
}

describe('a Retry-After of days', () => {
  it('fay_research answers at once with the full date, after one status call', async () => {
    const server = await fay({ jobDurationMs: 60_000 });
    server.injectFault({
      endpoint: 'status',
      kind: 'rate-limit',
      delayMs: 30 * DAY_MS,
      times: Infinity,
    });
    const s = await session(server);
    const { result } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(
      /^Fay's rate limit was reached\. Retry after \d{4}-\d\d-\d\d \d\d:\d\d UTC\./,
    );
    const retryAt = Date.parse(`${/after (.+) UTC/.exec(textOf(result))?.[1]}Z`);
    expect(retryAt - Date.now()).toBeGreaterThan(29 * DAY_MS);
    expect(textOf(result)).toContain(`Research ${requestId} keeps running`);
    expect(server.calls({ requestId: requestId! }).status).toBe(1);
  });
});

describe('the call window holds whatever Fay does', () => {
  const WINDOW = { FAY_CALL_WINDOW_SECONDS: '5' };

  it('fay_research whose output never comes: says Fay is not answering, with the request_id', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'output', ...HANG });
    const s = await session(server, WINDOW);
    const { result, ms } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(`request_id "${requestId}"`);
    expect(server.calls({ requestId: requestId! }).output).toBe(1);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('fay_research whose status checks never come back: hands back the request_id', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'status', ...HANG });
    const s = await session(server, WINDOW);
    const { result, ms } = await call(s, 'fay_research', { prompt: 'x' });
    const [requestId] = [...server.jobs.keys()];
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toMatchObject({ request_id: requestId });
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(`request_id "${requestId}"`);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  /** A session with one (long) research started, after which `endpoint` hangs for good. */
  async function startedThenHanging(endpoint: 'status' | 'stop') {
    const server = await fay({ jobDurationMs: 60_000 });
    const s = await session(server, WINDOW);
    const started = await call(s, 'fay_start_research', { prompt: 'x' });
    const requestId = (started.result.structuredContent as { request_id: string }).request_id;
    server.injectFault({ endpoint, ...HANG });
    return { s, requestId };
  }

  it.each([
    ['fay_get_research', 'status'],
    ['fay_stop_research', 'stop'],
  ] as const)('%s against a %s endpoint that never answers', async (tool, endpoint) => {
    const { s, requestId } = await startedThenHanging(endpoint);
    const { result, ms } = await call(s, tool, { request_id: requestId });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering/);
    expect(textOf(result)).toContain(requestId);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('fay_start_research against a create that never answers', async () => {
    const server = await fay();
    server.injectFault({ endpoint: 'create', ...HANG });
    const s = await session(server, WINDOW);
    const { result, ms } = await call(s, 'fay_start_research', { prompt: 'x' });
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/^Fay is not answering.*may or may not have been created/);
    expect(server.calls({ apiKey: API_KEY }).create).toBe(1);
    expect(ms).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });

  it('a resource read against a status endpoint that never answers', async () => {
    const { s, requestId } = await startedThenHanging('status');
    const began = Date.now();
    const error = await settle(s.client.readResource({ uri: `fay://research/${requestId}` })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(McpError);
    expect((error as McpError).message).toMatch(/Fay is not answering.*request_id/);
    expect(Date.now() - began).toBeLessThan(CORE_ATTEMPT_TIMEOUT_MS);
  });
});
