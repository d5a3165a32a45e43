// fay_research end to end, in process and in virtual time: the server built by createServer, the
// SDK's Client, the local Fay server.
import { describe, expect, it } from 'vitest';
import type { CallToolResult, Progress } from '@modelcontextprotocol/sdk/types.js';
import {
  answerOf,
  callTool,
  inProcessSession,
  localFay,
  pollUntilFinal,
  settle,
  stateOf,
  textOf,
  useVirtualTime,
} from '../support/mcp.ts';

useVirtualTime();

/** A session of its own on a local Fay server of its own. */
async function setUp(env: Record<string, string> = {}) {
  const fay = await localFay();
  return { fay, session: await inProcessSession(fay, env) };
}

describe('tools/list', () => {
  it('lists the four tools with truthful annotations, schemas and task support', async () => {
    const { session } = await setUp();
    const { tools } = await session.client.listTools();
    const byName = Object.fromEntries(tools.map((tool) => [tool.name, tool]));
    expect(Object.keys(byName).sort()).toEqual([
      'fay_get_research',
      'fay_research',
      'fay_start_research',
      'fay_stop_research',
    ]);
    for (const tool of tools) {
      expect(tool.annotations?.openWorldHint).toBe(true);
      expect(tool.description?.length).toBeGreaterThan(100);
      expect(tool.outputSchema?.properties).toHaveProperty('request_id');
    }
    expect(byName.fay_get_research?.annotations).toMatchObject({
      readOnlyHint: true,
      idempotentHint: true,
    });
    expect(byName.fay_stop_research?.annotations).toMatchObject({ destructiveHint: true });
    expect(byName.fay_research?.annotations).toMatchObject({
      readOnlyHint: false,
      destructiveHint: false,
    });
    expect(byName.fay_research?.execution?.taskSupport).toBe('optional');
    expect(byName.fay_research?.inputSchema).toMatchObject({
      properties: {
        prompt: { type: 'string', pattern: '\\S', maxLength: 100_000 },
        output_schema: { anyOf: [{ type: 'object' }, { type: 'string' }] },
      },
      required: ['prompt'],
    });
    expect(byName.fay_get_research?.inputSchema).toMatchObject({
      properties: { request_id: { type: 'string', format: 'uuid' } },
      required: ['request_id'],
    });
  });
});

describe('fay_research', () => {
  it('waits for the answer, with progress (status and elapsed time) on a heartbeat', async () => {
    const { session } = await setUp();
    const progress: Progress[] = [];
    const result = (await settle(
      session.client.callTool(
        { name: 'fay_research', arguments: { prompt: 'Ocean heat records [fay:duration=7000]' } },
        undefined,
        { onprogress: (p) => progress.push(p) },
      ),
    )) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toContain('# Research: Ocean heat records');
    expect(stateOf(result)).toMatchObject({ status: 'COMPLETED' });

    for (const p of progress) {
      expect(p.message).toMatch(/^Fay research (PENDING|PROCESSING|COMPLETED), \d+ s elapsed/);
    }
    const values = progress.map((p) => p.progress);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(new Set(values).size).toBe(values.length);
    // Between two status polls (3 s apart at first) the 5 s heartbeat repeats the last status.
    const statuses = progress.map((p) => /research (\w+)/.exec(p.message ?? '')?.[1]);
    expect(statuses.some((status, i) => i > 0 && status === statuses[i - 1])).toBe(true);
    expect(statuses.at(-1)).toBe('COMPLETED');
  });

  it('answers structured output as JSON text, once', async () => {
    const schema = {
      type: 'object',
      properties: { city: { type: 'string' }, population: { type: 'number' } },
      required: ['city', 'population'],
    };
    const { session } = await setUp();
    const result = await settle(
      callTool(session, 'fay_research', { prompt: 'Largest city in Peru', output_schema: schema }),
    );
    expect(result.isError).toBeFalsy();
    const output = JSON.parse(answerOf(result)) as Record<string, unknown>;
    expect(typeof output.city).toBe('string');
    expect(typeof output.population).toBe('number');
    expect(JSON.stringify(result).split(String(output.city)).length - 1).toBe(1);
  });

  it('the answer reaches the model once, however a client folds text and structuredContent', async () => {
    const { session } = await setUp();
    const result = await settle(
      callTool(session, 'fay_research', { prompt: 'Glacier retreat [fay:duration=1000]' }),
    );
    expect(result.isError).toBeFalsy();
    const heading = '# Research: Glacier retreat';
    expect(answerOf(result)).toContain(heading);
    const folds = {
      // Clients that read only content (most chat hosts).
      contentOnly: textOf(result),
      // Adapters that append structuredContent to the text.
      contentAndStructured: `${textOf(result)}\n${JSON.stringify(result.structuredContent)}`,
      // Clients that hand the model the whole result as JSON.
      wholeResult: JSON.stringify(result),
    };
    for (const folded of Object.values(folds)) {
      expect(folded.split(heading).length - 1).toBe(1);
    }
    // The facts: structuredContent (checked by the client against outputSchema), and the same
    // as JSON text for clients that read only content.
    expect(stateOf(result)).toMatchObject({ status: 'COMPLETED', request_id: expect.any(String) });
    expect(result.content[1]).toEqual({
      type: 'text',
      text: JSON.stringify(result.structuredContent),
    });
  });

  it('reports a failed job as an error result carrying the job message', async () => {
    const { session } = await setUp();
    const result = await settle(
      callTool(session, 'fay_research', { prompt: 'Doomed question [fay:fail]' }),
    );
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/failed on Fay's side: .+\. Rephrase the prompt/);
  });
});

describe('call window', () => {
  it('hands the request_id back (not an error) and fay_get_research later has the answer', async () => {
    const { fay, session } = await setUp({ FAY_CALL_WINDOW_SECONDS: '1' });
    const result = await settle(
      callTool(session, 'fay_research', { prompt: 'Slow topic [fay:duration=3000]' }),
    );
    expect(result.isError).toBeFalsy();
    const state = stateOf(result);
    expect(['PENDING', 'PROCESSING']).toContain(state.status);
    expect(state.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(textOf(result)).toContain(`Call fay_get_research with request_id "${state.request_id}"`);

    const done = await settle(pollUntilFinal(session.client, state.request_id));
    expect(stateOf(done)).toMatchObject({ request_id: state.request_id, status: 'COMPLETED' });
    expect(textOf(done)).toContain('# Research: Slow topic');
    expect(fay.calls({ requestId: state.request_id }).stop).toBe(0);
  });
});

describe('a cancelled call', () => {
  it('leaves the Fay job running, its result still available', async () => {
    const { fay, session } = await setUp();
    const controller = new AbortController();
    const call = session.client.callTool(
      { name: 'fay_research', arguments: { prompt: 'Cancelled wait [fay:duration=3000]' } },
      undefined,
      { signal: controller.signal, onprogress: () => controller.abort('user gave up') },
    );
    await expect(settle(call)).rejects.toThrow();
    const job = [...fay.jobs.values()].find((j) => j.prompt.startsWith('Cancelled wait'));
    expect(job).toBeDefined();

    const done = await settle(pollUntilFinal(session.client, job!.requestId));
    expect(stateOf(done).status).toBe('COMPLETED');
    expect(job!.stoppedAtMs).toBeNull();
    expect(fay.calls({ requestId: job!.requestId }).stop).toBe(0);
  });
});
