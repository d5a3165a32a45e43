// What the fake n8n contexts share: the node as a workflow would hold it, its parameters with the
// node type's defaults (n8n fills them in when a workflow is loaded), and the Fay API credential.
import type { ICredentialDataDecryptedObject, INode, INodeType } from 'n8n-workflow';

export interface FayCredentials {
  apiKey: string;
  baseUrl: string;
  webhookSecret?: string;
}

/** lodash-style get: 'options.concurrency', 'error.code'. */
export function valueAt(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => {
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)[key]
      : undefined;
  }, source);
}

export function parameterDefaults(nodeType: INodeType): Record<string, unknown> {
  return Object.fromEntries(
    nodeType.description.properties.map((property) => [property.name, property.default]),
  );
}

export function fakeNode(nodeType: INodeType, extra: Partial<INode> = {}): INode {
  return {
    id: `${nodeType.description.name}-1`,
    name: nodeType.description.defaults.name ?? nodeType.description.displayName,
    type: `CUSTOM.${nodeType.description.name}`,
    typeVersion: 1,
    position: [0, 0],
    parameters: {},
    ...extra,
  };
}

/** getCredentials of a node whose only credential is this Fay API one. */
export function credentialsGetter(credentials: FayCredentials) {
  return async <T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T> => {
    if (type !== 'fayApi') throw new Error(`Node has no credentials of type "${type}"`);
    return { ...credentials } as unknown as T;
  };
}
