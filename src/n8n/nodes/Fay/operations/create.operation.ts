import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import type { ResearchInput } from '../../../../core/portable.js';
import type { FayOperation, OperationContext } from './context.js';

export const DEFAULT_MAX_WAIT_SECONDS = 1800;

/** The Output Schema parameter: JSON text in the editor, or an object when set by an expression. */
function outputSchemaParameter({ fn, itemIndex }: OperationContext): Record<string, unknown> {
  const value = fn.getNodeParameter('outputSchema', itemIndex) as unknown;
  if (typeof value !== 'string') return value as Record<string, unknown>;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch (error) {
    throw new NodeOperationError(
      fn.getNode(),
      `Output Schema is not valid JSON (${(error as Error).message}). Write a JSON Schema such as { "type": "object", "properties": { "summary": { "type": "string" } } }.`,
      { itemIndex },
    );
  }
}

function researchInput(ctx: OperationContext): ResearchInput {
  const { fn, itemIndex } = ctx;
  const prompt = fn.getNodeParameter('prompt', itemIndex) as string;
  const structured = fn.getNodeParameter('structuredOutput', itemIndex, false) as boolean;
  // The core validates both (empty prompt, schema that is not a JSON Schema) before any request.
  return structured ? { prompt, outputSchema: outputSchemaParameter(ctx) } : { prompt };
}

/**
 * Waiting on: → { requestId, conversationId, status: 'COMPLETED', createdAt, startedAt,
 * completedAt, output }. Waiting off: → { requestId, status, createdAt } at once.
 */
export async function create(ctx: OperationContext): Promise<IDataObject> {
  const { fn, client, itemIndex, signal } = ctx;
  const input = researchInput(ctx);
  if (!(fn.getNodeParameter('waitForCompletion', itemIndex, true) as boolean)) {
    return { ...(await client.createConversation(input, { signal })) };
  }
  const maxWaitSeconds = fn.getNodeParameter(
    'maxWaitSeconds',
    itemIndex,
    DEFAULT_MAX_WAIT_SECONDS,
  ) as number;
  // Cancelled (or a sibling item failed): the core stops the job, which would otherwise run, and
  // bill, for nothing. A wait that merely runs out does not stop it: its answer can be fetched.
  const result = await client.research(input, {
    signal,
    maxWaitMs: Math.round(maxWaitSeconds * 1000),
    stopOnCancel: true,
  });
  return { ...result } as IDataObject;
}

const EXAMPLE_SCHEMA = `{
  "type": "object",
  "properties": {
    "summary": { "type": "string" },
    "keyFindings": { "type": "array", "items": { "type": "string" } }
  }
}`;

export const createOperation: FayOperation = {
  option: {
    name: 'Create',
    value: 'create',
    description: 'Start a research job and, by default, wait for its answer',
    action: 'Create a research',
  },
  properties: [
    {
      displayName: 'Prompt',
      name: 'prompt',
      type: 'string',
      typeOptions: { rows: 4 },
      required: true,
      default: '',
      placeholder: 'e.g. What are the main open-source vector databases and how do they compare?',
      description: 'The question Fay should research',
    },
    {
      displayName: 'Structured Output',
      name: 'structuredOutput',
      type: 'boolean',
      default: false,
      description:
        'Whether Fay should answer with JSON shaped by a JSON Schema instead of a Markdown report',
    },
    {
      displayName: 'Output Schema',
      name: 'outputSchema',
      type: 'json',
      required: true,
      default: EXAMPLE_SCHEMA,
      description: 'A JSON Schema describing the JSON value Fay should answer with',
      displayOptions: { show: { structuredOutput: [true] } },
    },
    {
      displayName: 'Wait for Completion',
      name: 'waitForCompletion',
      type: 'boolean',
      default: true,
      description:
        'Whether to wait until the research is done and output its answer. Turn off to output the request ID at once, then use Get Output later or the Fay Trigger.',
    },
    {
      displayName: 'Max Wait (Seconds)',
      name: 'maxWaitSeconds',
      type: 'number',
      typeOptions: { minValue: 1 },
      default: DEFAULT_MAX_WAIT_SECONDS,
      description:
        'How long to wait for the answer before giving up. The research keeps running on Fay; get its answer later with Get Output.',
      displayOptions: { show: { waitForCompletion: [true] } },
    },
  ],
  execute: create,
};
