// The Fay Trigger reads the clock once per delivery: the staleness check and the duplicate check
// see the same instant, so a redelivery that passes the first at the edge of the tolerance still
// finds its record. A clock that moves between two readings of one delivery is what no real part
// produces on demand, so Date.now is scripted while the trigger's webhook() runs: the redelivery
// is verified 0.5 ms before its event turns stale, and time moves on 1.5 ms right after.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IWebhookFunctions } from 'n8n-workflow';
import { DEFAULT_WEBHOOK_TOLERANCE_SECONDS, signWebhook } from '../../src/core/index.ts';
import { FayTrigger } from '../../src/n8n/nodes/FayTrigger/FayTrigger.node.ts';
import { startWebhookHost } from './support/webhook-host.ts';

const SECRET = 'whsec_clock';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('Fay Trigger clock', () => {
  it('answers a redelivery verified at the edge of the tolerance as a duplicate', async () => {
    const trigger = new FayTrigger();
    const webhook = trigger.webhook;
    /** The clock for the next delivery: `before` until it is verified, `after` from then on. */
    let script: { before: number; after: number } | undefined;
    trigger.webhook = async function (this: IWebhookFunctions) {
      const clock = script;
      if (!clock) return webhook.call(this);
      let now = clock.before;
      vi.spyOn(Date, 'now').mockImplementation(() => now);
      // The trigger reads which events it wants once the event is verified: time passes there.
      const getNodeParameter = this.getNodeParameter.bind(this);
      const context = {
        ...this,
        getNodeParameter: (...args: Parameters<typeof getNodeParameter>) => {
          now = clock.after;
          return getNodeParameter(...args);
        },
      } as IWebhookFunctions;
      try {
        return await webhook.call(context);
      } finally {
        vi.restoreAllMocks();
      }
    };
    const host = await startWebhookHost(trigger, {
      credentials: { apiKey: 'fay_test_key', baseUrl: 'http://127.0.0.1:1', webhookSecret: SECRET },
    });
    try {
      const created = Math.floor(Date.now() / 1000) - 10;
      const body = JSON.stringify({
        id: 'evt_edge',
        type: 'Status',
        created,
        data: { request_id: '123e4567-e89b-42d3-a456-426614174000', status: 'PROCESSING' },
      });
      const post = async () => {
        const response = await fetch(host.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-fay-signature': signWebhook(body, SECRET),
          },
          body,
        });
        return (await response.json()) as Record<string, unknown>;
      };
      expect(await post()).toEqual({ received: true });

      const edgeMs = (created + DEFAULT_WEBHOOK_TOLERANCE_SECONDS) * 1000;
      script = { before: edgeMs - 0.5, after: edgeMs + 1 };
      expect(await post()).toMatchObject({ duplicate: true });
      expect(host.runs).toHaveLength(1);
    } finally {
      await host.close();
    }
  });
});
