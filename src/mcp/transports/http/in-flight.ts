// The calls in flight: a cap (503 past it) and the drain on shutdown (503 to new requests, the
// waits in flight told to answer now, then wait until every request in flight has answered).
import type { ServerResponse } from 'node:http';
import { Refusal } from './refusal.js';

export class InFlight {
  readonly #max: number;
  readonly #shutdown = new AbortController();
  #count = 0;
  #onIdle = () => {};

  constructor(max: number) {
    this.#max = max;
  }

  get draining(): boolean {
    return this.#shutdown.signal.aborted;
  }

  /** Aborted when the drain starts: every wait in flight answers at once (research/follow.ts). */
  get shutdown(): AbortSignal {
    return this.#shutdown.signal;
  }

  /** Throws the Refusal for `calls` more calls: the server drains, is full, or they never fit. */
  admit(calls: number): void {
    if (this.draining) {
      throw new Refusal(503, 'The server is shutting down; retry (another replica will answer).', {
        'retry-after': '1',
        connection: 'close',
      });
    }
    if (calls > this.#max) {
      throw new Refusal(
        400,
        `A batch of ${calls} calls is more than FAY_MCP_MAX_CALLS_IN_FLIGHT (${this.#max}) allows at once: send fewer calls per POST.`,
      );
    }
    if (this.#count + calls > this.#max) {
      throw new Refusal(
        503,
        `The server is busy: ${this.#max} requests in flight (FAY_MCP_MAX_CALLS_IN_FLIGHT). Retry in a second.`,
        { 'retry-after': '1' },
      );
    }
  }

  /** Admits `calls` (or throws) and counts them in flight until `res` closes; `onClose` runs then. */
  enter(res: ServerResponse, calls: number, onClose: () => void): void {
    this.admit(calls);
    this.#count += calls;
    res.on('close', () => {
      this.#count -= calls;
      onClose();
      if (this.#count === 0) this.#onIdle();
    });
  }

  /** Admits nothing more and aborts `shutdown`; resolves once nothing is in flight. */
  drain(): Promise<void> {
    const idle = new Promise<void>((resolve) => {
      this.#onIdle = resolve;
      if (this.#count === 0) resolve();
    });
    this.#shutdown.abort();
    return idle;
  }
}
