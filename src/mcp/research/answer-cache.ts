// Completed answers kept for a few minutes, so that reading the parts of one long answer costs
// Fay one status and one output call per process, not one of each per part (the free plan allows
// 100 status and 50 output calls an hour). A COMPLETED answer never changes, so a copy is never
// stale; the time limit only bounds how long memory is held, and the byte cap how much.
//
// Entries leave in the order they came (first in, first out): with one time limit for all, the
// oldest entry is also the first to expire, so both limits are enforced from the front.
import { createHash } from 'node:crypto';

export interface AnswerCacheOptions {
  /** The most the kept entries may weigh together; an entry heavier than this is not kept. */
  maxBytes: number;
  /** How long an entry is kept after it was stored. */
  ttlMs: number;
  /** The clock (default Date.now), injectable so tests move time themselves. */
  now?: () => number;
}

interface Entry<T> {
  value: T;
  bytes: number;
  expiresAt: number;
}

export class AnswerCache<T> {
  readonly #entries = new Map<string, Entry<T>>();
  readonly #maxBytes: number;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #bytes = 0;

  constructor(options: AnswerCacheOptions) {
    this.#maxBytes = options.maxBytes;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  /** The value stored under `key`, unless it expired. */
  get(key: string): T | undefined {
    this.#dropExpired();
    return this.#entries.get(key)?.value;
  }

  /** Keeps `value` (weighing `bytes`) under `key`, making room by dropping the oldest entries. */
  set(key: string, value: T, bytes: number): void {
    this.#delete(key);
    this.#dropExpired();
    if (bytes > this.#maxBytes) return;
    for (const [oldest] of this.#entries) {
      if (this.#bytes + bytes <= this.#maxBytes) break;
      this.#delete(oldest);
    }
    this.#entries.set(key, { value, bytes, expiresAt: this.#now() + this.#ttlMs });
    this.#bytes += bytes;
  }

  /** What the kept entries weigh together. */
  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  #delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  #dropExpired(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break;
      this.#delete(key);
    }
  }
}

/** Enough for a few dozen long reports. */
export const ANSWER_CACHE_BYTES = 32 * 1024 * 1024;
/** Long enough to read every part of an answer, short enough not to hold memory for long. */
export const ANSWER_CACHE_TTL_MS = 5 * 60_000;

/**
 * Where a research's answer is kept for the key that read it. Fay scopes a research to the
 * account that started it, so the key is part of the place (as a digest): a caller with another
 * key (over HTTP, each caller may bring their own) never reads an answer Fay would refuse it.
 */
export function answerKey(apiKey: string | undefined, requestId: string): string {
  return `${createHash('sha256')
    .update(apiKey ?? '')
    .digest('base64url')}:${requestId}`;
}
