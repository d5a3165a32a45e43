// The caller's signal aborts at once — before sending, mid-request, during retry
// sleeps, poll sleeps and budget waits — leaving no listeners or timers; stopping the remote job
// is an option.
import { getEventListeners } from 'node:events';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import {
  defaultSleep,
  FayAbortedError,
  FayStopNotConfirmedError,
  FayWaitTimeoutError,
} from '../../src/core/index.ts';
import type { Sleep } from '../../src/core/index.ts';
import { settle } from '../support/mcp.ts';
import { client, rejection, server, UNKNOWN_ID } from './helpers.ts';

const pendingTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;

/** A real (long) sleep that aborts `controller` once it is under way. */
function abortingSleep(controller: AbortController): Sleep & { calls: number } {
  const sleep = (ms: number, signal?: AbortSignal) => {
    sleep.calls += 1;
    const waiting = defaultSleep(ms * 1000, signal);
    setImmediate(() => controller.abort());
    return waiting;
  };
  sleep.calls = 0;
  return sleep;
}

function expectClean(signal: AbortSignal, timersBefore: number) {
  expect(getEventListeners(signal, 'abort')).toHaveLength(0);
  expect(pendingTimers()).toBeLessThanOrEqual(timersBefore);
}

describe('abort', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const s = await server();
    const error = await rejection(
      client(s).research({ prompt: 'x' }, { signal: AbortSignal.abort() }),
    );
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(error).toMatchObject({ code: 'ABORTED' });
    expect(s.requests).toHaveLength(0);
  });

  it('aborts a request in flight at once', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'slow', delayMs: 60_000 });
    const controller = new AbortController();
    const timers = pendingTimers();
    const call = client(s).getStatus(UNKNOWN_ID, { signal: controller.signal });
    await vi.waitFor(() => expect(s.count('status')).toBe(1));
    controller.abort();
    const error = await rejection(call);
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(error.message).toMatch(/status call was cancelled/);
    await vi.waitFor(() => expect(s.requests[0]?.statusCode).toBe('dropped'));
    expectClean(controller.signal, timers);
  });

  it('aborts during a retry sleep', async () => {
    const s = await server();
    s.injectFault({ endpoint: 'status', kind: 'http-500', times: Infinity });
    const controller = new AbortController();
    const sleep = abortingSleep(controller);
    const timers = pendingTimers();
    const error = await rejection(
      client(s, { sleep }).getStatus(UNKNOWN_ID, { signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(sleep.calls).toBe(1);
    expect(s.count('status')).toBe(1);
    expectClean(controller.signal, timers);
  });

  it('aborts during a poll sleep, leaving the job running by default', async () => {
    const s = await server();
    const controller = new AbortController();
    const sleep = abortingSleep(controller);
    const timers = pendingTimers();
    let requestId = '';
    const error = await rejection(
      client(s, { sleep }).research(
        { prompt: 'never [fay:never]' },
        { signal: controller.signal, onCreated: (c) => (requestId = c.requestId) },
      ),
    );
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(error).toMatchObject({ requestId, jobStop: 'left-running' });
    expect(error.message).toMatch(/keeps running/);
    expect(s.count('stop')).toBe(0);
    expect(s.jobState(requestId)).not.toBe('STOPPED');
    expectClean(controller.signal, timers);
  });

  it('stops the remote job on cancel when stopOnCancel is set, and says it did', async () => {
    const s = await server();
    const controller = new AbortController();
    let requestId = '';
    const error = await rejection(
      client(s).research(
        { prompt: 'never [fay:never]' },
        {
          signal: controller.signal,
          stopOnCancel: true,
          onStatus: (st) => {
            requestId = st.requestId;
            controller.abort();
          },
        },
      ),
    );
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(error).toMatchObject({ jobStop: 'stopped' });
    expect(error.message).toMatch(/the job was stopped\.$/);
    expect(s.count('stop')).toBe(1);
    expect(s.jobState(requestId)).toBe('STOPPED');
  });

  it('with stopOnCancel, a stop Fay never confirms is given up after STOP_CONFIRM_TIMEOUT_MS and said so', async () => {
    // On virtual time, over the server's in-process transport (no socket for the clock to outrun):
    // the 10 s bound and Fay's silence pass without a real wait.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    onTestFinished(() => void vi.useRealTimers());
    const s = await server();
    s.injectFault({ endpoint: 'stop', kind: 'slow', delayMs: 600_000, times: Infinity });
    const controller = new AbortController();
    const error = await settle(
      rejection(
        client(s, { transport: s.transport }).research(
          { prompt: 'never [fay:never]' },
          { signal: controller.signal, stopOnCancel: true, onStatus: () => controller.abort() },
        ),
      ),
    );
    expect(error).toBeInstanceOf(FayAbortedError);
    expect(error).toMatchObject({ jobStop: 'not-confirmed' });
    expect(error.message).toMatch(
      /Fay did not confirm within 10 s that .+ stopped, so it may still be running\.$/,
    );
    expect(s.count('stop')).toBe(1);
  });

  it('with stopOnCancel, a job that finished meanwhile is reported as already finished', async () => {
    const s = await server();
    const controller = new AbortController();
    // The first poll sleep outlasts the 10 ms job, then the caller cancels.
    const sleep: Sleep = async (_ms, signal) => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      controller.abort();
      signal?.throwIfAborted();
    };
    const error = await rejection(
      client(s, { sleep }).research(
        { prompt: 'quick [fay:duration=10]' },
        { signal: controller.signal, stopOnCancel: true },
      ),
    );
    expect(error).toMatchObject({ jobStop: 'already-finished' });
    expect(error.message).toMatch(/the job had already finished\.$/);
    expect(s.count('stop')).toBe(1);
  });

  it('stopConversation with confirmWithinMs gives up with FayStopNotConfirmedError', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s);
    const { requestId } = await c.createConversation({ prompt: 'x' });
    s.injectFault({ endpoint: 'stop', kind: 'slow', delayMs: 600_000, times: Infinity });
    const error = await rejection(c.stopConversation(requestId, { confirmWithinMs: 200 }));
    expect(error).toBeInstanceOf(FayStopNotConfirmedError);
    expect(error).toMatchObject({ code: 'STOP_NOT_CONFIRMED', requestId, waitedMs: 200 });
    expect(s.count('stop')).toBe(1);
  });

  it('aborts while waiting for a status-budget slot', async () => {
    const s = await server({ jobDurationMs: 60_000 });
    const c = client(s, { statusCallsPerHour: 1, sleep: defaultSleep });
    const { requestId } = await c.createConversation({ prompt: 'x' });
    await c.getStatus(requestId); // spends the budget for an hour
    const controller = new AbortController();
    const timers = pendingTimers();
    const waiting = c.waitForCompletion(requestId, { signal: controller.signal });
    setImmediate(() => controller.abort());
    await expect(waiting).rejects.toBeInstanceOf(FayAbortedError);
    expect(s.count('status')).toBe(1);
    expectClean(controller.signal, timers);
  });

  it('leaves no listener or timer behind after calls that succeed', async () => {
    const s = await server();
    const controller = new AbortController();
    const timers = pendingTimers();
    await client(s).research(
      { prompt: 'quick [fay:duration=10]' },
      { signal: controller.signal, maxWaitMs: 60_000 },
    );
    expectClean(controller.signal, timers);
  });
});

