// Tool arguments. The SDK validates arguments against the declared zod schema before our handler
// runs and words the failure itself ("Input validation error: … at prompt"); for a task-augmented
// call it would even answer a plain result where a task is due. So each tool declares the precise
// JSON Schema for clients (via zod metadata) but lets any object through, and the handler checks
// the values with the core's validation, whose messages name the field and say what to fix.
import * as z from 'zod';
import { InvalidArgumentError } from './errors.js';

/** A schema that accepts any arguments object but is listed to clients as `precise`. */
export function declaredInput(precise: z.ZodObject) {
  const json = z.toJSONSchema(precise, { io: 'input', target: 'draft-7' });
  return z.looseObject({}).meta({ properties: json.properties, required: json.required });
}

export type ToolArgs = Record<string, unknown>;

function asRecord(args: unknown): ToolArgs {
  return typeof args === 'object' && args !== null ? (args as ToolArgs) : {};
}

export const researchInput = declaredInput(
  z.object({
    prompt: z
      .string()
      .min(1)
      .describe(
        'The research question or task, in plain language. Be specific: name the subject, the ' +
          'time frame and what the answer should contain.',
      ),
    output_schema: z
      .record(z.string(), z.unknown())
      .optional()
      .describe(
        'Optional JSON Schema (an object such as {"type":"object","properties":{...}}). When ' +
          'given, the answer is a JSON value shaped by it instead of Markdown.',
      ),
  }),
);

export const requestIdInput = declaredInput(
  z.object({
    request_id: z
      .guid()
      .describe('The request_id (a UUID) returned by fay_research or fay_start_research.'),
  }),
);

export interface ResearchArgs {
  prompt: string;
  outputSchema?: Record<string, unknown>;
}

/**
 * Reads fay_research / fay_start_research arguments. Only types are checked here (the core checks
 * the values before any request); an output_schema sent as a JSON string is accepted, since
 * assistants often serialise nested objects.
 */
export function researchArgs(args: unknown): ResearchArgs {
  const { prompt, output_schema: schema } = asRecord(args);
  if (typeof prompt !== 'string') {
    throw new InvalidArgumentError(
      'Invalid input: prompt is required and must be a string: the question to research.',
    );
  }
  if (schema === undefined || schema === null) return { prompt };
  const parsed = typeof schema === 'string' ? parseJsonArgument(schema) : schema;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(
      'Invalid input: output_schema must be a JSON Schema object such as ' +
        '{"type":"object","properties":{"answer":{"type":"string"}}}, or be left out for a Markdown answer.',
    );
  }
  return { prompt, outputSchema: parsed as Record<string, unknown> };
}

function parseJsonArgument(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidArgumentError(
      'Invalid input: output_schema is a string that is not valid JSON. Pass a JSON Schema object ' +
        'such as {"type":"object","properties":{"answer":{"type":"string"}}}.',
    );
  }
}

/** Reads the request_id argument (its UUID format is checked by the core). */
export function requestIdArg(args: unknown): string {
  const id = asRecord(args).request_id;
  if (typeof id !== 'string') {
    throw new InvalidArgumentError(
      'Invalid input: request_id is required and must be the UUID string returned by ' +
        'fay_research or fay_start_research.',
    );
  }
  return id.trim();
}
