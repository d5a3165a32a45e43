// What every tool, task method and resource runs with, declared here at the lowest floor that
// uses it (the research steps take it too); the server builds it (server/create-server.ts). It
// also holds the one piece of state a server keeps: the researches started through it.
import type {
  LoggingLevel,
  ServerNotification,
  ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { FayClient } from '../../core/index.js';
import type { McpConfig } from '../config/index.js';

/** What the SDK hands a tool handler besides its arguments (signal, progress token, …). */
export type ToolExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface Logger {
  log(level: LoggingLevel, message: string): void;
}

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
  /** The sentence a user or assistant reads for `error` (server/errors.ts). */
  describe(error: unknown): string;
  /** Interval of progress notifications while a call waits for Fay. */
  heartbeatMs: number;
  /** The clock, in epoch milliseconds. */
  now(): number;
  /**
   * Aborted when the server shuts down: every wait in flight (fay_research, tasks/result) then
   * answers at once, as when its window ends.
   */
  shutdown: AbortSignal;
}
