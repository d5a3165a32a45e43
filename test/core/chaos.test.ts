// The chaos run: 300 concurrent researches while a fifth of the answers on the status, output and
// stop paths are faulty (5xx, HTML, drops before and after processing, bad JSON, slow, 429) and
// some creates are rate-limited. All must complete with the right output, with exactly one job
// per research and no unhandled rejection. (A create whose answer is lost is not retried by
// design — see retry.test.ts — so lost-answer faults are not injected on create here.)
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { ResearchResult } from '../../src/core/index.ts';
import { client, server } from './helpers.ts';

const RUNS = 300;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeEach(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  process.off('unhandledRejection', onUnhandled);
});

const schema = {
  type: 'object',
  properties: { answer: { type: 'string' }, confidence: { type: 'number' } },
  required: ['answer', 'confidence'],
};

it(`${RUNS} concurrent researches survive a fifth of faulty answers, without duplicates`, async () => {
  const s = await server({
    jobDurationMs: 120,
    faultRate: 0.2,
    faultSeed: 7,
    faultEndpoints: ['status', 'output', 'stop'],
  });
  s.injectFault({ endpoint: 'create', kind: 'rate-limit', times: 40, delayMs: 1_000 });
  // 8 retries: with 20 % faults, 9 faults in a row on one call has odds of 5e-7.
  const c = client(s, { maxRetries: 8 });

  const results: ResearchResult[] = await Promise.all(
    Array.from({ length: RUNS }, (_, i) =>
      i % 2 === 0
        ? c.research({ prompt: `Question number ${i}` })
        : c.research({ prompt: `Question number ${i}`, outputSchema: schema }),
    ),
  );

  results.forEach((result, i) => {
    expect(result.status).toBe('COMPLETED');
    if (i % 2 === 0) {
      expect(result.output).toContain(`Question number ${i}`);
    } else {
      const output = result.output as { answer: unknown; confidence: unknown };
      expect(typeof output.answer).toBe('string');
      expect(typeof output.confidence).toBe('number');
    }
    expect(s.jobs.get(result.requestId)?.prompt).toBe(`Question number ${i}`);
  });
  // Zero duplicate jobs: one job per research, each returned once.
  expect(s.jobs.size).toBe(RUNS);
  expect(new Set(results.map((r) => r.requestId)).size).toBe(RUNS);
  // The chaos really happened.
  const faulty = s.requests.filter((r) => r.fault !== undefined);
  expect(new Set(faulty.map((r) => r.fault)).size).toBeGreaterThanOrEqual(8);
  expect(s.count('create', { statusCode: 429 })).toBe(40);
  expect(unhandled).toEqual([]);
});
