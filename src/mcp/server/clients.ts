// The two ways a server gets its Fay client: built lazily from the server's own key, or built
// for a key a caller sent (HTTP without FAY_API_KEY).
import { FayClient, type Sleep } from '../../core/index.js';
import { PACKAGE_VERSION } from '../../core/internal.js';
import { MissingApiKeyError, type McpConfig } from '../config/index.js';

/**
 * The client is built on first use, so a server without a key still starts and lists its tools.
 * Its options were validated at start (config/mcp.ts).
 */
export function lazyClient(config: McpConfig, sleep?: Sleep): () => Promise<FayClient> {
  let client: FayClient | undefined;
  return async () => {
    const { apiKey } = config;
    if (!apiKey) throw new MissingApiKeyError();
    client ??= fayClient(config, apiKey, sleep);
    return client;
  };
}

/** The server's Fay client for `apiKey`; throws FayValidationError for a key the core refuses. */
export function fayClient(config: McpConfig, apiKey: string, sleep?: Sleep): FayClient {
  return new FayClient({
    apiKey,
    baseUrl: config.baseUrl,
    allowInsecureHttp: config.allowInsecureHttp,
    statusCallsPerHour: config.statusCallsPerHour,
    userAgent: `fay-mcp/${PACKAGE_VERSION}`,
    // A call answers within its window: a longer Retry-After is said at once, not slept on.
    maxRetryAfterMs: config.callWindowMs,
    ...(sleep ? { sleep } : {}),
  });
}
