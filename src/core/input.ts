// Checks of everything a caller hands us, made before any request is sent. Each failure is a
// FayValidationError (code INVALID_INPUT) naming the field and saying what to fix. Messages never
// echo the API key.
import { z } from 'zod';
import { FayValidationError } from './errors.js';
import { validateBaseUrl } from './network.js';
import { MAX_TIMER_MS } from './sleep.js';
import type { FayClientOptions, ResearchInput, StopOptions, WaitOptions } from './types.js';

export const MAX_PROMPT_LENGTH = 100_000;
export const DEFAULT_BASE_URL = 'https://api.fay.work';
/** Shorter keys are refused: no real key is that short, and redacting one would mangle text. */
export const MIN_API_KEY_LENGTH = 8;
/** Deepest nesting of objects and arrays accepted in outputSchema. */
export const MAX_OUTPUT_SCHEMA_DEPTH = 64;
/** Most values (objects, arrays, strings, numbers…) accepted in outputSchema. */
const MAX_OUTPUT_SCHEMA_VALUES = 100_000;

// Keywords of which a JSON Schema has at least one; `{}` or `{ foo: 1 }` is almost surely a mistake.
const SCHEMA_KEYWORDS = [
  'type',
  'properties',
  'items',
  'enum',
  'const',
  '$ref',
  'anyOf',
  'oneOf',
  'allOf',
];

/** A refused input: the message is the field's name followed by the problem. */
function invalid(field: string, problem: string): FayValidationError {
  return new FayValidationError(`${field} ${problem}`, { field, problem });
}

// Every message below starts with the name of its field (the convention `invalid` relies on).
function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join('.') || what;
  const message = issue?.message ?? `${field} is invalid.`;
  if (!message.startsWith(`${field} `)) throw new FayValidationError(message, { field });
  throw invalid(field, message.slice(field.length + 1));
}

/** The prompt rule, also the MCP tools' declared `prompt` (so it is written as JSON Schema can say it). */
export const promptSchema = z
  .string({ error: 'prompt must be a string: the question to research.' })
  .regex(/\S/, 'prompt is empty: write the question to research.')
  .max(MAX_PROMPT_LENGTH, {
    error: (issue) =>
      `prompt is ${String(issue.input).length} characters long; shorten it to at most ${MAX_PROMPT_LENGTH}.`,
  });

