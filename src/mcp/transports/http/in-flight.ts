// The requests in flight: a cap (503 past it) and the drain on shutdown (503 to new requests,
// then wait until those in flight have answered).
import type { ServerResponse } from 'node:http';
import { Refusal } from './refusal.js';

export class InFlight {
  readonly #max: number;
  #count = 0;
  #draining = false;
  #onIdle = () => {};

  constructor(max: number) {
    this.#max = max;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /** Throws the 503 a request gets while the server drains or is full. */
  admit(): void {
    if (this.#draining) {
      throw new Refusal(503, 'The server is shutting down; retry (another replica will answer).', {
        'retry-after': '1',
        connection: 'close',
      });
    }
    if (this.#count >= this.#max) {
      throw new Refusal(
        503,
        `The server is busy: ${this.#max} requests in flight (FAY_MCP_MAX_CALLS_IN_FLIGHT). Retry in a second.`,
        { 'retry-after': '1' },
      );
    }
  }

  /** Counts `res` in flight until it closes; `onClose` runs then. */
  track(res: ServerResponse, onClose: () => void): void {
    this.#count += 1;
    res.on('close', () => {
      this.#count -= 1;
      onClose();
      if (this.#count === 0) this.#onIdle();
    });
  }

  /** Admits nothing more; resolves once nothing is in flight. */
  drain(): Promise<void> {
    this.#draining = true;
    return new Promise((resolve) => {
      this.#onIdle = resolve;
      if (this.#count === 0) resolve();
    });
  }
}
