// The Fay node's parameters. Names are part of the package's public contract (workflows store
// them): resource, operation, prompt, structuredOutput, outputSchema, waitForCompletion,
// maxWaitSeconds, requestId, options.concurrency. Each operation's own parameters live in its
// `operations/*.operation.ts` file; this file lists them, shown only for their operation.
import type { INodeProperties } from 'n8n-workflow';
import type { FayOperation } from './operations/context.js';
import { operations } from './operations/index.js';

export const DEFAULT_CONCURRENCY = 5;

const RESOURCE = 'research';

/**
 * Each operation's parameters, shown only for it (and its own conditions). A parameter object
 * shared by several operations (Request ID) is one field, shown for all of them.
 */
function operationProperties(): INodeProperties[] {
  const shownFor = new Map<INodeProperties, string[]>();
  for (const operation of operations) {
    for (const property of operation.properties) {
      shownFor.set(property, [...(shownFor.get(property) ?? []), operation.option.value]);
    }
  }
  return [...shownFor].map(([property, values]) => ({
    ...property,
    displayOptions: {
      ...property.displayOptions,
      show: { resource: [RESOURCE], operation: values, ...property.displayOptions?.show },
    },
  }));
}

export const properties: INodeProperties[] = [
  {
    displayName: 'Resource',
    name: 'resource',
    type: 'options',
    noDataExpression: true,
    options: [{ name: 'Research', value: RESOURCE }],
    default: RESOURCE,
  },
  {
    displayName: 'Operation',
    name: 'operation',
    type: 'options',
    noDataExpression: true,
    displayOptions: { show: { resource: [RESOURCE] } },
    options: operations.map((operation) => operation.option),
    default: 'create',
  },
  ...operationProperties(),
  {
    displayName: 'Options',
    name: 'options',
    type: 'collection',
    placeholder: 'Add Option',
    default: {},
    displayOptions: { show: { resource: [RESOURCE] } },
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

/** The code of each operation, by its Operation value. */
export const router: ReadonlyMap<string, FayOperation['execute']> = new Map(
  operations.map((operation) => [operation.option.value, operation.execute]),
);
