// Reading a research from Fay: its status, and its answer once COMPLETED. A completed answer
// never changes, so this process keeps it a few minutes (answer-cache.ts), split into parts once:
// reading every part of a long answer costs Fay one status and one output call.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  parseStructuredOutput,
  type ConversationStatus,
  type FayClient,
} from '../../core/index.js';
import { ANSWER_CACHE_BYTES, ANSWER_CACHE_TTL_MS, AnswerCache, answerKey } from './answer-cache.js';
import type { ToolContext } from './context.js';
import { failedOnFay, stillRunningMessage } from './messages.js';
import { splitAnswer, type SplitAnswer } from './parts.js';
import { partResult, stateFromStatus, stateResult, type ResearchState } from './state.js';

/** What reading needs of the context: the key (whose answers these are) and the part size. */
export type ReadContext = Pick<ToolContext, 'config'>;

interface KeptAnswer {
  state: ResearchState;
  split: SplitAnswer;
}

/**
 * The process's completed answers. Every server built in the process shares them: over HTTP one
 * server is built per request, so a cache per server would never be read twice.
 */
const kept = new AnswerCache<KeptAnswer>({
  maxBytes: ANSWER_CACHE_BYTES,
  ttlMs: ANSWER_CACHE_TTL_MS,
});

/** A COMPLETED research's answer in parts, kept for the next reads (split once). */
function keep(ctx: ReadContext, state: ResearchState): KeptAnswer {
  const key = answerKey(ctx.config.apiKey, state.request_id);
  const found = kept.get(key);
  if (found) return found;
  const answer = { state, split: splitAnswer(state.output, ctx.config.maxAnswerChars) };
  // UTF-16 text, as much again for a structured answer's parsed value, and the outline.
  const { text, outline } = answer.split;
  const bytes =
    text.length * (typeof state.output === 'string' ? 2 : 4) + outline.length * 200 + 1024;
  kept.set(key, answer, bytes);
  return answer;
}

/** The state of a COMPLETED research, with its output (then kept, see keep). */
export async function completedState(
  ctx: ReadContext,
  client: FayClient,
  status: ConversationStatus,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const { output } = await client.getOutput(status.requestId, { signal });
  const state = {
    ...stateFromStatus(status),
    output: structuredValue(output, status.structuredOutput),
  };
  return keep(ctx, state).state;
}

function structuredValue(output: unknown, structured: boolean): unknown {
  return structured ? parseStructuredOutput(output) : output;
}

/** Reads of Fay in flight, by answerKey: a read asked for again meanwhile joins the first. */
const reading = new Map<string, Promise<ResearchState>>();

/**
 * Current state of a research: its status, plus the output once COMPLETED. A kept answer is
 * given without asking Fay, and reads of the same research at the same time (parts asked for in
 * parallel) share one.
 */
export async function readResearch(
  ctx: ReadContext,
  client: FayClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const key = answerKey(ctx.config.apiKey, requestId);
  const found = kept.get(key);
  if (found) return found.state;
  const pending = reading.get(key);
  if (pending) {
    try {
      return await unlessAborted(pending, signal);
    } catch (error) {
      // That read failed or was cancelled by its own caller: this one reads for itself.
      if (signal?.aborted) throw error;
    }
  }
  const read = readFromFay(ctx, client, requestId, signal);
  reading.set(key, read);
  try {
    return await read;
  } finally {
    if (reading.get(key) === read) reading.delete(key);
  }
}

/** `promise`, or the abort of `signal` if it comes first. */
function unlessAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

async function readFromFay(
  ctx: ReadContext,
  client: FayClient,
  requestId: string,
  signal?: AbortSignal,
): Promise<ResearchState> {
  const status = await client.getStatus(requestId, { signal });
  const state = stateFromStatus(status);
  switch (status.status) {
    case 'COMPLETED':
      return completedState(ctx, client, status, signal);
    case 'FAILED':
      return {
        ...state,
        message: `The research ${failedOnFay(status.errorMessage)}`,
      };
    case 'STOPPED':
      return {
        ...state,
        message: 'The research was stopped; it has no output. Start a new one if needed.',
      };
    default:
      return { ...state, message: stillRunningMessage(requestId, status.status) };
  }
}

/**
 * The tool result for a research's state: part `part` (default 1) of its answer once COMPLETED,
 * else what happened and what to do next.
 */
export function researchResult(
  ctx: ReadContext,
  state: ResearchState,
  part?: number,
): CallToolResult {
  if (state.status !== 'COMPLETED' || state.output === undefined) return stateResult(state);
  return partResult(state, keep(ctx, state).split, part);
}
