// The Fay node's parameters. Names are part of the package's public contract (workflows store
// them): resource, operation, prompt, structuredOutput, outputSchema, waitForCompletion,
// maxWaitSeconds, requestId, options.concurrency.
import type { INodeProperties } from 'n8n-workflow';

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_MAX_WAIT_SECONDS = 1800;

const EXAMPLE_SCHEMA = `{
  "type": "object",
  "properties": {
    "summary": { "type": "string" },
    "keyFindings": { "type": "array", "items": { "type": "string" } }
  }
}`;

const onCreate = { show: { resource: ['research'], operation: ['create'] } };

export const properties: INodeProperties[] = [
  {
    displayName: 'Resource',
    name: 'resource',
    type: 'options',
    noDataExpression: true,
    options: [{ name: 'Research', value: 'research' }],
    default: 'research',
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: ['research'] } },
    options: [
      {
        name: 'Create',
        value: 'create',
        description: 'Start a research job and, by default, wait for its answer',
        action: 'Create a research',
      },
      {
        name: 'Get Output',
        value: 'getOutput',
        description: 'Get the answer of a completed research',
        action: 'Get the output of a research',
      },
      {
        name: 'Get Status',
        value: 'getStatus',
        description: 'Get the state and timestamps of a research',
        action: 'Get the status of a research',
      },
      {
        name: 'Stop',
        value: 'stop',
        description: 'Stop a running research (a stopped research has no output)',
        action: 'Stop a research',
      },
    ],
    default: 'create',
  },
  {
    displayName: 'Prompt',
    name: 'prompt',
    type: 'string',
    typeOptions: { rows: 4 },
    required: true,
    default: '',
    placeholder: 'e.g. What are the main open-source vector databases and how do they compare?',
    description: 'The question Fay should research',
    displayOptions: onCreate,
  },
  {
    displayName: 'Structured Output',
    name: 'structuredOutput',
    type: 'boolean',
    default: false,
    description:
      'Whether Fay should answer with JSON shaped by a JSON Schema instead of a Markdown report',
    displayOptions: onCreate,
  },
  {
    displayName: 'Output Schema',
    name: 'outputSchema',
    type: 'json',
    required: true,
    default: EXAMPLE_SCHEMA,
    description: 'A JSON Schema describing the JSON value Fay should answer with',
    displayOptions: {
      show: { resource: ['research'], operation: ['create'], structuredOutput: [true] },
    },
  },
  {
    displayName: 'Wait for Completion',
    name: 'waitForCompletion',
    type: 'boolean',
    default: true,
    description:
      'Whether to wait until the research is done and output its answer. Turn off to output the request ID at once, then use Get Output later or the Fay Trigger.',
    displayOptions: onCreate,
  },
  {
    displayName: 'Max Wait (Seconds)',
    name: 'maxWaitSeconds',
    type: 'number',
    typeOptions: { minValue: 1 },
    default: DEFAULT_MAX_WAIT_SECONDS,
    description:
      'How long to wait for the answer before giving up. The research keeps running on Fay; get its answer later with Get Output.',
    displayOptions: {
      show: { resource: ['research'], operation: ['create'], waitForCompletion: [true] },
    },
  },
  {
    displayName: 'Request ID',
    name: 'requestId',
    type: 'string',
    required: true,
    default: '',
    placeholder: 'e.g. 123e4567-e89b-12d3-a456-426614174000',
    description: 'The request ID Fay returned when the research was created',
    displayOptions: {
      show: { resource: ['research'], operation: ['getStatus', 'getOutput', 'stop'] },
    },
  },
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: { resource: ['research'] } },
    options: [
      {
        displayName: 'Concurrency',
        name: 'concurrency',
        type: 'number',
        typeOptions: { minValue: 1, maxValue: 50 },
        default: DEFAULT_CONCURRENCY,
        description:
          'How many input items are sent to Fay at the same time. Lower it if you hit Fay rate limits.',
      },
    ],
  },
];
