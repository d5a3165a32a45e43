// Long answers in parts, end to end over stdio: the built server, the SDK client, the local Fay
// server's long answers ([fay:long=N], [fay:longline=N]). Every result stays under the limit,
// the parts join back to the exact answer, and reading them all costs Fay one status and one
// output call.
import { describe, expect, it } from 'vitest';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { DEFAULT_MAX_ANSWER_CHARS } from '../../src/mcp/config/index.ts';
import { splitMarkdown, weightOf } from '../../src/mcp/research/parts.ts';
import { FINDINGS_SCHEMA, longLine, longMarkdown } from '../support/fay-server/long-output.ts';
import { structuredOutput } from '../support/fay-server/output.ts';
import {
  LIMIT,
  expectWithinLimit,
  partsOf,
  readAllParts,
  untilCompleted,
} from '../support/long-answers.ts';
import { useLocalFay, type Session } from '../support/mcp.ts';

const local = useLocalFay();

async function call(session: Session, name: string, args: Record<string, unknown>) {
  return (await session.client.callTool({ name, arguments: args })) as CallToolResult;
}

async function started(
  prompt: string,
  extra: Record<string, unknown> = {},
  session: Session = local.session,
): Promise<string> {
  const result = await call(session, 'fay_start_research', { prompt, ...extra });
  const id = (result.structuredContent as { request_id: string }).request_id;
  await untilCompleted(local.fay, id);
  return id;
}

describe('a long Markdown answer', () => {
  it('fay_research returns part 1 with the outline; the parts join back exactly', async () => {
    const prompt = 'Heat pumps in Europe [fay:long=1600000] [fay:duration=300]';
    const first = await call(local.session, 'fay_research', { prompt });
    expectWithinLimit(first);
    const { part, parts, request_id: id } = partsOf(first);
    expect(part).toBe(1);
    expect(parts).toBeGreaterThanOrEqual(20);
    const note = (first.content[1] as { text: string }).text;
    expect(note).toContain(`part 1 of ${parts}`);
    expect(note).toContain('fay_get_research');
    expect(note).toContain(`"request_id": "${id}"`);
    expect(note).toContain('"part": 2');
    // The outline says where each part starts (too many headings to list them all).
    expect(note).toContain('Outline');
    for (let k = 1; k <= parts; k += 1) expect(note).toMatch(new RegExp(`Part ${k}: \\S`));
    const outputsBefore = local.fay.count('output', { requestId: id });
    const statusesBefore = local.fay.count('status', { requestId: id });
    const all = await readAllParts(local.session.client, id, parts, first);
    const answer = longMarkdown(prompt, 1_600_000);
    expect(all).toEqual(splitMarkdown(answer, DEFAULT_MAX_ANSWER_CHARS).parts);
    expect(all.join('')).toBe(answer);
    // Parts 2..n came from this process's copy of the answer.
    expect(local.fay.count('output', { requestId: id })).toBe(outputsBefore);
    expect(local.fay.count('status', { requestId: id })).toBe(statusesBefore);
  });

  it('reading all parts of a 20-part answer costs one status and one output call', async () => {
    const prompt = 'Twenty parts [fay:long=1400000] [fay:duration=50]';
    const id = await started(prompt);
    const first = await call(local.session, 'fay_get_research', { request_id: id });
    const { parts } = partsOf(first);
    expect(parts).toBeGreaterThanOrEqual(20);
    const all = await readAllParts(local.session.client, id, parts, first);
    expect(all.join('')).toBe(longMarkdown(prompt, 1_400_000));
    expect(local.fay.count('status', { requestId: id })).toBe(1);
    expect(local.fay.count('output', { requestId: id })).toBe(1);
  });

  it('parts asked for in parallel before any was read share one status and one output call', async () => {
    const id = await started('Parallel parts [fay:long=500000] [fay:duration=50]');
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((part) =>
        call(local.session, 'fay_get_research', { request_id: id, part }),
      ),
    );
    expect(results.map((result) => partsOf(result).part)).toEqual([1, 2, 3, 4, 5]);
    expect(local.fay.count('status', { requestId: id })).toBe(1);
    expect(local.fay.count('output', { requestId: id })).toBe(1);
  });

  it('a part past the last is an error naming how many parts there are', async () => {
    const id = await started('Past the end [fay:long=200000] [fay:duration=50]');
    const { parts } = partsOf(await call(local.session, 'fay_get_research', { request_id: id }));
    const past = await call(local.session, 'fay_get_research', { request_id: id, part: parts + 1 });
    expect(past.isError).toBe(true);
    expect((past.content[0] as { text: string }).text).toContain(`${parts} parts`);
    const zero = await call(local.session, 'fay_get_research', { request_id: id, part: 0 });
    expect(zero.isError).toBe(true);
    expect((zero.content[0] as { text: string }).text).toMatch(/part/);
  });

  it('one line longer than a part is cut within the line, and joins back exactly', async () => {
    const prompt = 'One line [fay:longline=300000] [fay:duration=50]';
    const id = await started(prompt);
    const first = await call(local.session, 'fay_get_research', { request_id: id });
    const all = await readAllParts(local.session.client, id, partsOf(first).parts, first);
    expect(all.join('')).toBe(longLine(prompt, 300_000));
  });
});

