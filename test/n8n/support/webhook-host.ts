// A stand-in for n8n 2.41's webhook server around one trigger node, over real HTTP: it reads the
// body as n8n's rawBodyReader does (req.rawBody = the bytes received), calls the node's webhook()
// with an IWebhookFunctions subset, and answers as n8n's webhook-helpers do: noWebhookResponse →
// the node answered itself; no workflowData → 200 with webhookResponse; workflowData → a workflow
// run (recorded in `runs`). Static data is as n8n keeps it: each request reads its own copy of the
// saved data, saved back after the node answered (so copies running at once overwrite each other).
// Activation runs the node's webhookMethods (checkExists, then create when it returns false).
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type {
  IDataObject,
  IHookFunctions,
  INodeExecutionData,
  INodeType,
  IWebhookFunctions,
  IWebhookResponseData,
} from 'n8n-workflow';
import {
  credentialsGetter,
  fakeNode,
  parameterDefaults,
  type FayCredentials,
} from './node-fixture.ts';

export interface WebhookHostOptions {
  credentials: FayCredentials;
  parameters?: Record<string, unknown>;
}

export interface WebhookHost {
  url: string;
  /** Items of every workflow run the trigger started. */
  runs: INodeExecutionData[][][];
  /** The static data as last saved. */
  staticData(): IDataObject;
  /** What n8n does when the workflow is activated (or listens for a test event). */
  activate(): Promise<void>;
  close(): Promise<void>;
}

function readRaw(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The bits of Express's Response a node uses. */
function expressResponse(res: http.ServerResponse) {
  const reply = {
    status(code: number) {
      res.statusCode = code;
      return reply;
    },
    json(body: unknown) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
      return reply;
    },
  };
  return reply;
}

export async function startWebhookHost(
  nodeType: INodeType,
  options: WebhookHostOptions,
): Promise<WebhookHost> {
  const parameters = { ...parameterDefaults(nodeType), ...options.parameters };
  const node = fakeNode(nodeType, { webhookId: 'b7a4b1f0-3c7e-4a57-9d0a-6a1f2f0d9e11' });
  const common = {
    getNode: () => node,
    getCredentials: credentialsGetter(options.credentials),
    getNodeParameter(name: string, fallback?: unknown): unknown {
      return parameters[name] ?? fallback;
    },
  };
  let savedStaticData = '{}';
  // Each host is its own workflow, as the trigger keys what it remembers by workflow.
  const workflow = { id: `wf_${randomUUID()}`, name: 'Webhook host', active: true };
  const runs: INodeExecutionData[][][] = [];

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const request = Object.assign(req, { rawBody: await readRaw(req) });
    const staticData = JSON.parse(savedStaticData) as IDataObject;
    const context = {
      ...common,
      getWorkflow: () => workflow,
      getRequestObject: () => request,
      getResponseObject: () => expressResponse(res),
      getHeaderData: () => req.headers,
      getWorkflowStaticData: (type: string) => {
        if (type !== 'node') throw new Error('only node static data is faked');
        return (staticData[`node:${node.name}`] ??= {}) as IDataObject;
      },
    } as unknown as IWebhookFunctions;
    let result: IWebhookResponseData;
    try {
      result = await (nodeType.webhook as NonNullable<INodeType['webhook']>).call(context);
    } catch {
      res.statusCode = 500;
      res.end(
        JSON.stringify({ message: 'Workflow Webhook Error: Workflow could not be started!' }),
      );
      return;
    }
    if (result.noWebhookResponse) {
      if (!res.writableEnded) throw new Error('noWebhookResponse, but the node did not answer');
      savedStaticData = JSON.stringify(staticData);
      if (result.workflowData) runs.push(result.workflowData);
      return;
    }
    if (result.workflowData) runs.push(result.workflowData);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // The node's webhook path is its `path` parameter, a full path (isFullPath), as n8n resolves it.
  return {
    url: `http://127.0.0.1:${port}/webhook/${String(parameters.path)}`,
    runs,
    staticData: () => JSON.parse(savedStaticData) as IDataObject,
    async activate() {
      const methods = nodeType.webhookMethods?.default;
      if (!methods) return;
      const hooks = common as unknown as IHookFunctions;
      if (!(await methods.checkExists.call(hooks))) await methods.create.call(hooks);
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
