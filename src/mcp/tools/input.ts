// The arguments the research tools share. Each tool's declared input schema is its validator:
// every tools/call is checked against it before the handler runs (server/mcp-server.ts, with the
// SDK's own helpers and wording), and a failure is answered with these messages ("… at prompt"),
// each naming the argument and saying what to fix. The rules are the core's (promptSchema, the
// UUID format); the core checks a JSON Schema's content itself. What clients such as LangChain
// check before sending is what is declared here, so the tolerance we keep (an output_schema sent
// as JSON text) is declared too.
import * as z from 'zod';
import type { ResearchInput } from '../../core/index.js';
import { promptSchema } from '../../core/internal.js';

const SCHEMA_EXAMPLE = '{"type":"object","properties":{"answer":{"type":"string"}}}';
const OUTPUT_SCHEMA_FIX =
  `output_schema must be a JSON Schema object such as ${SCHEMA_EXAMPLE} (or that object as ` +
  'JSON text), or be left out for a Markdown answer.';

/** A JSON object, declared as one (`additionalProperties: true`, not an empty schema). */
const jsonObject = z.looseObject({}).meta({ additionalProperties: true });

// Assistants often serialise nested objects: JSON text is accepted and parsed here.
const outputSchemaArg = z
  .union([jsonObject, z.string()], { error: OUTPUT_SCHEMA_FIX })
  .transform((value, ctx): Record<string, unknown> => {
    if (typeof value !== 'string') return value;
    const parsed = parseJson(value);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
    ctx.addIssue({
      code: 'custom',
      message:
        parsed === undefined
          ? `output_schema is a string that is not valid JSON. ${OUTPUT_SCHEMA_FIX}`
          : OUTPUT_SCHEMA_FIX,
    });
    return z.NEVER;
  });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export const researchInput = z.object({
  prompt: promptSchema.describe(
    'The research question or task, in plain language. Be specific: name the subject, the time ' +
      'frame and what the answer should contain.',
  ),
  output_schema: outputSchemaArg
    .optional()
    .describe(
      `Optional JSON Schema (an object such as ${SCHEMA_EXAMPLE}). When given, the answer is a ` +
        'JSON value shaped by it instead of Markdown.',
    ),
});

export const requestIdInput = z.object({
  request_id: z
    .guid({
      error:
        'request_id must be the UUID returned by fay_research or fay_start_research (like ' +
        '123e4567-e89b-12d3-a456-426614174000).',
    })
    .describe('The request_id (a UUID) returned by fay_research or fay_start_research.'),
});

export const getResearchInput = requestIdInput.extend({
  part: z
    .int({ error: 'part must be a whole number: parts are numbered 1, 2, 3…' })
    .min(1, { error: 'part must be 1 or more: parts are numbered from 1.' })
    .optional()
    .describe(
      'Which part of a long answer to return (default 1). An answer too long for one result ' +
        'comes in parts; every result of such an answer says how many there are.',
    ),
});

export type ResearchArgs = z.output<typeof researchInput>;

/** The core's input for validated fay_research / fay_start_research arguments. */
export function researchInputOf(args: ResearchArgs): ResearchInput {
  return args.output_schema === undefined
    ? { prompt: args.prompt }
    : { prompt: args.prompt, outputSchema: args.output_schema };
}
