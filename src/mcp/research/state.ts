// The one shape every tool (and the resource) reports a research in, and the one shape of a
// failed call: snake_case like the Fay API,
// declared once as the tools' outputSchema so structuredContent always validates.
import * as z from 'zod';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { FayError, type ConversationStatus, type JobStatus } from '../../core/index.js';
import { MissingApiKeyError } from '../config/index.js';
import type { ToolContext } from './context.js';
import { FayNotAnsweringError } from './deadline.js';
import { noSuchPart, partNote } from './messages.js';
import type { SplitAnswer } from './parts.js';

/**
 * The most a part's note may weigh (research/parts.ts's weight): with the facts twice (about 600
 * characters) and the result's JSON around them, a result is at most its part plus 8,000.
 */
const NOTE_MAX_WEIGHT = 6_000;

// The answer (Markdown, or the JSON value as JSON text) is in the result's text only, never in
// structuredContent: clients fold the two differently (LangChain's adapter has attached
// structuredContent to the text it hands the model, some clients pass the whole result), and an
// answer in both would reach the model twice. structuredContent holds the facts about the job, declared here
// as every tool's outputSchema, and is repeated as JSON text for clients that read only content.
export const researchFacts = z.object({
  request_id: z.string().describe('The Fay research id (a UUID) to pass to the other fay_ tools.'),
  status: z
    .string()
    .describe(
      'The job state: PENDING, PROCESSING, COMPLETED, FAILED or STOPPED. Once COMPLETED, the ' +
        'answer (or, when it comes in parts, part `part` of it) is the first text of this result.',
    ),
  error_message: z.string().optional().describe('Once FAILED: why, as Fay reported it.'),
  created_at: z.string().optional().describe('When the job was created (ISO 8601), if known.'),
  started_at: z.string().optional().describe('When Fay started it, if known.'),
  completed_at: z.string().optional().describe('When it finished, if known.'),
  part: z
    .int()
    .optional()
    .describe(
      'When the answer is too long for one result: which part of it this result holds (1-based).',
    ),
  parts: z
    .int()
    .optional()
    .describe(
      'When the answer is too long for one result: how many parts it has. Get part k with ' +
        'fay_get_research, request_id and part k.',
    ),
});

export type ResearchFacts = z.output<typeof researchFacts>;

export interface ResearchState {
  request_id: string;
  status: JobStatus;
  output?: unknown;
  error_message?: string;
  created_at?: string | null;
  started_at?: string | null;
  completed_at?: string | null;
  message?: string;
}

export function stateFromStatus(status: ConversationStatus): ResearchState {
  return {
    request_id: status.requestId,
    status: status.status,
    created_at: status.createdAt,
    started_at: status.startedAt,
    completed_at: status.completedAt,
    ...(status.errorMessage !== null && status.status === 'FAILED'
      ? { error_message: status.errorMessage }
      : {}),
  };
}

function factsOf(state: ResearchState): ResearchFacts {
  const facts: ResearchFacts = { request_id: state.request_id, status: state.status };
  if (state.error_message !== undefined) facts.error_message = state.error_message;
  for (const key of ['created_at', 'started_at', 'completed_at'] as const) {
    const value = state[key];
    if (typeof value === 'string') facts[key] = value;
  }
  return facts;
}

/**
 * A successful tool result without an answer: what happened and what to do next, then the
 * facts, as structuredContent and as JSON text. (A COMPLETED research's is partResult.)
 */
export function stateResult(state: ResearchState): CallToolResult {
  return factsResult(state.message ?? `Research ${state.request_id} is ${state.status}.`, [
    factsOf(state),
  ]);
}

function factsResult(text: string, [facts, note]: [ResearchFacts, string?]): CallToolResult {
  return {
    content: [
      { type: 'text', text },
      ...(note === undefined ? [] : [{ type: 'text' as const, text: note }]),
      { type: 'text', text: JSON.stringify(facts) },
    ],
    structuredContent: facts,
  };
}

/**
 * A COMPLETED research's result: part `part` of its answer as the first text, exactly; when the
 * answer has more than one part, a note (which part, how to get the next; part 1's also outlines
 * the answer) and `part` and `parts` in the facts. A short answer is one part, shown as it always
 * was. A part past the last is an error result that says how many there are.
 */
export function partResult(state: ResearchState, split: SplitAnswer, part = 1): CallToolResult {
  const parts = split.parts.length;
  const text = split.parts[part - 1];
  if (text === undefined) {
    return {
      isError: true,
      content: [{ type: 'text', text: noSuchPart(state.request_id, part, parts) }],
    };
  }
  if (parts === 1) return factsResult(text, [factsOf(state)]);
  const note = partNote({
    requestId: state.request_id,
    part,
    parts,
    outline: part === 1 ? split.outline : [],
    structured: typeof state.output !== 'string',
    maxWeight: NOTE_MAX_WEIGHT,
  });
  return factsResult(text, [{ ...factsOf(state), part, parts }, note]);
}

// Failures worth a log line (bugs and infrastructure), not an assistant's or user's mistake.
function isUnexpected(error: unknown): boolean {
  return !(
    error instanceof FayError ||
    error instanceof MissingApiKeyError ||
    error instanceof FayNotAnsweringError
  );
}

/** The isError tool result for `error`; unexpected ones are logged with their stack. */
export function errorResult(
  ctx: Pick<ToolContext, 'describe' | 'log'>,
  error: unknown,
): CallToolResult {
  if (isUnexpected(error)) {
    ctx.log.log('error', error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  return { isError: true, content: [{ type: 'text', text: ctx.describe(error) }] };
}
