// The four endpoints' logic: auth, rate limit, validation and job changes. No sockets here.
import {
  createJob,
  isFinal,
  isoTimestamp,
  parseDirectives,
  stateAt,
  statusPayload,
} from './jobs.ts';
import { longLine, longMarkdown } from './long-output.ts';
import { markdownOutput, structuredOutput } from './output.ts';
import { RateLimiter, rateLimitReply } from './rate-limit.ts';
import { fail, ok, type Reply } from './reply.ts';
import type { Endpoint, FayServerOptions, Job } from './types.ts';

export interface ApiContext {
  jobs: Map<string, Job>;
  apiKeys: Set<string>;
  /** Keys of other accounts, one list per account (see FayServerOptions.otherAccounts). */
  otherAccounts: string[][];
  limiter: RateLimiter;
  options: FayServerOptions;
  now: () => number;
  defaultDurationMs: number;
  /** A job was created or stopped: its state changed outside the clock. */
  onJobChange: (job: Job) => void;
}

export interface ApiRequest {
  endpoint: Endpoint;
  requestId?: string;
  authorization: string | undefined;
  rawBody: string;
}

export interface ApiResult {
  reply: Reply;
  /** The id of the job a create made. */
  createdId?: string;
}

const OUTPUT_RETENTION_MS = 30 * 24 * 3_600_000;

const notFound = (): Reply =>
  fail(404, 'REQUEST_NOT_FOUND', 'Request not found. Check the request_id.');
const invalid = (message: string): Reply => fail(400, 'VALIDATION_ERROR', message);

export function bearerKey(authorization: string | undefined): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
}

/** The job's answer in `output`: Markdown, or the schema-shaped value (optionally as a JSON string). */
export function jobOutput(job: Job, options: FayServerOptions): unknown {
  const { longChars, longLineChars } = parseDirectives(job.prompt);
  if (!job.structuredOutput || !job.outputSchema) {
    if (longLineChars !== undefined) return longLine(job.prompt, longLineChars);
    if (longChars !== undefined) return longMarkdown(job.prompt, longChars);
    return markdownOutput(job.prompt);
  }
  const value = structuredOutput(job.prompt, job.outputSchema, longChars);
  return options.structuredOutputAs === 'string' ? JSON.stringify(value) : value;
}

/** The account a key belongs to (0: apiKeys), or undefined for a key no account has. */
export function accountOf(ctx: ApiContext, key: string | undefined): number | undefined {
  if (key === undefined) return undefined;
  if (ctx.apiKeys.has(key)) return 0;
  const index = ctx.otherAccounts.findIndex((keys) => keys.includes(key));
  return index < 0 ? undefined : index + 1;
}

// Auth comes first (before ids or bodies are looked at), then the rate limit, as a gateway would.
export function handleApi(ctx: ApiContext, request: ApiRequest): ApiResult {
  const key = bearerKey(request.authorization);
  const account = accountOf(ctx, key);
  if (key === undefined || account === undefined) {
    return { reply: fail(401, 'INVALID_API_KEY', 'Invalid or missing API key.') };
  }
  const waitMs = ctx.limiter.take(key, request.endpoint, ctx.now());
  if (waitMs > 0) return { reply: rateLimitReply(waitMs, ctx.options.retryAfter ?? 'seconds') };
  if (request.endpoint === 'create') return create(ctx, request.rawBody, account);
  // Jobs belong to the account that created them: another account's request_id is unknown here.
  const job = ctx.jobs.get(request.requestId ?? '');
  if (!job || job.account !== account) return { reply: notFound() };
  if (request.endpoint === 'status') return { reply: ok(statusPayload(job, ctx.now())) };
  if (request.endpoint === 'output') return { reply: output(ctx, job) };
  return { reply: stop(ctx, job) };
}

function create(ctx: ApiContext, rawBody: string, account: number): ApiResult {
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return { reply: invalid('Request body must be valid JSON.') };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { reply: invalid('Request body must be a JSON object.') };
  }
  const {
    prompt,
    structured_output: structured,
    output_schema: schema,
  } = body as Record<string, unknown>;
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { reply: invalid('prompt is required and must be a non-empty string.') };
  }
  if (structured !== undefined && structured !== null && typeof structured !== 'boolean') {
    return { reply: invalid('structured_output must be a boolean.') };
  }
  const schemaIsObject = typeof schema === 'object' && schema !== null && !Array.isArray(schema);
  if (schema !== undefined && schema !== null && !schemaIsObject) {
    return { reply: invalid('output_schema must be a JSON Schema object.') };
  }
  if (structured === true && !schemaIsObject) {
    return { reply: invalid('output_schema is required when structured_output is true.') };
  }
  const job = createJob({
    prompt,
    structuredOutput: structured === true,
    outputSchema: schemaIsObject ? (schema as Record<string, unknown>) : null,
    nowMs: ctx.now(),
    defaultDurationMs: ctx.defaultDurationMs,
    account,
  });
  ctx.jobs.set(job.requestId, job);
  ctx.onJobChange(job);
  return {
    reply: ok({
      request_id: job.requestId,
      status: 'PENDING',
      created_at: isoTimestamp(job.createdAtMs),
    }),
    createdId: job.requestId,
  };
}

// FAILED and STOPPED jobs also answer RESEARCH_NOT_COMPLETED: it is the only code the reference
// gives for "no output yet", a stopped job has no partial result, and a failed one has none either.
function output(ctx: ApiContext, job: Job): Reply {
  const nowMs = ctx.now();
  const state = stateAt(job, nowMs);
  if (state !== 'COMPLETED') {
    return fail(
      400,
      'RESEARCH_NOT_COMPLETED',
      `Research is not completed yet (status: ${state}). Check the status first.`,
    );
  }
  const retentionMs = ctx.options.outputRetentionMs ?? OUTPUT_RETENTION_MS;
  // The reference keeps outputs 30 days and does not say what comes after; 404 is the likely answer.
  if (job.endsAtMs !== null && nowMs - job.endsAtMs > retentionMs) {
    return fail(404, 'REQUEST_NOT_FOUND', 'The output of this request has expired.');
  }
  return ok({
    conversation_id: job.conversationId,
    status: 'COMPLETED',
    output: jobOutput(job, ctx.options),
  });
}

function stop(ctx: ApiContext, job: Job): Reply {
  const nowMs = ctx.now();
  const state = stateAt(job, nowMs);
  if (isFinal(state)) {
    return fail(
      400,
      'CONVERSATION_ALREADY_COMPLETED',
      `Conversation is already finished (status: ${state}) and cannot be stopped.`,
    );
  }
  job.stoppedAtMs = nowMs;
  ctx.onJobChange(job);
  return ok({
    request_id: job.requestId,
    status: 'STOPPED',
    message: 'Conversation stopped successfully.',
  });
}