describe('maxWaitMs', () => {
  it('throws FayWaitTimeoutError with the last status, leaving the job running', async () => {
    const s = await server();
    let requestId = '';
    const error = await rejection(
      client(s).research(
        { prompt: 'never [fay:never]' },
        { maxWaitMs: 300, onCreated: (c) => (requestId = c.requestId) },
      ),
    );
    expect(error).toBeInstanceOf(FayWaitTimeoutError);
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT', requestId, lastStatus: 'PROCESSING' });
    expect(error.message).toMatch(/may still be running/);
    expect(s.count('stop')).toBe(0);
  });

  it('says so when the wait runs out before the first status check', async () => {
    const s = await server();
    const error = await rejection(client(s).research({ prompt: 'x' }, { maxWaitMs: 1 }));
    expect(error).toMatchObject({ code: 'WAIT_TIMEOUT', lastStatus: null });
    expect(error.message).toMatch(/\(no status checked yet\)\. It may still be running/);
    expect(s.count('status')).toBe(0);
  });

  it('never stops the job when it runs out, even with stopOnCancel', async () => {
    const s = await server();
    let requestId = '';
    const error = await rejection(
      client(s).research(
        { prompt: 'never [fay:never]' },
        { maxWaitMs: 300, stopOnCancel: true, onCreated: (c) => (requestId = c.requestId) },
      ),
    );
    expect(error).toBeInstanceOf(FayWaitTimeoutError);
    expect(s.count('stop')).toBe(0);
    expect(s.jobState(requestId)).toBe('PROCESSING');
  });
});
