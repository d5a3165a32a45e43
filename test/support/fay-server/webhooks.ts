// Signed webhook delivery with retries, as Fay sends it: POST JSON, X-Fay-Signature, 5 s to answer.
import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import type { WebhookDelivery, WebhookEvent, WebhookOptions } from './types.ts';

const DEFAULT_RETRY_DELAYS_MS = [100, 200, 400];
const DEFAULT_TIMEOUT_MS = 5000;

// Not `signWebhook` from src/core: src imports use `.js` extensions, which plain `node
// test/support/fay-server-cli.ts` (type stripping) cannot resolve to `.ts` files. The server tests
// check that this signature and the core's signWebhook/verifyWebhook agree.
export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export function newEventId(): string {
  return `evt_${randomBytes(12).toString('hex')}`;
}

type Waiter = {
  predicate: (delivery: WebhookDelivery) => boolean;
  resolve: (delivery: WebhookDelivery) => void;
};

export class WebhookSender {
  readonly deliveries: WebhookDelivery[] = [];
  private readonly options: WebhookOptions;
  private readonly stopAll = new AbortController();
  private waiters: Waiter[] = [];

  constructor(options: WebhookOptions) {
    this.options = options;
  }

  wants(type: WebhookEvent['type']): boolean {
    return this.options.events?.includes(type) ?? true;
  }

  /** Signs and posts the event, retrying non-2xx answers and network failures with backoff. */
  async send(event: WebhookEvent): Promise<WebhookDelivery> {
    const body = JSON.stringify(event);
    const delivery: WebhookDelivery = {
      event,
      body,
      signature: signBody(body, this.options.secret),
      url: this.options.url,
      attempts: [],
      outcome: 'pending',
    };
    this.deliveries.push(delivery);
    const retryDelays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt += 1) {
      const result = await this.post(delivery);
      delivery.attempts.push({ result, at: Date.now() });
      if (typeof result === 'number' && result >= 200 && result < 300) {
        delivery.outcome = 'delivered';
        break;
      }
      const wait = retryDelays[attempt];
      if (wait === undefined || this.stopAll.signal.aborted) {
        delivery.outcome = 'failed';
        break;
      }
      try {
        await delay(wait, undefined, { signal: this.stopAll.signal });
      } catch {
        delivery.outcome = 'failed';
        break;
      }
    }
    this.settle(delivery);
    return delivery;
  }

  /** Resolves with the first finished delivery matching `predicate`, existing or future. */
  waitFor(
    predicate: (delivery: WebhookDelivery) => boolean = () => true,
    timeoutMs = 10_000,
  ): Promise<WebhookDelivery> {
    const done = this.deliveries.find((d) => d.outcome !== 'pending' && predicate(d));
    if (done) return Promise.resolve(done);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching webhook delivery within ${timeoutMs} ms`));
      }, timeoutMs);
      const waiter: Waiter = {
        predicate,
        resolve: (delivery) => {
          clearTimeout(timer);
          resolve(delivery);
        },
      };
      this.waiters.push(waiter);
    });
  }

  close(): void {
    this.stopAll.abort();
  }

  private settle(delivery: WebhookDelivery): void {
    const matched = this.waiters.filter((w) => w.predicate(delivery));
    this.waiters = this.waiters.filter((w) => !matched.includes(w));
    for (const waiter of matched) waiter.resolve(delivery);
  }

  /** One attempt: the receiver's HTTP status, or the network error's code. */
  private post(delivery: WebhookDelivery): Promise<number | string> {
    const url = new URL(delivery.url);
    const transport = url.protocol === 'https:' ? https : http;
    // Own timer (cleared when the attempt ends) rather than AbortSignal.timeout, so none lingers.
    const attempt = new AbortController();
    const onClose = () => attempt.abort();
    this.stopAll.signal.addEventListener('abort', onClose, { once: true });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort();
    }, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const settled = (result: number | string) => {
      clearTimeout(timer);
      this.stopAll.signal.removeEventListener('abort', onClose);
      return result;
    };
    const signal = attempt.signal;
    return new Promise<number | string>((resolve) => {
      const request = transport.request(
        url,
        {
          method: 'POST',
          agent: false, // no keep-alive: nothing lingers after close()
          signal,
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(delivery.body),
            'user-agent': 'Fay-Webhooks/1.0',
            'x-fay-signature': delivery.signature,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
          response.on('error', (error: NodeJS.ErrnoException) =>
            resolve(error.code ?? error.message),
          );
        },
      );
      request.on('error', (error: NodeJS.ErrnoException) =>
        resolve(timedOut ? 'TIMEOUT' : signal.aborted ? 'CLOSED' : (error.code ?? error.message)),
      );
      request.end(delivery.body);
    }).then(settled);
  }
}
