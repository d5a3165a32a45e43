// The status budget spends its room first: concurrent waits against the real server in virtual
// time (Date is faked and the injected sleep jumps the clock), and the pacing rule on its own.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HOUR_MS, SPENT_FIRST_SHARES, StatusBudget } from '../../src/core/budget.ts';
import type { RecordedRequest } from '../support/fay-server.ts';
import { busiestHour } from '../support/sliding-hour.ts';
import { client, server, virtualTime } from './helpers.ts';

afterEach(() => {
  vi.useRealTimers();
});

/** The most status requests seen in any sliding hour. */
function busiestStatusHour(requests: RecordedRequest[]): number {
  return busiestHour(requests.filter((r) => r.endpoint === 'status').map((r) => r.at));
}

/** Runs `jobs` concurrent researches of `durationMs`; returns each job's lag and the requests. */
async function concurrentResearches(jobs: number, durationMs: number, perHour?: number) {
  const clock = virtualTime();
  const s = await server({ now: () => Date.now() });
  const c = client(s, { sleep: clock.sleep, statusCallsPerHour: perHour });
  const outcomes = await clock.run(
    Array.from(
      { length: jobs },
      (_, i) => () => c.research({ prompt: `job ${i} [fay:duration=${durationMs}]` }),
    ),
  );
  expect(outcomes.map((o) => o.status)).toEqual(Array(jobs).fill('fulfilled'));
  const lags = s.requests
    .filter((r) => r.endpoint === 'create')
    .map((created) => {
      const polls = s.requests.filter(
        (r) => r.endpoint === 'status' && r.requestId === created.requestId,
      );
      return (polls.at(-1)?.at as number) - (created.at + durationMs);
    });
  return { lags, requests: s.requests, statusCalls: s.count('status') };
}

describe('a status budget that spends its room first', () => {
  it('20/h, three concurrent 15 s jobs: all found within 30 s, at most 20 status calls', async () => {
    const { lags, statusCalls } = await concurrentResearches(3, 15_000, 20);
    for (const lag of lags) {
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(15_000 + lag).toBeLessThanOrEqual(30_000);
    }
    expect(statusCalls).toBeLessThanOrEqual(20);
  });

  it('100/h, ten concurrent 10-minute jobs: no sliding hour over 100, each found within 15 min of its end', async () => {
    const { lags, requests } = await concurrentResearches(10, 600_000, 100);
    expect(busiestStatusHour(requests)).toBeLessThanOrEqual(100);
    for (const lag of lags) {
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(lag).toBeLessThanOrEqual(15 * 60_000);
    }
  });

  it.each([
    [3, 600_000],
    [5, 1_800_000],
  ])(
    '100/h, %i concurrent waits of %i ms jobs: found within two of today’s even-share spacings, never over',
    async (jobs, durationMs) => {
      const { lags, requests } = await concurrentResearches(jobs, durationMs, 100);
      const evenShareMs = (jobs * HOUR_MS) / 100;
      for (const lag of lags) {
        expect(lag).toBeGreaterThanOrEqual(0);
        expect(lag).toBeLessThanOrEqual(2 * evenShareMs);
      }
      expect(busiestStatusHour(requests)).toBeLessThanOrEqual(100);
    },
  );

  it('a single wait with a budget far from spent polls exactly as without a budget', async () => {
    const offsets = async (perHour?: number) => {
      const { requests } = await concurrentResearches(1, 600_000, perHour);
      const created = requests[0]?.at as number;
      return requests.filter((r) => r.endpoint === 'status').map((r) => r.at - created);
    };
    const unbudgeted = await offsets();
    vi.useRealTimers();
    const budgeted = await offsets(1_000);
    expect(unbudgeted.length).toBeGreaterThan(10);
    expect(budgeted).toEqual(unbudgeted);
  });
});

describe('StatusBudget.pollSpacingMs', () => {
  it('is 0 while the room exceeds the waits’ reserve, then spreads the room left until it renews', async () => {
    let now = 0;
    const budget = new StatusBudget(
      20,
      async () => {},
      () => now,
    );
    budget.enterWait();
    budget.enterWait();
    // Two waits hold back 20 × 2 / (2 + SPENT_FIRST_SHARES) = 4 calls.
    const reserve = (20 * 2) / (2 + SPENT_FIRST_SHARES);
    expect(reserve).toBe(4);
    const spend = (n: number) => {
      for (let i = 0; i < n; i += 1) expect(budget.tryTake()).toBe(0);
    };
    spend(15);
    expect(budget.pollSpacingMs()).toBe(0);
    spend(1); // room 4: only the reserve is left
    now = 60_000;
    // Two waits share 4 calls until the first call leaves the hour, 59 minutes from now.
    expect(budget.pollSpacingMs()).toBe((2 * (HOUR_MS - 60_000)) / 4);
    spend(4);
    expect(budget.pollSpacingMs()).toBe(HOUR_MS - 60_000);
    now = HOUR_MS;
    // The first calls left the window: room again.
    expect(budget.pollSpacingMs()).toBe(0);
  });

  it('counts only the waits still running', () => {
    const now = 0;
    const budget = new StatusBudget(
      10,
      async () => {},
      () => now,
    );
    const leave = [budget.enterWait(), budget.enterWait(), budget.enterWait()];
    // Three waits hold back 10 × 3 / 11 ≈ 2.7 calls: with 7 spent, room 3 is above it.
    for (let i = 0; i < 7; i += 1) budget.tryTake();
    expect(budget.pollSpacingMs()).toBe(0);
    budget.tryTake(); // room 2: pacing
    expect(budget.pollSpacingMs()).toBeGreaterThan(0);
    for (const done of leave.slice(1)) done();
    // One wait holds back 10 / 9 ≈ 1.1: room 2 is enough again.
    expect(budget.pollSpacingMs()).toBe(0);
  });
});
