// The cache of completed answers (src/mcp/research/answer-cache.ts), on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { AnswerCache } from '../../src/mcp/research/answer-cache.ts';

function cache(maxBytes = 100, ttlMs = 60_000) {
  const clock = { t: 0 };
  return { clock, answers: new AnswerCache<string>({ maxBytes, ttlMs, now: () => clock.t }) };
}

describe('AnswerCache', () => {
  it('gives back what it keeps until the time limit, then forgets it', () => {
    const { clock, answers } = cache();
    answers.set('a', 'answer a', 10);
    clock.t = 59_999;
    expect(answers.get('a')).toBe('answer a');
    clock.t = 60_000;
    expect(answers.get('a')).toBeUndefined();
    expect(answers.bytes).toBe(0);
  });

  it('counts the time from when an entry was stored, not from when it was last read', () => {
    const { clock, answers } = cache();
    answers.set('a', 'answer a', 10);
    for (clock.t = 0; clock.t < 60_000; clock.t += 10_000) expect(answers.get('a')).toBeDefined();
    expect(answers.get('a')).toBeUndefined();
  });

  it('stays within its byte cap by dropping the oldest entries', () => {
    const { clock, answers } = cache(100);
    answers.set('a', 'a', 40);
    clock.t += 1;
    answers.set('b', 'b', 40);
    clock.t += 1;
    answers.set('c', 'c', 40);
    expect(answers.get('a')).toBeUndefined();
    expect([answers.get('b'), answers.get('c')]).toEqual(['b', 'c']);
    expect(answers.bytes).toBe(80);
  });

  it('does not keep an entry heavier than the whole cap, and keeps the others', () => {
    const { answers } = cache(100);
    answers.set('a', 'a', 40);
    answers.set('huge', 'huge', 101);
    expect(answers.get('huge')).toBeUndefined();
    expect(answers.get('a')).toBe('a');
    expect(answers.bytes).toBe(40);
  });

  it('replaces an entry stored again under the same key, counting its bytes once', () => {
    const { answers } = cache(100);
    answers.set('a', 'first', 30);
    answers.set('a', 'second', 50);
    expect(answers.get('a')).toBe('second');
    expect(answers.size).toBe(1);
    expect(answers.bytes).toBe(50);
  });
});
