// A small, faithful stand-in for n8n 2.41's `helpers.httpRequestWithAuthentication` (n8n-core
// request-helpers/authentication.ts + @n8n/backend-network's axios request), over real HTTP with
// fetch. What it keeps from n8n, because the node relies on it:
// - the request's abortSignal is REPLACED by the calling context's getExecutionCancelSignal();
// - the credential type's generic `authenticate` is applied ({{$credentials.x}} expressions);
// - HTTP error statuses throw unless ignoreHttpStatusErrors (true or { ignore, except });
// - the body is text for encoding 'text', else JSON-parsed when it parses (axios' default);
// - returnFullResponse gives { body, headers, statusCode, statusMessage };
// - every failure is rethrown as NodeApiError(node, original), the original in `cause`.
import type {
  ICredentialDataDecryptedObject,
  ICredentialType,
  IHttpRequestOptions,
  INode,
  JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

export interface HelperContext {
  getNode(): INode;
  getCredentials<T extends object = ICredentialDataDecryptedObject>(type: string): Promise<T>;
  getExecutionCancelSignal?(): AbortSignal | undefined;
}

/** Resolves n8n's `={{$credentials.name}}` expressions (the only kind our credential uses). */
export function resolveCredentialExpression(
  value: string,
  credentials: ICredentialDataDecryptedObject,
): string {
  if (!value.startsWith('=')) return value;
  return value
    .slice(1)
    .replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_, name: string) =>
      String(credentials[name] ?? ''),
    );
}

/** axios' combineURLs. */
function targetUrl(options: IHttpRequestOptions): string {
  if (!options.baseURL) return options.url;
  return `${options.baseURL.replace(/\/+$/, '')}/${options.url.replace(/^\/+/, '')}`;
}

function failsOn(status: number, options: IHttpRequestOptions): boolean {
  const ignore = options.ignoreHttpStatusErrors;
  if (typeof ignore === 'object' && ignore !== null) return ignore.except.includes(status);
  if (ignore === true) return false;
  return status < 200 || status >= 300;
}

function parseBody(text: string, options: IHttpRequestOptions): unknown {
  if (options.encoding === 'text') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The shape of an axios error for an HTTP status (what n8n's credential tester reads). */
function httpStatusError(status: number, statusText: string, data: unknown): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: 'AxiosError',
    response: { status, statusText, data },
  });
}

/** helpers.httpRequestWithAuthentication for these credential types; `this` is the calling context. */
export function httpRequestWithAuthenticationFor(credentialTypes: ICredentialType[]) {
  return async function httpRequestWithAuthentication(
    this: HelperContext,
    credentialsType: string,
    requestOptions: IHttpRequestOptions,
  ): Promise<unknown> {
    const options = { ...requestOptions };
    if ('getExecutionCancelSignal' in this && this.getExecutionCancelSignal) {
      options.abortSignal = this.getExecutionCancelSignal();
    }
    try {
      const credentialType = credentialTypes.find((type) => type.name === credentialsType);
      if (!credentialType) throw new Error(`Unknown credential type "${credentialsType}"`);
      const credentials = await this.getCredentials(credentialsType);
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {})) {
        headers[name] = String(value);
      }
      const authenticate = credentialType.authenticate;
      if (authenticate && typeof authenticate === 'object') {
        for (const [name, value] of Object.entries(authenticate.properties.headers ?? {})) {
          headers[name] = resolveCredentialExpression(String(value), credentials);
        }
      }
      const method = options.method ?? 'GET';
      const response = await fetch(targetUrl(options), {
        method,
        headers,
        body: method === 'GET' || options.body === undefined ? undefined : String(options.body),
        signal: (options.abortSignal as AbortSignal | undefined) ?? null,
      });
      const body = parseBody(await response.text(), options);
      if (failsOn(response.status, options)) {
        throw httpStatusError(response.status, response.statusText, body);
      }
      if (!options.returnFullResponse) return body;
      return {
        body,
        headers: Object.fromEntries(response.headers.entries()),
        statusCode: response.status,
        statusMessage: response.statusText,
      };
    } catch (error) {
      throw new NodeApiError(this.getNode(), error as JsonObject);
    }
  };
}