describe('a huge structured answer', () => {
  const schema = FINDINGS_SCHEMA;

  it('comes in parts of its JSON text that join and parse to the value', async () => {
    const prompt = 'EV market [fay:long=600000] [fay:duration=50]';
    const id = await started(prompt, { output_schema: schema });
    const first = await call(local.session, 'fay_get_research', { request_id: id });
    const all = await readAllParts(local.session.client, id, partsOf(first).parts, first);
    expect(JSON.parse(all.join(''))).toEqual(structuredOutput(prompt, schema, 600_000));
  });
});

describe('what stays as it was', () => {
  it('a short answer is one text block, exactly the answer, with no parts', async () => {
    const id = await started('Short one [fay:duration=50]');
    const result = await call(local.session, 'fay_get_research', { request_id: id });
    expect(result.content).toHaveLength(2);
    expect((result.content[0] as { text: string }).text).toMatch(/^# Research: Short one/);
    expect(result.structuredContent).not.toHaveProperty('parts');
    const again = await call(local.session, 'fay_get_research', { request_id: id, part: 1 });
    expect(again.content[0]).toEqual(result.content[0]);
    const past = await call(local.session, 'fay_get_research', { request_id: id, part: 2 });
    expect(past.isError).toBe(true);
    expect((past.content[0] as { text: string }).text).toContain('1 part');
  });

  it('the resource reads the whole answer', async () => {
    const prompt = 'Whole resource [fay:long=300000] [fay:duration=50]';
    const id = await started(prompt);
    const read = await local.session.client.readResource({ uri: `fay://research/${id}` });
    const state = JSON.parse((read.contents[0] as { text: string }).text) as { output: string };
    expect(state.output).toBe(longMarkdown(prompt, 300_000));
  });
});

describe('tasks/result', () => {
  it('returns part 1 of a long answer, within the limit', async () => {
    const { task } = await local.session.client.request(
      {
        method: 'tools/call',
        params: {
          name: 'fay_research',
          arguments: { prompt: 'Task report [fay:long=400000] [fay:duration=50]' },
        },
      },
      CreateTaskResultSchema,
      { task: { ttl: 60_000 } },
    );
    const result = await local.session.client.experimental.tasks.getTaskResult(
      task.taskId,
      CallToolResultSchema,
    );
    expectWithinLimit(result);
    expect(partsOf(result)).toMatchObject({ part: 1, request_id: task.taskId });
  });
});

describe('FAY_MAX_ANSWER_CHARS', () => {
  it('sets the part size', async () => {
    const session = await local.ownSession({ FAY_MAX_ANSWER_CHARS: '20000' });
    const prompt = 'Smaller parts [fay:long=200000] [fay:duration=50]';
    const id = await started(prompt, {}, session);
    const first = await call(session, 'fay_get_research', { request_id: id });
    const { parts } = partsOf(first);
    const all = await readAllParts(session.client, id, parts, first, 20_000 + LIMIT - 72_000);
    expect(all.join('')).toBe(longMarkdown(prompt, 200_000));
    for (const part of all) expect(weightOf(part)).toBeLessThanOrEqual(20_000);
  });
});
