// What every tool gets: the configuration, the one Fay client (one status budget for the whole
// server), the log of researches started here (listed as resources) and the logger.
import { FayClient } from '../core/index.js';
import { PACKAGE_VERSION } from '../core/internal.js';
import type { McpConfig } from './config.js';
import { MissingApiKeyError } from './errors.js';
import type { Logger } from './log.js';

export interface StartedResearch {
  requestId: string;
  prompt: string;
  createdAt: string | null;
}

/** Researches started through this server, newest last; the resource list shows them. */
export class ResearchLog {
  readonly #items = new Map<string, StartedResearch>();
  readonly #onAdd: () => void;

  constructor(onAdd: () => void) {
    this.#onAdd = onAdd;
  }

  add(research: StartedResearch): void {
    this.#items.set(research.requestId, research);
    this.#onAdd();
  }

  list(): StartedResearch[] {
    return [...this.#items.values()];
  }
}

export interface ToolContext {
  config: McpConfig;
  researches: ResearchLog;
  log: Logger;
  /** The Fay client; rejects with MissingApiKeyError when the server has no key. */
  client(): Promise<FayClient>;
}

/**
 * The client is built on first use, so a server without a key still starts and lists its tools.
 * Its options were validated at start (config.ts).
 */
export function lazyClient(config: McpConfig): () => Promise<FayClient> {
  let client: FayClient | undefined;
  return async () => {
    const { apiKey } = config;
    if (!apiKey) throw new MissingApiKeyError();
    client ??= fayClient(config, apiKey);
    return client;
  };
}

/** The server's Fay client for `apiKey`; throws FayValidationError for a key the core refuses. */
export function fayClient(config: McpConfig, apiKey: string): FayClient {
  return new FayClient({
    apiKey,
    baseUrl: config.baseUrl,
    allowInsecureHttp: config.allowInsecureHttp,
    statusCallsPerHour: config.statusCallsPerHour,
    userAgent: `fay-mcp/${PACKAGE_VERSION}`,
  });
}
