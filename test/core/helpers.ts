// Shared test helpers for the core client: a local Fay server per test, clients wired to it,
// sleeps that keep tests fast (the injected Sleep is the supported way to do that), and a
// virtual clock for schedule/budget tests.
import { onTestFinished, vi } from 'vitest';
import { defaultSleep, FayClient } from '../../src/core/index.ts';
import type { FayClientOptions, Sleep } from '../../src/core/index.ts';
import { startFayServer } from '../support/fay-server.ts';
import type { FayServer, FayServerOptions } from '../support/fay-server.ts';

export const KEY = 'fay_test_key';
export const UNKNOWN_ID = '123e4567-e89b-42d3-a456-426614174000';

/**
 * A local Fay server closed when the test ends (registered by this call: importing this file
 * registers no hook).
 */
export async function server(options: FayServerOptions = {}): Promise<FayServer> {
  const s = await startFayServer({ jobDurationMs: 100, ...options });
  onTestFinished(() => s.close());
  return s;
}

/** Real timers, 100× faster: a 3 s poll takes 30 ms. */
export const fastSleep: Sleep = (ms, signal) => defaultSleep(ms / 100, signal);

/** A fast sleep that also records every requested delay. */
export function recordingSleep(): Sleep & { delays: number[] } {
  const delays: number[] = [];
  const sleep = (ms: number, signal?: AbortSignal) => {
    delays.push(ms);
    return fastSleep(ms, signal);
  };
  return Object.assign(sleep, { delays });
}

export function client(s: FayServer, options: Partial<FayClientOptions> = {}): FayClient {
  return new FayClient({ apiKey: KEY, baseUrl: s.url, sleep: fastSleep, ...options });
}

/** Resolves with the error a promise rejects with (fails the test if it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the promise to reject');
}

/**
 * Virtual time for several concurrent tasks: Date is faked, and the injected sleep only returns
 * when every running task is asleep; the clock then jumps to the earliest wake-up. So hours of
 * polling run in milliseconds, with real HTTP in between.
 */
export function virtualTime(startMs = Date.UTC(2025, 0, 1)) {
  vi.useFakeTimers({ toFake: ['Date'], now: startMs });
  interface Sleeper {
    at: number;
    resolve: () => void;
  }
  const sleepers: Sleeper[] = [];
  let running = 0;
  let scheduled = false;

  const advance = () => {
    if (scheduled || running === 0 || sleepers.length < running) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (sleepers.length < running || sleepers.length === 0) return;
      sleepers.sort((a, b) => a.at - b.at);
      const next = sleepers.shift() as Sleeper;
      if (next.at > Date.now()) vi.setSystemTime(next.at);
      next.resolve();
    });
  };

  const sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      signal?.throwIfAborted();
      const sleeper: Sleeper = { at: Date.now() + ms, resolve };
      sleepers.push(sleeper);
      signal?.addEventListener(
        'abort',
        () => {
          sleepers.splice(sleepers.indexOf(sleeper), 1);
          reject(signal.reason);
        },
        { once: true },
      );
      advance();
    });

  /** Runs tasks concurrently in virtual time. */
  async function run<T>(tasks: Array<() => Promise<T>>): Promise<PromiseSettledResult<T>[]> {
    running += tasks.length;
    return Promise.allSettled(
      tasks.map(async (task) => {
        try {
          return await task();
        } finally {
          running -= 1;
          advance();
        }
      }),
    );
  }

  return { sleep, run, restore: () => vi.useRealTimers() };
}
