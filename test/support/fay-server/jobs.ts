// Jobs: created with their whole timeline, their state computed lazily from the clock.
import { randomUUID } from 'node:crypto';
import type { Job, JobState } from './types.ts';

/** PENDING lasts this fraction of the job's duration, then PROCESSING. */
const PENDING_FRACTION = 0.2;
const FINAL_STATES: readonly JobState[] = ['COMPLETED', 'FAILED', 'STOPPED'];

export function isFinal(state: JobState): boolean {
  return FINAL_STATES.includes(state);
}

/** Prompt directives, so other processes (demo, MCP, n8n e2e) can steer a job. */
interface Directives {
  fail: boolean;
  never: boolean;
  durationMs: number | undefined;
  /** [fay:long=N]: an answer of at least N characters (Markdown report, or a long JSON value). */
  longChars: number | undefined;
  /** [fay:longline=N]: a Markdown answer that is one line of N characters. */
  longLineChars: number | undefined;
}

export function parseDirectives(prompt: string): Directives {
  const number = (name: string) => {
    const found = new RegExp(`\\[fay:${name}=(\\d+)\\]`, 'i').exec(prompt);
    return found ? Number(found[1]) : undefined;
  };
  return {
    fail: /\[fay:fail\]/i.test(prompt),
    never: /\[fay:never\]/i.test(prompt),
    durationMs: number('duration'),
    longChars: number('long'),
    longLineChars: number('longline'),
  };
}

export function createJob(args: {
  prompt: string;
  structuredOutput: boolean;
  outputSchema: Record<string, unknown> | null;
  nowMs: number;
  defaultDurationMs: number;
  account: number;
}): Job {
  const directives = parseDirectives(args.prompt);
  const durationMs = directives.durationMs ?? args.defaultDurationMs;
  return {
    requestId: randomUUID(),
    prompt: args.prompt,
    structuredOutput: args.structuredOutput,
    outputSchema: args.outputSchema,
    conversationId: randomUUID(),
    createdAtMs: args.nowMs,
    startsAtMs: args.nowMs + Math.round(durationMs * PENDING_FRACTION),
    endsAtMs: directives.never ? null : args.nowMs + durationMs,
    fails: directives.fail,
    errorMessage: 'Research failed: the sources needed for this question could not be retrieved.',
    stoppedAtMs: null,
    metadata: { source: 'api', plan: 'local' },
    account: args.account,
  };
}

export function stateAt(job: Job, nowMs: number): JobState {
  if (job.stoppedAtMs !== null && nowMs >= job.stoppedAtMs) return 'STOPPED';
  if (nowMs < job.startsAtMs) return 'PENDING';
  if (job.endsAtMs === null || nowMs < job.endsAtMs) return 'PROCESSING';
  return job.fails ? 'FAILED' : 'COMPLETED';
}

/** When the job entered `state` (for final states: its completed_at). */
export function enteredAt(job: Job, state: JobState): number | null {
  switch (state) {
    case 'PENDING':
      return job.createdAtMs;
    case 'PROCESSING':
      return job.startsAtMs;
    case 'STOPPED':
      return job.stoppedAtMs;
    default:
      return job.endsAtMs;
  }
}

/** Fay's timestamps: ISO 8601 with microseconds and a "+00:00" offset, as a Python API writes them. */
export function isoTimestamp(ms: number | null): string | null {
  if (ms === null) return null;
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000+00:00');
}

/** The status call's `data` (snake_case, exactly as the API), as of `nowMs`. */
export function statusPayload(
  job: Job,
  nowMs: number,
  state: JobState = stateAt(job, nowMs),
): Record<string, unknown> {
  const started =
    state !== 'PENDING' && !(state === 'STOPPED' && (job.stoppedAtMs ?? 0) < job.startsAtMs);
  return {
    request_id: job.requestId,
    status: state,
    prompt: job.prompt,
    structured_output: job.structuredOutput,
    output_schema: job.outputSchema,
    conversation_id: started ? job.conversationId : null,
    created_at: isoTimestamp(job.createdAtMs),
    started_at: started ? isoTimestamp(job.startsAtMs) : null,
    completed_at: isFinal(state) ? isoTimestamp(enteredAt(job, state)) : null,
    error_message: state === 'FAILED' ? job.errorMessage : null,
    metadata: job.metadata,
  };
}
