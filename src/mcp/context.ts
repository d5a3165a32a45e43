// What every tool gets: the configuration, the one Fay client (one status budget for the whole
// server), the log of researches started here (listed as resources) and the logger.
import type { FayClient } from '../core/index.js';
import { PACKAGE_VERSION } from '../core/version.js';
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
 * The client is built on first use: MCP clients spawn the server just to list its tools, and the
 * HTTP client stack is not needed for that (cold start). Its options were validated at start.
 */
export function lazyClient(config: McpConfig): () => Promise<FayClient> {
  let client: Promise<FayClient> | undefined;
  return () => {
    const { apiKey } = config;
    if (!apiKey) return Promise.reject(new MissingApiKeyError());
    client ??= import('../core/client.js').then(
      ({ FayClient }) =>
        new FayClient({
          apiKey,
          baseUrl: config.baseUrl,
          statusCallsPerHour: config.statusCallsPerHour,
          userAgent: `fay-mcp/${PACKAGE_VERSION}`,
        }),
    );
    return client;
  };
}
