// The core client's host in n8n: every Fay request goes through n8n's authenticated request helper
// (so the credential, n8n's proxy settings and request handling apply), and every pause, timeout
// and retry through n8n-workflow's cancellable sleep, the only timer a verified community node
// may use (no setTimeout, no p-retry). Built per execution; nothing outlives it.
import type {
  IExecuteFunctions,
  IHttpRequestOptions,
  IN8nHttpFullResponse,
  ICredentialDataDecryptedObject,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';
import {
  FayClient,
  retryInTurn,
  type FayHost,
  type Transport,
  type TransportResponse,
} from '../../../core/portable.js';
import { PACKAGE_VERSION, redactError, redactText } from '../../../core/internal.js';
import { withRequestSignal } from './request-signal.js';

export const CREDENTIAL_TYPE = 'fayApi';

/**
 * The core redacts the key it sends, but here n8n's helper sends it and the core has none: so a
 * proxy page or an error echoing the Authorization header (n8n's error holds the request, headers
 * included) is scrubbed before the core sees it, with the core's own redaction.
 */
function keyOf(apiKey: unknown): string | undefined {
  const key = typeof apiKey === 'string' ? apiKey.trim() : '';
  return key === '' ? undefined : key;
}

function headerReader(headers: unknown): TransportResponse['headers'] {
  const record = (typeof headers === 'object' && headers !== null ? headers : {}) as Record<
    string,
    unknown
  >;
  return {
    get(name) {
      const wanted = name.toLowerCase();
      const key = Object.keys(record).find((k) => k.toLowerCase() === wanted);
      const value = key === undefined ? undefined : record[key];
      if (value === undefined || value === null) return null;
      return Array.isArray(value) ? value.join(', ') : String(value);
    },
  };
}

/** The body as text whatever n8n handed back (text is asked for; Buffers and parsed JSON are tolerated). */
function bodyText(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (body instanceof Uint8Array) return new TextDecoder().decode(body);
  if (body instanceof ArrayBuffer) return new TextDecoder().decode(new Uint8Array(body));
  return JSON.stringify(body);
}

function createN8nTransport(fn: IExecuteFunctions, apiKey?: unknown): Transport {
  const key = keyOf(apiKey);
  return async (req) => {
    const options: IHttpRequestOptions = {
      method: req.method,
      url: req.url,
      headers: req.headers,
      body: req.body,
      abortSignal: req.signal,
      returnFullResponse: true,
      // HTTP error statuses are answers for the core to map, not exceptions; so are redirects,
      // which the core refuses rather than send the key and prompt where they point.
      ignoreHttpStatusErrors: true,
      disableFollowRedirect: true,
      json: false,
      // Raw text: the core parses and validates the JSON itself.
      encoding: 'text',
    };
    // Network failures come as n8n's NodeApiError, whose `cause` (the axios error) carries the
    // Node code (ECONNREFUSED…).
    let response: IN8nHttpFullResponse;
    try {
      response = (await fn.helpers.httpRequestWithAuthentication.call(
        withRequestSignal(fn, req.signal),
        CREDENTIAL_TYPE,
        options,
      )) as IN8nHttpFullResponse;
    } catch (error) {
      throw redactError(error, key);
    }
    return {
      status: response.statusCode,
      headers: headerReader(response.headers),
      body: redactText(bodyText(response.body), key),
    };
  };
}

/** The client's host in n8n: the core's retry policy runs in turn on n8n-workflow's sleep. */
const N8N_HOST: FayHost = { sleep, timer: sleep, retry: retryInTurn };

/**
 * One client per execution: no key (n8n's helper authenticates; the transport only scrubs it from
 * answers and errors), the credential's base URL, n8n as its host.
 */
export async function createFayClient(fn: IExecuteFunctions): Promise<FayClient> {
  const credentials = await fn.getCredentials<ICredentialDataDecryptedObject>(CREDENTIAL_TYPE);
  const baseUrl = typeof credentials.baseUrl === 'string' ? credentials.baseUrl : '';
  return new FayClient(
    {
      baseUrl: baseUrl.trim() === '' ? undefined : baseUrl,
      transport: createN8nTransport(fn, credentials.apiKey),
      userAgent: `n8n-nodes-fay/${PACKAGE_VERSION}`,
    },
    N8N_HOST,
  );
}