const jsonSchemaObject = z
  .custom<Record<string, unknown>>(
    (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
    'outputSchema must be a JSON Schema object such as { "type": "object", "properties": { … } }, ' +
      'not an array, null or a string.',
  )
  .refine(
    (s) => SCHEMA_KEYWORDS.some((k) => k in s),
    `outputSchema does not look like a JSON Schema: give it at least one of ${SCHEMA_KEYWORDS.join(', ')} ` +
      '(e.g. { "type": "object", "properties": { "answer": { "type": "string" } } }).',
  )
  .superRefine((s, ctx) => {
    // One step: zod runs later checks even after a failed one, and serialising a hostile schema
    // (one subtree shared by both branches of each level) would not end for hours.
    const shape = nestingOf(s);
    const problems = {
      cycle: 'refers to itself (a cycle): it must be plain JSON. Use "$ref" for recursive shapes.',
      'too-deep':
        `is nested more than ${MAX_OUTPUT_SCHEMA_DEPTH} levels deep: flatten it ` +
        '(or use "$ref" for recursive shapes).',
      'too-large': `has more than ${MAX_OUTPUT_SCHEMA_VALUES} values: make it smaller.`,
      'not-json': 'must be plain JSON (no functions or BigInts).',
    };
    if (shape !== 'ok')
      ctx.addIssue({ code: 'custom', message: `outputSchema ${problems[shape]}` });
  });

/**
 * The first reason `value` is not a small JSON tree: 'cycle', 'too-deep' (over
 * MAX_OUTPUT_SCHEMA_DEPTH levels), 'too-large' (over MAX_OUTPUT_SCHEMA_VALUES values, counted
 * as serialised, so one object shared by many parents counts each time). The walk never goes
 * deeper than the limit nor longer than the count, so no hostile schema can overflow the stack
 * or keep it busy; then 'not-json' for what JSON cannot hold (a BigInt, a bare function).
 */
function nestingOf(value: unknown): 'ok' | 'cycle' | 'too-deep' | 'too-large' | 'not-json' {
  const path = new Set<object>();
  let values = 0;
  const walk = (node: unknown, depth: number): 'ok' | 'cycle' | 'too-deep' | 'too-large' => {
    if (++values > MAX_OUTPUT_SCHEMA_VALUES) return 'too-large';
    if (typeof node !== 'object' || node === null) return 'ok';
    if (path.has(node)) return 'cycle';
    if (depth > MAX_OUTPUT_SCHEMA_DEPTH) return 'too-deep';
    path.add(node);
    try {
      for (const child of Object.values(node)) {
        const shape = walk(child, depth + 1);
        if (shape !== 'ok') return shape;
      }
      return 'ok';
    } finally {
      path.delete(node);
    }
  };
  const shape = walk(value, 1);
  if (shape !== 'ok') return shape;
  try {
    return typeof JSON.stringify(value) === 'string' ? 'ok' : 'not-json';
  } catch {
    return 'not-json';
  }
}

const researchInputSchema = z.object(
  { prompt: promptSchema, outputSchema: jsonSchemaObject.optional() },
  { error: 'input must be an object like { prompt: "…" }.' },
);

export function validateResearchInput(input: unknown): ResearchInput {
  return parseOrThrow(researchInputSchema, input, 'input');
}

const requestIdSchema = z.guid({
  error:
    'requestId must be the UUID Fay returned when the research was created (like ' +
    '123e4567-e89b-12d3-a456-426614174000).',
});

export function validateRequestId(requestId: unknown): string {
  return parseOrThrow(requestIdSchema, requestId, 'requestId');
}

const positiveMs = (name: string, min = 1) =>
  z
    .number({ error: `${name} must be a number of milliseconds.` })
    .int(`${name} must be a whole number of milliseconds.`)
    .min(min, `${name} must be at least ${min}.`)
    .max(MAX_TIMER_MS, `${name} must be at most ${MAX_TIMER_MS} (about 24 days).`);

const fn = (name: string) =>
  z.custom<(...args: never[]) => unknown>(
    (v) => typeof v === 'function',
    `${name} must be a function.`,
  );

const abortSignal = z.custom<AbortSignal>(
  (v) => v instanceof AbortSignal,
  'signal must be an AbortSignal (e.g. from new AbortController().signal).',
);

const callOptionsSchema = z.object({ signal: abortSignal.optional() }).optional();

export function validateCallOptions(opts: unknown): { signal?: AbortSignal } {
  if (opts === undefined) return {};
  return parseOrThrow(callOptionsSchema, opts, 'options') ?? {};
}

const waitOptionsSchema = z
  .object({
    signal: abortSignal.optional(),
    maxWaitMs: positiveMs('maxWaitMs').optional(),
    onStatus: fn('onStatus').optional(),
    stopOnCancel: z.boolean({ error: 'stopOnCancel must be true or false.' }).optional(),
    justCreated: z.boolean({ error: 'justCreated must be true or false.' }).optional(),
    onCreated: fn('onCreated').optional(),
  })
  .optional();

export function validateWaitOptions<T extends WaitOptions>(opts: T | undefined): T {
  parseOrThrow(waitOptionsSchema, opts, 'options');
  return opts ?? ({} as T);
}

const stopOptionsSchema = z
  .object({
    signal: abortSignal.optional(),
    confirmWithinMs: positiveMs('confirmWithinMs').optional(),
  })
  .optional();

export function validateStopOptions(opts: StopOptions | undefined): StopOptions {
  return parseOrThrow(stopOptionsSchema, opts, 'options') ?? {};
}

const clientOptionsSchema = z.object(
  {
    apiKey: z
      .string({ error: 'apiKey must be a string: the Fay API key from your dashboard.' })
      .refine((k) => k.length > 0, 'apiKey is empty: paste the Fay API key from your dashboard.')
      // A key with spaces or line breaks would corrupt the Authorization header.
      .refine(
        (k) => /^[\x21-\x7e]+$/.test(k),
        'apiKey contains spaces, line breaks or non-ASCII characters: copy the key again without them.',
      )
      .refine(
        (k) => k.length === 0 || k.length >= MIN_API_KEY_LENGTH,
        `apiKey is too short to be a Fay API key (fewer than ${MIN_API_KEY_LENGTH} characters): ` +
          'paste the whole key from your dashboard.',
      )
      .optional(),
    allowInsecureHttp: z.boolean({ error: 'allowInsecureHttp must be true or false.' }).optional(),
    baseUrl: z.unknown().optional(),
    timeoutMs: positiveMs('timeoutMs').optional(),
    maxRetries: z
      .number({ error: 'maxRetries must be a number.' })
      .int('maxRetries must be a whole number.')
      .min(0, 'maxRetries must be 0 or more.')
      .max(20, 'maxRetries must be at most 20.')
      .optional(),
    maxRetryAfterMs: positiveMs('maxRetryAfterMs', 0).optional(),
    statusCallsPerHour: z
      .number({ error: 'statusCallsPerHour must be a number.' })
      .int('statusCallsPerHour must be a whole number.')
      .min(1, 'statusCallsPerHour must be at least 1 (or leave it unset for no budget).')
      .optional(),
    transport: fn('transport').optional(),
    sleep: fn('sleep').optional(),
    userAgent: z
      .string({ error: 'userAgent must be a string.' })
      .refine((u) => /^[\x20-\x7e]*$/.test(u), 'userAgent must be printable ASCII on one line.')
      .optional(),
  },
  { error: 'options must be an object like { apiKey: "…" }: the FayClient options.' },
);

export interface ResolvedClientOptions {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  maxRetryAfterMs: number;
  statusCallsPerHour: number | undefined;
  userAgent: string | undefined;
}

export function validateClientOptions(options: FayClientOptions): ResolvedClientOptions {
  const o = parseOrThrow(clientOptionsSchema, options, 'options');
  if (o.apiKey === undefined && o.transport === undefined) {
    throw invalid(
      'apiKey',
      'is missing: pass the Fay API key from your dashboard (or a transport that ' +
        'authenticates requests itself).',
    );
  }
  return {
    apiKey: o.apiKey,
    baseUrl: validateBaseUrl(o.baseUrl ?? DEFAULT_BASE_URL, o.allowInsecureHttp),
    timeoutMs: o.timeoutMs ?? 30_000,
    maxRetries: o.maxRetries ?? 4,
    maxRetryAfterMs: o.maxRetryAfterMs ?? 60_000,
    statusCallsPerHour: o.statusCallsPerHour,
    userAgent: o.userAgent,
  };
}
