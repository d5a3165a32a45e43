import type {
  IExecuteFunctions,
  INodeExecutionData,
  INodeType,
  INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { FayClient } from '../../../core/portable.js';
import { runConcurrently } from './concurrency.js';
import { DEFAULT_CONCURRENCY, properties, router } from './description.js';
import { errorItemJson, toNodeError } from './errors.js';
import { createFayClient } from './transport.js';

export class Fay implements INodeType {
  description: INodeTypeDescription = {
    displayName: 'Fay',
    name: 'fay',
    icon: { light: 'file:../../icons/fay.svg', dark: 'file:../../icons/fay.dark.svg' },
    group: ['transform'],
    version: 1,
    subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
    description: 'Deep research with Fay: researched, source-linked answers to questions',
    defaults: { name: 'Fay' },
    usableAsTool: true,
    inputs: [NodeConnectionTypes.Main],
    outputs: [NodeConnectionTypes.Main],
    credentials: [{ name: 'fayApi', required: true }],
    properties,
  };

  async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
    const items = this.getInputData();
    const node = this.getNode();
    let client: FayClient;
    try {
      client = await createFayClient(this);
    } catch (error) {
      throw toNodeError(node, error);
    }
    const concurrency = this.getNodeParameter(
      'options.concurrency',
      0,
      DEFAULT_CONCURRENCY,
    ) as number;
    const continueOnFail = this.continueOnFail();

    const results = await runConcurrently(
      items.length,
      concurrency,
      this.getExecutionCancelSignal(),
      async (itemIndex, signal): Promise<INodeExecutionData> => {
        try {
          const operation = this.getNodeParameter('operation', itemIndex) as string;
          const run = router.get(operation);
          if (!run) {
            throw new NodeOperationError(node, `The operation "${operation}" is not supported.`, {
              itemIndex,
            });
          }
          const json = await run({ fn: this, client, itemIndex, signal });
          return { json, pairedItem: { item: itemIndex } };
        } catch (error) {
          if (continueOnFail)
            return { json: errorItemJson(error), pairedItem: { item: itemIndex } };
          throw toNodeError(node, error, itemIndex);
        }
      },
    );
    return [results];
  }
}
