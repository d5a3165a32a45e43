// Client ID Metadata Documents: a client_id that is an https URL names a JSON document, served by
// the client, that lists its name and redirect URIs. Fetching a URL chosen by whoever opens the
// authorization page is a server-side request forgery risk, so the fetch is fenced:
// - https only (http only for a loopback host, and only with the tests' opt-in);
// - the name is resolved here and EVERY address checked (no loopback, private, link-local, CGNAT,
//   metadata, ULA, mapped...), then the connection is pinned to the checked address (the lookup
//   handed to node:https returns it), so a second resolution cannot swap it;
// - at most 16 KiB, at most 5 s, redirects not followed, no proxy;
// - answers cached (bounded, honouring max-age up to an hour), concurrent fetches shared.
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { OAuthClientMetadataSchema } from '@modelcontextprotocol/sdk/shared/auth.js';
import { isLoopbackHost } from '../../../core/internal.js';
import { isPublicAddress } from './addresses.js';
import { redirectUriProblem, type OAuthClient } from './clients.js';
import { readLimited } from '../read-limited.js';

const METADATA_MAX_BYTES = 16 * 1024;
const METADATA_TIMEOUT_MS = 5_000;
const DEFAULT_CACHE_SECONDS = 300;
const MAX_CACHE_SECONDS = 3_600;
const MAX_CACHED = 256;
const MAX_NAME_LENGTH = 100;

/** A document that cannot be used, with words for the page that says so. */
export class ClientMetadataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClientMetadataError';
  }
}

export interface ClientMetadataOptions {
  /** Tests only: loopback and private addresses allowed, and http:// for a loopback host. */
  allowPrivate: boolean;
  /** Epoch milliseconds (for the cache). */
  now?: () => number;
  /** Name resolution; tests pin a name to an address. */
  resolve?: (hostname: string) => Promise<Array<{ address: string; family: number }>>;
}

/** Is `clientId` meant as a metadata document URL (rather than a registered client's id)? */
export function isClientMetadataUrl(clientId: string): boolean {
  return /^https?:\/\//i.test(clientId);
}

function urlProblem(clientId: string, allowPrivate: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    return 'is not a URL';
  }
  if (url.protocol === 'http:' && !(allowPrivate && isLoopbackHost(url.hostname))) {
    return 'must be an https:// URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https:// URL';
  if (url.username || url.password) return 'must not contain credentials';
  if (clientId.includes('#')) return 'must not have a fragment';
  if (url.pathname === '/' || url.pathname === '') return 'must have a path';
  if (/\/\.{1,2}(\/|$)/.test(clientId.split('?')[0]!)) return 'must not contain . or .. segments';
  if (clientId.length > 2048) return 'is too long';
  return undefined;
}

interface Address {
  address: string;
  family: number;
}

async function vettedAddresses(
  hostname: string,
  options: ClientMetadataOptions,
): Promise<Address[]> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  const resolved = isIP(literal)
    ? [{ address: literal, family: isIP(literal) }]
    : await (options.resolve ?? ((name) => dnsLookup(name, { all: true, verbatim: true })))(
        hostname,
      ).catch(() => {
        throw new ClientMetadataError(`the name ${hostname} does not resolve`);
      });
  if (resolved.length === 0) throw new ClientMetadataError(`the name ${hostname} does not resolve`);
  if (!options.allowPrivate) {
    const refused = resolved.find((entry) => !isPublicAddress(entry.address));
    if (refused) {
      throw new ClientMetadataError(
        `${hostname} resolves to ${refused.address}, which is not a public address (loopback, ` +
          'private, link-local and metadata addresses are refused)',
      );
    }
  }
  return resolved;
}

/**
 * A lookup that answers with the addresses already checked, and nothing else: all of them when
 * Node asks for all (it then tries each, as for any name), else the first.
 */
function pinned(addresses: Address[]): LookupFunction {
  return ((
    _hostname: string,
    options: { all?: boolean },
    callback: (error: null, address: unknown, family?: number) => void,
  ) => {
    if (options?.all) callback(null, addresses);
    else callback(null, addresses[0]!.address, addresses[0]!.family);
  }) as LookupFunction;
}

function readDocument(response: IncomingMessage): Promise<string> {
  return readLimited(response, {
    bytes: METADATA_MAX_BYTES,
    tooLarge: () =>
      new ClientMetadataError(`the document is larger than ${METADATA_MAX_BYTES} bytes`),
    cutOff: () => new ClientMetadataError('the connection ended before the whole document came'),
    drop: 'destroy',
  });
}

