// fay-mcp --http end to end: the built server as a process, the SDK's Client over Streamable HTTP,
// against the local Fay server, each client sending its own Fay key (bring your own key).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  callTool,
  connectHttp,
  post,
  startHttpServer,
  stateOf,
  textOf,
  type HttpServerProcess,
  type HttpSession,
} from '../support/mcp.ts';

const KEY = 'fay_http_key_Kq27vVn3';
let fay: FayServer;
let server: HttpServerProcess;
let session: HttpSession;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
  server = await startHttpServer({ FAY_BASE_URL: fay.url });
  session = await connectHttp(server.url, KEY);
});
afterAll(async () => {
  await session?.close();
  await server?.stop();
  await fay?.close();
});

describe('serving', () => {
  it('answers GET /healthz with status and version, without auth', async () => {
    const response = await fetch(new URL('/healthz', server.url));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('lists the four tools, fay_research with optional task support', async () => {
    const { tools } = await session.client.listTools();
    expect(tools.map((tool) => tool.name).sort()).toEqual([
      'fay_get_research',
      'fay_research',
      'fay_start_research',
      'fay_stop_research',
    ]);
    expect(tools.find((tool) => tool.name === 'fay_research')?.execution).toEqual({
      taskSupport: 'optional',
    });
  });

  it('keeps serving with stdin at /dev/null (HTTP mode ignores stdin)', async () => {
    // The harness starts the server with stdin ignored (/dev/null, at EOF at once).
    expect(server.child.exitCode).toBeNull();
    expect((await session.client.listTools()).tools).toHaveLength(4);
  });
});

describe('fay_research without a task', () => {
  it('streams progress on the response, then the answer', async () => {
    const progress: Progress[] = [];
    const result = CallToolResultSchema.parse(
      await session.client.callTool(
        { name: 'fay_research', arguments: { prompt: 'HTTP topic [fay:duration=2000]' } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      ),
    );
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('# Research: HTTP topic');
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]!.message).toMatch(
      /^Fay research PENDING, \d+ s elapsed \(request_id [0-9a-f-]{36}\)\.$/,
    );
  });

  it('hands the request_id back when the call window ends; the research keeps running', async () => {
    const windowed = await startHttpServer({ FAY_BASE_URL: fay.url, FAY_CALL_WINDOW_SECONDS: '1' });
    const client = await connectHttp(windowed.url, KEY);
    try {
      const result = await callTool(client, 'fay_research', {
        prompt: 'Slow HTTP topic [fay:duration=4000]',
      });
      expect(result.isError).toBeFalsy();
      const { request_id: id, status } = stateOf(result);
      expect(['PENDING', 'PROCESSING']).toContain(status);
      expect(textOf(result)).toContain(`Call fay_get_research with request_id "${id}"`);
      expect(fay.jobs.get(id)?.stoppedAtMs).toBeNull();
    } finally {
      await client.close();
      await windowed.stop();
    }
  });
});

describe('tasks and resources', () => {
  it('a task call gets a task at once, named by the request_id; tasks/result has the answer', async () => {
    const { task } = await session.client.request(
      {
        method: 'tools/call',
        params: {
          name: 'fay_research',
          arguments: { prompt: 'Task over HTTP [fay:duration=1500]' },
        },
      },
      CreateTaskResultSchema,
      { task: { ttl: 60_000 } },
    );
    expect(task.status).toBe('working');
    expect(fay.jobs.get(task.taskId)?.prompt).toBe('Task over HTTP [fay:duration=1500]');
    const result = await session.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expect(textOf(result)).toContain('# Research: Task over HTTP');
    expect((await session.client.experimental.tasks.getTask(task.taskId)).status).toBe('completed');
  });

  it('an idle response stream (tasks/result on a running task) gets SSE keep-alive comments', async () => {
    const { task } = await session.client.request(
      {
        method: 'tools/call',
        params: { name: 'fay_research', arguments: { prompt: 'Long task [fay:never]' } },
      },
      CreateTaskResultSchema,
      { task: {} },
    );
    const reading = new AbortController();
    const response = await post(
      server.url,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method: 'tasks/result',
        params: { taskId: task.taskId },
      }),
      { authorization: `Bearer ${KEY}` },
      reading.signal,
    );
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let stream = '';
    while (!stream.includes(': keepalive')) stream += (await reader.read()).value ?? '';
    reading.abort();
    await session.client.experimental.tasks.cancelTask(task.taskId);
  });

  it('reads fay://research/{request_id}', async () => {
    const started = stateOf(await callTool(session, 'fay_start_research', { prompt: 'Resource' }));
    const read = await session.client.readResource({ uri: `fay://research/${started.request_id}` });
    const content = read.contents[0]!;
    expect(JSON.parse('text' in content ? content.text : '')).toMatchObject({
      request_id: started.request_id,
    });
  });
});

describe('errors', () => {
  it('bad arguments and unknown ids are error results; nothing is created', async () => {
    const key = fay.openAccount();
    const own = await connectHttp(server.url, key);
    try {
      const bad = await callTool(own, 'fay_start_research', { prompt: '' });
      expect(bad.isError).toBe(true);
      expect(textOf(bad)).toMatch(/prompt/);
      const unknown = await callTool(own, 'fay_get_research', {
        request_id: '123e4567-e89b-12d3-a456-426614174000',
      });
      expect(unknown.isError).toBe(true);
      expect(fay.calls({ apiKey: key })).toMatchObject({ create: 0, status: 1 });
    } finally {
      await own.close();
    }
  });

  it('never shows the key: not in results, not on stderr; nothing on stdout', async () => {
    const results = [
      await callTool(session, 'fay_research', { prompt: 'Key check [fay:duration=500]' }),
      await callTool(session, 'fay_get_research', {
        request_id: '123e4567-e89b-12d3-a456-426614174000',
      }),
    ];
    expect(textOf(results[0]!)).toContain('# Research: Key check');
    expect(JSON.stringify(results) + server.stderr()).not.toContain(KEY);
    expect(server.stderr()).not.toContain('[stdout]');
  });

  it('a key Fay rejects gets advice about the Authorization header the client sends', async () => {
    const rejected = await connectHttp(server.url, 'fay_rejected_key_Wm40pQ');
    try {
      const result = await callTool(rejected, 'fay_start_research', { prompt: 'Anything' });
      expect(result.isError).toBe(true);
      expect(textOf(result)).toMatch(
        /^Fay rejected the API key your MCP client sent .*"Authorization: Bearer <key>"/,
      );
      expect(textOf(result)).not.toContain('FAY_API_KEY');
    } finally {
      await rejected.close();
    }
  });
});
