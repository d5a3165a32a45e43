// zod schemas of every Fay answer: they check the shape we rely on (extra fields are allowed, so a
// newer API version does not break us) and map snake_case to the camelCase public types.
import { z } from 'zod';
import type {
  ConversationOutput,
  ConversationStatus,
  CreatedConversation,
  StoppedConversation,
} from './types.js';

const nullableString = z
  .string()
  .nullish()
  .transform((v) => v ?? null);

/** Any string: unknown future job states must not fail validation (the waiter keeps polling). */
const jobStatus = z.string().min(1);

export const envelopeSchema = z.looseObject({
  status: z.boolean(),
  version: z.string().optional(),
  data: z.unknown().optional(),
  error: z
    .looseObject({
      message: z.string().optional(),
      code: z.string().optional(),
    })
    .nullish(),
});
export type Envelope = z.infer<typeof envelopeSchema>;

export const createdSchema = z
  .looseObject({ request_id: z.string().min(1), status: jobStatus, created_at: nullableString })
  .transform((d): CreatedConversation => ({
    requestId: d.request_id,
    status: d.status,
    createdAt: d.created_at,
  }));

export const statusSchema = z
  .looseObject({
    request_id: z.string().min(1),
    status: jobStatus,
    prompt: nullableString,
    structured_output: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    output_schema: z.unknown().optional(),
    conversation_id: nullableString,
    created_at: nullableString,
    started_at: nullableString,
    completed_at: nullableString,
    error_message: nullableString,
    metadata: z.unknown().optional(),
  })
  .transform((d): ConversationStatus => ({
    requestId: d.request_id,
    status: d.status,
    prompt: d.prompt,
    structuredOutput: d.structured_output,
    outputSchema: d.output_schema ?? null,
    conversationId: d.conversation_id,
    createdAt: d.created_at,
    startedAt: d.started_at,
    completedAt: d.completed_at,
    errorMessage: d.error_message,
    metadata: d.metadata ?? null,
  }));

export const outputAnswerSchema = z
  .looseObject({ conversation_id: nullableString, status: jobStatus, output: z.unknown() })
  .refine((d) => d.output !== undefined, { message: 'output is missing', path: ['output'] })
  .transform((d): ConversationOutput => ({
    conversationId: d.conversation_id,
    status: d.status,
    output: d.output,
  }));

export const stoppedSchema = z
  .looseObject({ request_id: z.string().min(1), status: jobStatus, message: nullableString })
  .transform((d): StoppedConversation => ({
    requestId: d.request_id,
    status: d.status,
    message: d.message,
  }));

/** One webhook event type: the common envelope (id, type, created) around its own data. */
const webhookEvent = <T extends string, D extends z.ZodType>(type: T, data: D) =>
  z.looseObject({ id: z.string().min(1), type: z.literal(type), created: z.number(), data });

const finishedJob = {
  request_id: z.string().min(1),
  conversation_id: nullableString,
  status: jobStatus,
  completed_at: nullableString,
};

export const webhookEventSchema = z.discriminatedUnion('type', [
  webhookEvent('Status', statusSchema),
  webhookEvent(
    'Output',
    z.looseObject({ ...finishedJob, output: z.unknown() }).transform((d) => ({
      requestId: d.request_id,
      conversationId: d.conversation_id,
      status: d.status,
      output: d.output,
      completedAt: d.completed_at,
    })),
  ),
  webhookEvent(
    'Error',
    z.looseObject({ ...finishedJob, error_message: nullableString }).transform((d) => ({
      requestId: d.request_id,
      conversationId: d.conversation_id,
      status: d.status,
      errorMessage: d.error_message,
      completedAt: d.completed_at,
    })),
  ),
]);

/** Structured output should be a JSON value; accept it also when Fay sends it as JSON text. */
export function parseStructuredOutput(output: unknown): unknown {
  if (typeof output !== 'string') return output;
  try {
    return JSON.parse(output) as unknown;
  } catch {
    return output;
  }
}

/** First problem of a failed parse, as "path: message", for error messages. */
export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'unexpected shape';
  const path = issue.path.join('.');
  return path ? `${path}: ${issue.message}` : issue.message;
}
