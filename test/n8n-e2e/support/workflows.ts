// A small builder for the workflow and credential JSON that `n8n import:*` reads, so each e2e
// case states only what it is about (nodes and their order), not n8n's file format.
import { randomBytes, randomUUID } from 'node:crypto';

/** Type names as n8n registers nodes loaded through N8N_CUSTOM_EXTENSIONS. */
export const FAY_NODE_TYPE = 'CUSTOM.fay';
export const FAY_TRIGGER_TYPE = 'CUSTOM.fayTrigger';
/** The node's type when n8n loads the package as an installed community package. */
export const FAY_PACKAGE_NODE_TYPE = 'n8n-nodes-fay.fay';
export const FAY_CREDENTIAL_TYPE = 'fayApi';

export interface N8nNode {
  id: string;
  name: string;
  type: string;
  typeVersion: number;
  position: [number, number];
  parameters: Record<string, unknown>;
  credentials?: Record<string, { id: string; name: string }>;
  webhookId?: string;
  onError?: 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
}

type Connection = { node: string; type: 'main'; index: number };

export interface N8nWorkflow {
  id: string;
  name: string;
  active: false;
  nodes: N8nNode[];
  connections: Record<string, { main: Connection[][] }>;
  settings: { executionOrder: 'v1' };
}

export interface N8nCredential {
  id: string;
  name: string;
  type: string;
  data: Record<string, string>;
}

/** n8n ids for workflows and credentials: 16 letters and digits. */
export function n8nId(label: string): string {
  if (!/^[a-zA-Z0-9]{1,16}$/.test(label))
    throw new Error(`id label "${label}": 1-16 letters/digits`);
  return label.padEnd(16, '0');
}

export function node(
  name: string,
  type: string,
  typeVersion: number,
  parameters: Record<string, unknown>,
  extra: Partial<Pick<N8nNode, 'credentials' | 'webhookId' | 'onError'>> = {},
): N8nNode {
  return { id: randomUUID(), name, type, typeVersion, position: [0, 0], parameters, ...extra };
}

/**
 * A workflow from chains of nodes: each chain is connected in order, and a node object that
 * appears in several chains (the trigger, usually) is one node that fans out.
 */
export function workflow(label: string, name: string, chains: N8nNode[][]): N8nWorkflow {
  const nodes: N8nNode[] = [];
  const connections: N8nWorkflow['connections'] = {};
  chains.forEach((chain, row) => {
    chain.forEach((current, column) => {
      if (!nodes.includes(current)) {
        current.position = [column * 250, row * 200];
        nodes.push(current);
      }
      const next = chain[column + 1];
      if (!next) return;
      const outputs = (connections[current.name] ??= { main: [[]] });
      outputs.main[0]?.push({ node: next.name, type: 'main', index: 0 });
    });
  });
  const names = nodes.map((n) => n.name);
  const duplicate = names.find((n, i) => names.indexOf(n) !== i);
  if (duplicate) throw new Error(`two different nodes are named "${duplicate}"`);
  return {
    id: n8nId(label),
    name,
    active: false,
    nodes,
    connections,
    settings: { executionOrder: 'v1' },
  };
}

// ---------------------------------------------------------------------------------------------
// n8n's own nodes used around the Fay nodes

export function manualTrigger(name = 'Start'): N8nNode {
  return node(name, 'n8n-nodes-base.manualTrigger', 1, {});
}

/** n8n's Webhook node: POST <path>, answered as soon as the execution is recorded. */
export function webhookNode(path: string, name = 'Webhook'): N8nNode {
  return node(
    name,
    'n8n-nodes-base.webhook',
    2,
    { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
    { webhookId: randomUUID() },
  );
}

/** Items from a list: a Set node makes `{ [field]: values }`, Split Out makes one item per value. */
export function itemsOf(field: string, values: string[]): [N8nNode, N8nNode] {
  return [
    node('List', 'n8n-nodes-base.set', 3.4, {
      mode: 'raw',
      jsonOutput: JSON.stringify({ [field]: values }),
    }),
    node('One item each', 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: field }),
  ];
}

/** POSTs each item's JSON to `url` (the test's receiver). */
export function postItemsTo(name: string, url: string): N8nNode {
  return node(name, 'n8n-nodes-base.httpRequest', 4.2, {
    method: 'POST',
    url,
    sendBody: true,
    specifyBody: 'json',
    jsonBody: '={{ JSON.stringify($json) }}',
    options: {},
  });
}

// ---------------------------------------------------------------------------------------------
// Fay

export function fayCredential(
  label: string,
  data: { apiKey: string; baseUrl: string; webhookSecret?: string },
): N8nCredential {
  return {
    id: n8nId(label),
    name: `Fay ${label}`,
    type: FAY_CREDENTIAL_TYPE,
    data: { webhookSecret: '', ...data },
  };
}

function uses(credential: N8nCredential): N8nNode['credentials'] {
  return { [FAY_CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } };
}

export type FayParameters =
  | {
      operation: 'create';
      prompt: string;
      structuredOutput?: boolean;
      outputSchema?: string;
      waitForCompletion?: boolean;
      maxWaitSeconds?: number;
    }
  | { operation: 'getStatus' | 'getOutput' | 'stop'; requestId: string };

export function fay(
  name: string,
  credential: N8nCredential,
  parameters: FayParameters,
  options: { continueOnFail?: boolean; concurrency?: number; type?: string } = {},
): N8nNode {
  const settings = options.concurrency === undefined ? {} : { concurrency: options.concurrency };
  return node(
    name,
    options.type ?? FAY_NODE_TYPE,
    1,
    { resource: 'research', ...parameters, options: settings },
    {
      credentials: uses(credential),
      ...(options.continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
    },
  );
}

export function fayTrigger(
  name: string,
  credential: N8nCredential,
  parameters: { path: string; events?: Array<'Status' | 'Output' | 'Error'> },
): N8nNode {
  return node(name, FAY_TRIGGER_TYPE, 1, parameters, {
    credentials: uses(credential),
    webhookId: randomUUID(),
  });
}

/** An Output event as Fay sends it (snake_case data, unix-seconds `created`), with a fresh id. */
export function outputEvent(overrides: { created?: number } = {}) {
  const id = randomBytes(12).toString('hex');
  return {
    id: `evt_e2e_${id}`,
    type: 'Output' as const,
    created: overrides.created ?? Math.floor(Date.now() / 1000),
    data: {
      request_id: `00000000-0000-4000-8000-${id.slice(0, 12)}`,
      conversation_id: `conv_${id}`,
      status: 'COMPLETED',
      output: '# Research: e2e\n\nAn answer.',
      completed_at: new Date().toISOString(),
    },
  };
}
