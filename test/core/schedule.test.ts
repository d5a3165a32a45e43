// The default schedule (pure) and the shared status budget, in virtual time: Date is
// faked and the injected sleep jumps the clock, so hour-long waits run against the real server
// in milliseconds.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultSleep, FayRateLimitError, pollDelayMs } from '../../src/core/index.ts';
import type { Sleep } from '../../src/core/index.ts';
import { HOUR_MS, StatusBudget } from '../../src/core/budget.ts';
import type { RecordedRequest } from '../support/fay-server.ts';
import { client, server, virtualTime } from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('pollDelayMs', () => {
  it('starts at 3 s, never shrinks, and is capped at 30 s', () => {
    expect(pollDelayMs(0)).toBe(3_000);
    let previous = 0;
    for (let t = 0; t <= 4 * HOUR_MS; t += 10_000) {
      const delay = pollDelayMs(t);
      expect(delay).toBeGreaterThanOrEqual(previous);
      expect(delay).toBeGreaterThanOrEqual(3_000);
      expect(delay).toBeLessThanOrEqual(30_000);
      previous = delay;
    }
    expect(pollDelayMs(HOUR_MS)).toBe(30_000);
    expect(pollDelayMs(-5)).toBe(3_000);
  });
});

describe('polling a real server in virtual time', () => {
  it.each([
    [30_000, 12],
    [120_000, 22],
    [600_000, 40],
    [1_800_000, 80],
  ])('a %i ms job takes at most %i status calls', async (durationMs, maxCalls) => {
    const clock = virtualTime();
    const s = await server({ now: () => Date.now() });
    const c = client(s, { sleep: clock.sleep });
    const [outcome] = await clock.run([
      () => c.research({ prompt: `job [fay:duration=${durationMs}]` }),
    ]);
    expect(outcome?.status).toBe('fulfilled');
    const polls = s.requests.filter((r) => r.endpoint === 'status');
    expect(polls.length).toBeLessThanOrEqual(maxCalls);
    const created = s.requests[0]?.at as number;
    const lag = (polls.at(-1)?.at as number) - (created + durationMs);
    expect(lag).toBeGreaterThanOrEqual(0);
    expect(lag).toBeLessThanOrEqual(pollDelayMs(durationMs));
  });
});

describe('status budget', () => {
  it('fails a one-shot getStatus at once when spent, while a wait queues for it', async () => {
    const clock = virtualTime();
    const s = await server({ now: () => Date.now() });
    const delays: number[] = [];
    const sleep: Sleep = (ms, signal) => {
      delays.push(ms);
      return clock.sleep(ms, signal);
    };
    // maxRetryAfterMs above the wait: even so, the budget error must not be retried.
    const c = client(s, { sleep, statusCallsPerHour: 2, maxRetryAfterMs: HOUR_MS });
    const { requestId } = await c.createConversation({ prompt: 'x [fay:duration=1800000]' });
    const start = Date.now();
    await c.getStatus(requestId);
    vi.setSystemTime(start + 10 * 60_000);
    await c.getStatus(requestId);
    vi.setSystemTime(start + 20 * 60_000);

    const [spent] = await clock.run([() => c.getStatus(requestId)]);
    expect(spent?.status).toBe('rejected');
    const error = (spent as PromiseRejectedResult).reason as FayRateLimitError;
    expect(error).toBeInstanceOf(FayRateLimitError);
    // The oldest call leaves the hour 40 minutes from now.
    expect(error).toMatchObject({
      code: 'STATUS_BUDGET_EXHAUSTED',
      retryAfterMs: 40 * 60_000,
      requestId,
    });
    expect(error.message).toMatch(/statusCallsPerHour: 2\).*not sent.*2400 s/);
    expect(delays).toEqual([]);
    expect(s.count('status')).toBe(2);

    const [waited] = await clock.run([() => c.waitForCompletion(requestId)]);
    expect(waited).toMatchObject({ status: 'fulfilled', value: { status: 'COMPLETED' } });
    expect(delays).toEqual([40 * 60_000]);
    expect(s.requests.at(-1)).toMatchObject({ endpoint: 'status', at: start + HOUR_MS });
  });

  it('a 429 while polling pauses the wait for Retry-After instead of failing it', async () => {
    const clock = virtualTime();
    const s = await server({
      now: () => Date.now(),
      rateLimits: { status: 3 },
      rateLimitWindowMs: 60_000,
    });
    // maxRetries 0: the request path gives the 429 straight to the waiter.
    const c = client(s, { sleep: clock.sleep, maxRetries: 0 });
    const [outcome] = await clock.run([() => c.research({ prompt: 'x [fay:duration=120000]' })]);
    expect(outcome?.status).toBe('fulfilled');
    const limited = s.requests.filter((r) => r.statusCode === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const r of limited) {
      const next = s.requests[s.requests.indexOf(r) + 1] as RecordedRequest;
      expect(next.at - r.at).toBeGreaterThanOrEqual(1_000);
    }
  });

  it('makes a caller wait (fake timers) until the oldest call leaves the hour', async () => {
    vi.useFakeTimers();
    const budget = new StatusBudget(2, defaultSleep);
    await budget.take();
    vi.advanceTimersByTime(10 * 60_000);
    await budget.take();
    let third = false;
    const pending = budget.take().then(() => (third = true));
    await vi.advanceTimersByTimeAsync(50 * 60_000 - 1);
    expect(third).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await pending;
    expect(third).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});
