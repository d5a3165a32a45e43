// The Fay Trigger's webhook() behind a stand-in for n8n's webhook server (real HTTP), fed by the
// local Fay server's signed deliveries (real jobs, or events sent on demand) and by forged posts.
import { describe, expect, it, type TestContext } from 'vitest';
import { NodeOperationError } from 'n8n-workflow';
import { signWebhook } from '../../src/core/index.ts';
import { FayTrigger } from '../../src/n8n/nodes/FayTrigger/FayTrigger.node.ts';
import { startFayServer } from '../support/fay-server.ts';
import type { FayServer, WebhookEvent } from '../support/fay-server.ts';
import { startWebhookHost, type WebhookHost } from './support/webhook-host.ts';

const KEY = 'fay_test_key';
const SECRET = 'whsec_current';
const REQUEST_ID = '123e4567-e89b-42d3-a456-426614174000';

interface Setup {
  /** The credential's Webhook Secret; default SECRET. */
  credentialSecret?: string;
  /** The secret Fay signs with; default SECRET. */
  faySecret?: string;
  events?: string[];
}

async function setup(
  test: TestContext,
  options: Setup = {},
): Promise<{ host: WebhookHost; fay: FayServer }> {
  const host = await startWebhookHost(new FayTrigger(), {
    credentials: {
      apiKey: KEY,
      baseUrl: 'http://127.0.0.1:1',
      webhookSecret: options.credentialSecret ?? SECRET,
    },
    parameters: options.events ? { events: options.events } : {},
  });
  const fay = await startFayServer({
    jobDurationMs: 100,
    webhook: { url: host.url, secret: options.faySecret ?? SECRET },
  });
  test.onTestFinished(async () => {
    await fay.close();
    await host.close();
  });
  return { host, fay };
}

const statusData = {
  request_id: REQUEST_ID,
  status: 'PROCESSING',
  prompt: 'q',
  structured_output: false,
  output_schema: null,
  conversation_id: 'conv_1',
  created_at: '2025-01-01T00:00:00+00:00',
  started_at: '2025-01-01T00:00:01+00:00',
  completed_at: null,
  error_message: null,
  metadata: {},
};

const outputData = {
  request_id: REQUEST_ID,
  conversation_id: 'conv_1',
  status: 'COMPLETED',
  output: '# Answer',
  completed_at: null,
};

function event(overrides: Partial<WebhookEvent> = {}): WebhookEvent {
  return {
    id: 'evt_1',
    type: 'Status',
    created: Math.floor(Date.now() / 1000),
    data: statusData,
    ...overrides,
  };
}

