// n8n 2.41's credential test for a declarative `test` (cli CredentialsTester + core RoutingNode):
// the request's `={{$credentials.x}}` expressions are resolved, it is sent through
// httpRequestWithAuthentication with returnFullResponse, a thrown HTTP error is judged by the
// `responseCode` rules and then "non-2xx = failure", and a returned answer by the
// `responseSuccessBody` rules (lodash-style `get` on the body).
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IHttpRequestOptions,
  INode,
  INodeCredentialTestResult,
} from 'n8n-workflow';
import { httpRequestWithAuthenticationFor, resolveCredentialExpression } from './n8n-http.ts';
import { valueAt } from './node-fixture.ts';

interface ThrownRequest {
  cause?: { response?: { status: number; statusText: string }; code?: string };
  message: string;
}

export async function testCredential(
  type: ICredentialType,
  credentials: ICredentialDataDecryptedObject,
): Promise<INodeCredentialTestResult> {
  const test = type.test;
  if (!test) throw new Error(`${type.name} has no credential test`);
  const request = Object.fromEntries(
    Object.entries(test.request).map(([key, value]) => [
      key,
      typeof value === 'string' ? resolveCredentialExpression(value, credentials) : value,
    ]),
  ) as unknown as IHttpRequestOptions;
  const node: INode = {
    id: 'temp',
    name: 'Temp-Node',
    type: 'n8n-nodes-base.noOp',
    typeVersion: 1,
    position: [0, 0],
    parameters: {},
  };
  const context = {
    getNode: () => node,
    getCredentials: async <T extends object>() => credentials as unknown as T,
  };
  const send = httpRequestWithAuthenticationFor([type]);
  let response: { body: unknown };
  try {
    response = (await send.call(context, type.name, {
      ...request,
      returnFullResponse: true,
    })) as { body: unknown };
  } catch (thrown) {
    const error = thrown as ThrownRequest;
    const status = error.cause?.response?.status;
    if (status !== undefined) {
      for (const rule of test.rules ?? []) {
        if (rule.type === 'responseCode' && rule.properties.value === status) {
          return { status: 'Error', message: rule.properties.message };
        }
      }
      if (status < 199 || status > 299) {
        return {
          status: 'Error',
          message: error.cause?.response?.statusText || `Received HTTP status code: ${status}`,
        };
      }
    } else if (error.cause?.code) {
      return { status: 'Error', message: error.cause.code };
    }
    return { status: 'Error', message: error.message };
  }
  const json = Array.isArray(response.body) ? (response.body[0] as unknown) : response.body;
  for (const rule of test.rules ?? []) {
    if (
      rule.type === 'responseSuccessBody' &&
      valueAt(json, rule.properties.key) === rule.properties.value
    ) {
      return { status: 'Error', message: rule.properties.message };
    }
  }
  return { status: 'OK', message: 'Connection successful!' };
}
