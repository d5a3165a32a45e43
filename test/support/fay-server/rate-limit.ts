// Per key, per endpoint sliding-window limits, answering 429 with Retry-After like a real gateway.
import { fail, type Reply } from './reply.ts';
import type { Endpoint, FayServerOptions } from './types.ts';

type RetryAfterStyle = NonNullable<FayServerOptions['retryAfter']>;

/** Retry-After for a wait of `waitMs`: whole seconds (rounded up, at least 1) or an HTTP date. */
export function retryAfterHeader(waitMs: number, style: RetryAfterStyle): Record<string, string> {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  if (style === 'none') return {};
  if (style === 'seconds') return { 'retry-after': String(seconds) };
  // An HTTP date is read against the real clock (the Date header), whatever the job clock is.
  return { 'retry-after': new Date(Date.now() + seconds * 1000).toUTCString() };
}

export function rateLimitReply(waitMs: number, style: RetryAfterStyle): Reply {
  return fail(
    429,
    'RATE_LIMIT_EXCEEDED',
    'Rate limit exceeded. Please wait before making more requests.',
    retryAfterHeader(waitMs, style),
  );
}

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly limits: Partial<Record<Endpoint, number>>;
  private readonly windowMs: number;

  constructor(limits: Partial<Record<Endpoint, number>>, windowMs: number) {
    this.limits = limits;
    this.windowMs = windowMs;
  }

  /** Counts the call and returns 0, or returns the ms until a slot frees (call not counted). */
  take(key: string, endpoint: Endpoint, nowMs: number): number {
    const limit = this.limits[endpoint];
    if (limit === undefined) return 0;
    const id = `${endpoint}\u0000${key}`;
    const recent = (this.hits.get(id) ?? []).filter((t) => t > nowMs - this.windowMs);
    this.hits.set(id, recent);
    if (recent.length >= limit) return (recent[0] ?? nowMs) + this.windowMs - nowMs;
    recent.push(nowMs);
    return 0;
  }
}