async function post(host: WebhookHost, body: string, signature?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== undefined) headers['x-fay-signature'] = signature;
  const response = await fetch(host.url, { method: 'POST', headers, body });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe.concurrent('Fay Trigger', () => {
  it("starts the workflow with each signed event of a real job, Fay's Output included", async (test) => {
    const { host, fay } = await setup(test);
    await host.activate();
    const created = await fetch(`${fay.url}/api/v1/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Webhook question' }),
    });
    const { data } = (await created.json()) as { data: { request_id: string } };
    const delivery = await fay.waitForDelivery((d) => d.event.type === 'Output');

    expect(delivery.outcome).toBe('delivered');
    expect(delivery.attempts.map((a) => a.result)).toEqual([200]);
    for (const run of host.runs) expect(run).toEqual([[{ json: expect.any(Object) }]]);
    const emitted = host.runs.map((run) => run[0][0].json);
    expect(emitted.find((e) => e.type === 'Output')).toEqual({
      id: delivery.event.id,
      type: 'Output',
      created: delivery.event.created,
      data: {
        requestId: data.request_id,
        conversationId: expect.any(String),
        status: 'COMPLETED',
        output: expect.stringContaining('Webhook question'),
        completedAt: expect.any(String),
      },
    });
  });

  it('refuses forged, unsigned, re-serialised and stale events with 401, starting nothing', async (test) => {
    const { host, fay } = await setup(test);
    const body = JSON.stringify(event());

    const forged = await post(host, body, signWebhook(body, 'not-the-secret'));
    expect(forged).toEqual({
      status: 401,
      body: { error: expect.any(String), code: 'WEBHOOK_INVALID_SIGNATURE' },
    });
    expect((await post(host, body)).status).toBe(401);
    const reformatted = JSON.stringify(JSON.parse(body), null, 2);
    expect((await post(host, reformatted, signWebhook(body, SECRET))).status).toBe(401);
    const notAnEvent = JSON.stringify({ hello: 'world' });
    expect(await post(host, notAnEvent, signWebhook(notAnEvent, SECRET))).toMatchObject({
      status: 400,
      body: { code: 'WEBHOOK_INVALID_EVENT' },
    });

    const stale = await fay.deliverWebhook(
      event({ id: 'evt_old', created: Math.floor(Date.now() / 1000) - 3600 }),
    );
    expect(stale.outcome).toBe('failed');
    expect(new Set(stale.attempts.map((a) => a.result))).toEqual(new Set([401]));
    expect(host.runs).toEqual([]);
  });

  it('answers with its own JSON: accepted, ignored by type, duplicate, refused', async (test) => {
    const { host } = await setup(test, { events: ['Output'] });
    const output = JSON.stringify(event({ id: 'evt_answers', type: 'Output', data: outputData }));
    const status = JSON.stringify(event({ id: 'evt_answers_status' }));

    expect(await post(host, output, signWebhook(output, SECRET))).toEqual({
      status: 200,
      body: { received: true },
    });
    expect(await post(host, output, signWebhook(output, SECRET))).toEqual({
      status: 200,
      body: {
        received: true,
        duplicate: true,
        ignored: 'event evt_answers was received before; it starts the workflow once',
      },
    });
    expect(await post(host, status, signWebhook(status, SECRET))).toEqual({
      status: 200,
      body: { received: true, ignored: 'Status events are not selected in this trigger' },
    });
    expect(await post(host, output, signWebhook(output, 'whsec_other'))).toEqual({
      status: 401,
      body: { error: expect.stringMatching(/signature/i), code: 'WEBHOOK_INVALID_SIGNATURE' },
    });
    expect(host.runs.map((run) => run[0][0].json.id)).toEqual(['evt_answers']);
  });

  it('starts the workflow once for repeated deliveries of one event id', async (test) => {
    const { host, fay } = await setup(test);
    const first = await fay.deliverWebhook(event({ id: 'evt_repeated' }));
    const again = await fay.deliverWebhook(event({ id: 'evt_repeated' }));
    const other = await fay.deliverWebhook(event({ id: 'evt_other' }));
    const otherAgain = await fay.deliverWebhook(event({ id: 'evt_other' }));

    expect([first, again, other, otherAgain].map((d) => d.attempts.map((a) => a.result))).toEqual([
      [200],
      [200],
      [200],
      [200],
    ]);
    expect(host.runs.map((run) => run[0][0].json.id)).toEqual(['evt_repeated', 'evt_other']);
    // The durable record is the workflow's static data, which n8n saves to its database.
    const saved = JSON.stringify(host.staticData());
    expect(saved).toContain('evt_repeated');
    expect(saved).toContain('evt_other');
  });

  it('starts the workflow once per event when copies of several events arrive at once', async (test) => {
    const { host } = await setup(test);
    const bodies = ['evt_at_once_1', 'evt_at_once_2', 'evt_at_once_3'].map((id) =>
      JSON.stringify(event({ id })),
    );
    const copies = bodies.flatMap((body) => Array.from({ length: 4 }, () => body));
    const answers = await Promise.all(copies.map((b) => post(host, b, signWebhook(b, SECRET))));

    expect(answers.map((a) => a.status)).toEqual(copies.map(() => 200));
    expect(answers.filter((a) => a.body.duplicate === true)).toHaveLength(copies.length - 3);
    expect(host.runs.map((run) => run[0][0].json.id).sort()).toEqual([
      'evt_at_once_1',
      'evt_at_once_2',
      'evt_at_once_3',
    ]);
    // Requests that read the static data at once save over each other: the last save still
    // holds every id, because each one includes what this process accepted before it.
    const saved = JSON.stringify(host.staticData());
    for (const id of ['evt_at_once_1', 'evt_at_once_2', 'evt_at_once_3']) {
      expect(saved).toContain(id);
    }
  });

  it('starts the workflow only for the selected event types', async (test) => {
    const { host, fay } = await setup(test, { events: ['Output'] });
    const status = await fay.deliverWebhook(event({ id: 'evt_status' }));
    const output = await fay.deliverWebhook(
      event({ id: 'evt_output', type: 'Output', data: outputData }),
    );
    expect([status.outcome, output.outcome]).toEqual(['delivered', 'delivered']);
    expect(host.runs.map((run) => run[0][0].json.id)).toEqual(['evt_output']);
  });

  it('accepts any of several comma-separated secrets (rotation)', async (test) => {
    const { host, fay } = await setup(test, {
      credentialSecret: 'whsec_old, whsec_new',
      faySecret: 'whsec_new',
    });
    expect((await fay.deliverWebhook(event())).outcome).toBe('delivered');
    expect(host.runs).toHaveLength(1);
  });

  it('without a webhook secret: activation fails with a clear message, events are refused', async (test) => {
    const { host, fay } = await setup(test, { credentialSecret: '' });
    const activation = host.activate();
    await expect(activation).rejects.toBeInstanceOf(NodeOperationError);
    await expect(activation).rejects.toThrow(/no Webhook Secret/);

    const delivery = await fay.deliverWebhook(event());
    expect(delivery.attempts[0].result).toBe(401);
    expect(host.runs).toEqual([]);
  });
});
