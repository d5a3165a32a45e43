// waitForCompletion / research: statuses reported, final states, transient failures survived.
import { describe, expect, it } from 'vitest';
import {
  FayResearchFailedError,
  FayResearchStoppedError,
  FayServerError,
} from '../../src/core/index.ts';
import type { ConversationStatus, CreatedConversation } from '../../src/core/index.ts';
import { client, rejection, server } from './helpers.ts';

describe('research', () => {
  it('creates, reports the job and each status, and returns the output', async () => {
    const s = await server({ jobDurationMs: 150 });
    const events: string[] = [];
    let created: CreatedConversation | undefined;
    const statuses: ConversationStatus[] = [];
    const result = await client(s).research(
      { prompt: 'What is the tallest tree?' },
      {
        onCreated: (c) => {
          created = c;
          events.push('created');
        },
        onStatus: (st) => {
          statuses.push(st);
          events.push(st.status);
        },
      },
    );
    expect(events[0]).toBe('created');
    expect(events.at(-1)).toBe('COMPLETED');
    expect(statuses).toHaveLength(s.count('status'));
    expect(result).toMatchObject({
      requestId: created?.requestId,
      status: 'COMPLETED',
      conversationId: expect.any(String),
      completedAt: expect.any(String),
    });
    expect(result.output).toMatch(/# Research: What is the tallest tree\?/);
    expect(s.count('output')).toBe(1);
  });

  it('throws FayResearchFailedError with the job error message', async () => {
    const s = await server();
    const error = await rejection(client(s).research({ prompt: 'doomed [fay:fail]' }));
    expect(error).toBeInstanceOf(FayResearchFailedError);
    expect(error).toMatchObject({ code: 'RESEARCH_FAILED', requestId: expect.any(String) });
    expect((error as FayResearchFailedError).errorMessage).toMatch(/could not be retrieved/);
    // Fay's own message ends with a period; the sentence around it must not double it.
    expect(error.message).toMatch(/could not be retrieved\. Rephrase/);
    expect(s.count('output')).toBe(0);
  });

  it('throws FayResearchStoppedError when someone else stops the job', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const error = await rejection(
      c.research({ prompt: 'x' }, { onCreated: (job) => void c.stopConversation(job.requestId) }),
    );
    expect(error).toBeInstanceOf(FayResearchStoppedError);
    expect(error).toMatchObject({ code: 'RESEARCH_STOPPED' });
  });
});

describe('waitForCompletion', () => {
  it('asks once for a job that is already complete', async () => {
    const s = await server({ jobDurationMs: 10 });
    const c = client(s);
    const { requestId } = await c.createConversation({ prompt: 'x' });
    await c.research({ prompt: 'y' }); // lets the first job finish
    const done = await c.waitForCompletion(requestId);
    expect(done.status).toBe('COMPLETED');
    expect(s.count('status', { requestId })).toBe(1);
  });

  it('with justCreated, waits for the first delay instead of checking at once', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const { requestId } = await c.createConversation({ prompt: 'x' });
    const error = await rejection(
      c.waitForCompletion(requestId, { justCreated: true, maxWaitMs: 1 }),
    );
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT', lastStatus: null });
    expect(s.count('status', { requestId })).toBe(0);
  });

  it('survives polls that fail even after retries, up to three in a row', async () => {
    const s = await server({ jobDurationMs: 500 });
    const c = client(s, { maxRetries: 0 });
    const { requestId } = await c.createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'status', kind: 'http-500', times: 2 });
    await expect(c.waitForCompletion(requestId)).resolves.toMatchObject({ status: 'COMPLETED' });

    const other = await c.createConversation({ prompt: 'y [fay:never]' });
    s.injectFault({ endpoint: 'status', kind: 'http-500', times: 3 });
    await expect(c.waitForCompletion(other.requestId)).rejects.toBeInstanceOf(FayServerError);
  });
});