function cacheSeconds(response: IncomingMessage): number {
  const control = String(response.headers['cache-control'] ?? '').toLowerCase();
  if (/\b(no-store|no-cache)\b/.test(control)) return 0;
  const maxAge = /\bmax-age=(\d+)/.exec(control)?.[1];
  return maxAge === undefined ? DEFAULT_CACHE_SECONDS : Math.min(Number(maxAge), MAX_CACHE_SECONDS);
}

async function download(url: URL, options: ClientMetadataOptions): Promise<IncomingMessage> {
  const signal = AbortSignal.timeout(METADATA_TIMEOUT_MS);
  const timedOut = new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () =>
      reject(new ClientMetadataError(`no answer within ${METADATA_TIMEOUT_MS / 1000} s`)),
    ),
  );
  timedOut.catch(() => {});
  const addresses = await Promise.race([vettedAddresses(url.hostname, options), timedOut]);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    const outgoing = request(url, {
      method: 'GET',
      headers: { accept: 'application/json', 'user-agent': 'fay-mcp (client metadata)' },
      lookup: pinned(addresses),
      agent: false,
      signal,
    });
    outgoing.on('response', resolve);
    outgoing.on('error', (error) =>
      reject(
        error instanceof ClientMetadataError
          ? error
          : new ClientMetadataError(
              signal.aborted
                ? `no answer within ${METADATA_TIMEOUT_MS / 1000} s`
                : `cannot fetch it (${error.message})`,
            ),
      ),
    );
    outgoing.end();
  });
  return Promise.race([response, timedOut]);
}

function parseDocument(clientId: string, text: string): OAuthClient {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ClientMetadataError('the document is not JSON');
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new ClientMetadataError('the document is not a JSON object');
  }
  const fields = json as Record<string, unknown>;
  if (fields.client_id !== clientId) {
    throw new ClientMetadataError(
      'its client_id does not equal the URL it was fetched from (it must, exactly)',
    );
  }
  if ('client_secret' in fields || 'client_secret_expires_at' in fields) {
    throw new ClientMetadataError('it contains a client secret, which a public document must not');
  }
  const parsed = OAuthClientMetadataSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ClientMetadataError(
      `it is not valid client metadata (${issue?.path.join('.') || 'document'}: ${issue?.message})`,
    );
  }
  const metadata = parsed.data;
  const method = metadata.token_endpoint_auth_method ?? 'none';
  if (method !== 'none') {
    throw new ClientMetadataError(
      `its token_endpoint_auth_method is ${method}; this server takes public clients only ("none")`,
    );
  }
  for (const uri of metadata.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw new ClientMetadataError(`its redirect URI ${uri} ${problem}`);
  }
  return {
    clientId,
    name: metadata.client_name?.slice(0, MAX_NAME_LENGTH),
    redirectUris: metadata.redirect_uris,
    kind: 'document',
  };
}

/** Fetches (or takes from the cache) the client behind a metadata document URL. */
export class ClientMetadataFetcher {
  readonly #options: ClientMetadataOptions;
  readonly #now: () => number;
  readonly #cache = new Map<string, { client: OAuthClient; until: number }>();
  readonly #pending = new Map<string, Promise<OAuthClient>>();

  constructor(options: ClientMetadataOptions) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  /** The client, or ClientMetadataError saying what is wrong with the URL or its document. */
  async client(clientId: string): Promise<OAuthClient> {
    const problem = urlProblem(clientId, this.#options.allowPrivate);
    if (problem) throw new ClientMetadataError(`the client_id URL ${problem}`);
    const cached = this.#cache.get(clientId);
    if (cached && cached.until > this.#now()) return cached.client;
    this.#cache.delete(clientId);
    let pending = this.#pending.get(clientId);
    if (!pending) {
      pending = this.#fetch(clientId).finally(() => this.#pending.delete(clientId));
      this.#pending.set(clientId, pending);
    }
    return pending;
  }

  async #fetch(clientId: string): Promise<OAuthClient> {
    const response = await download(new URL(clientId), this.#options);
    const status = response.statusCode ?? 0;
    if (status !== 200) {
      response.destroy();
      throw new ClientMetadataError(
        status >= 300 && status < 400
          ? `it answered a redirect (${status}), and redirects are not followed`
          : `it answered HTTP ${status}`,
      );
    }
    const client = parseDocument(clientId, await readDocument(response));
    const seconds = cacheSeconds(response);
    if (seconds > 0) {
      if (this.#cache.size >= MAX_CACHED) {
        this.#cache.delete(this.#cache.keys().next().value!);
      }
      this.#cache.set(clientId, { client, until: this.#now() + seconds * 1000 });
    }
    return client;
  }
}
