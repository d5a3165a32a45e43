// The subset of n8n's IExecuteFunctions the Fay node uses, faithful where the node depends on it:
// parameters per item with the node type's defaults (n8n fills them when a workflow is loaded),
// the fallback argument, credentials by type, Continue on Fail, the execution's cancel signal and
// the authenticated request helper (./n8n-http.ts). The real-n8n proof is test/n8n-e2e.
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';
import { FayApi } from '../../../src/n8n/credentials/FayApi.credentials.ts';
import { httpRequestWithAuthenticationFor } from './n8n-http.ts';
import {
  credentialsGetter,
  fakeNode,
  parameterDefaults,
  valueAt,
  type FayCredentials,
} from './node-fixture.ts';

type Parameters = Record<string, unknown>;

export interface ExecuteOptions {
  credentials: FayCredentials;
  /** The node's parameters, the same for every item or per item (like expressions). */
  parameters: Parameters | ((itemIndex: number) => Parameters);
  /** Number of input items; default 1. */
  items?: number;
  continueOnFail?: boolean;
  cancelSignal?: AbortSignal;
}

export function executeContext(nodeType: INodeType, options: ExecuteOptions): IExecuteFunctions {
  const defaults = parameterDefaults(nodeType);
  const node = fakeNode(nodeType);
  const items: INodeExecutionData[] = Array.from({ length: options.items ?? 1 }, (_, i) => ({
    json: { index: i },
  }));
  const parametersOf = (itemIndex: number): Parameters =>
    typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;

  const context = {
    getNode: () => node,
    getInputData: () => items,
    continueOnFail: () => options.continueOnFail ?? false,
    getExecutionCancelSignal: () => options.cancelSignal,
    getCredentials: credentialsGetter(options.credentials),
    getNodeParameter(name: string, itemIndex: number, fallback?: unknown): unknown {
      const value = valueAt({ ...defaults, ...parametersOf(itemIndex) }, name);
      if (value !== undefined) return value;
      if (fallback !== undefined) return fallback;
      throw new Error(`Could not get parameter "${name}"`);
    },
    helpers: {
      httpRequestWithAuthentication: httpRequestWithAuthenticationFor([new FayApi()]),
    },
  };
  return context as unknown as IExecuteFunctions;
}

/** Runs the node's execute() the way n8n does: with the context as `this`. */
export async function execute(
  nodeType: INodeType,
  options: ExecuteOptions,
): Promise<INodeExecutionData[][]> {
  if (!nodeType.execute) throw new Error(`${nodeType.description.name} has no execute()`);
  return (await nodeType.execute.call(executeContext(nodeType, options))) as INodeExecutionData[][];
}
