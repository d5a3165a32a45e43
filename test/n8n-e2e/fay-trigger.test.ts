// The Fay Trigger in real n8n 2.41, as a server (`n8n start`) with the trigger workflow published:
// the local Fay server delivers real signed webhooks to n8n's production URL, and the test posts
// forged, unsigned, stale and replayed ones. Each execution forwards its item to a receiver, and
// n8n's own database says how many executions ran.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/core/index.ts';
import { startFayServer, type FayServer, type WebhookDelivery } from '../support/fay-server.ts';
import type { N8nServer } from './support/n8n-server.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import {
  CASE_TIMEOUT_MS,
  SETUP_TIMEOUT_MS,
  TEARDOWN_TIMEOUT_MS,
  setUpSuite,
  tearDownSuite,
  type E2eSuite,
} from './support/suite.ts';
import { fayCredential, fayTrigger, postItemsTo, workflow } from './support/workflows.ts';

const KEY = `fay_e2e_${randomBytes(12).toString('hex')}`;
const SECRET = `whsec_e2e_${randomBytes(12).toString('hex')}`;
/** The secret being rotated out: the credential holds both, comma-separated. */
const OLD_SECRET = `whsec_e2e_old_${randomBytes(12).toString('hex')}`;
const PATH = 'fay-e2e';

/** An Output event as Fay sends it (snake_case data, unix-seconds `created`). */
function outputEvent(overrides: { created?: number } = {}) {
  const id = randomBytes(12).toString('hex');
  return {
    id: `evt_e2e_${id}`,
    type: 'Output',
    created: overrides.created ?? Math.floor(Date.now() / 1000),
    data: {
      request_id: `00000000-0000-4000-8000-${id.slice(0, 12)}`,
      conversation_id: `conv_${id}`,
      status: 'COMPLETED',
      output: '# Research: e2e\n\nAn answer.',
      completed_at: new Date().toISOString(),
    },
  };
}

describe('Fay Trigger in real n8n (n8n start)', { timeout: CASE_TIMEOUT_MS }, () => {
  let suite: E2eSuite | undefined;
  let fayServer: FayServer | undefined;
  let receiver: Receiver | undefined;
  let n8nServer: N8nServer | undefined;
  let workflowId = '';
  let firstDelivery: WebhookDelivery | undefined;

  const executions = () => suite!.n8n.countExecutions(workflowId);
  const post = (body: string, signature?: string) =>
    fetch(suite!.n8n.webhookUrl(PATH), {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signature === undefined ? {} : { 'x-fay-signature': signature }),
      },
      body,
    });
  const statusOf = async (response: Promise<Response>) => {
    const answer = await response;
    await answer.arrayBuffer();
    return answer.status;
  };

  beforeAll(async () => {
    suite = await setUpSuite('Fay Trigger');
    receiver = await startReceiver();
    fayServer = await startFayServer({
      apiKeys: [KEY],
      jobDurationMs: 300,
      webhook: { url: suite.n8n.webhookUrl(PATH), secret: SECRET, events: ['Status', 'Output'] },
    });
    const credential = fayCredential('fayHooks', {
      apiKey: KEY,
      baseUrl: fayServer.url,
      webhookSecret: `${OLD_SECRET}, ${SECRET}`,
    });
    // Only Output events start the workflow; Status deliveries must be acknowledged and ignored.
    const flow = workflow('fayTriggerFlow', 'Fay: trigger', [
      [
        fayTrigger('Fay Trigger', credential, { path: PATH, events: ['Output', 'Error'] }),
        postItemsTo('Forward', receiver.url),
      ],
    ]);
    workflowId = flow.id;
    await suite.n8n.importCredentials([credential]);
    await suite.n8n.importWorkflows([flow]);
    await suite.n8n.publishWorkflow(flow.id);
    n8nServer = await suite.n8n.start();
    // Unsigned probe: 404 until the published workflow is live, then refused (401).
    await suite.timings.time('activate', () => n8nServer!.waitForWebhook(() => post('{}'), 401));
  }, SETUP_TIMEOUT_MS);

  afterAll(async () => {
    await n8nServer?.stop();
    await fayServer?.close();
    await receiver?.close();
    await tearDownSuite(suite);
  }, TEARDOWN_TIMEOUT_MS);

  it('refuses forged, unsigned, tampered and stale events with 401 and starts nothing', async () => {
    const body = JSON.stringify(outputEvent());
    const tampered = body.replace('An answer.', 'A different answer.');
    const stale = JSON.stringify(outputEvent({ created: Math.floor(Date.now() / 1000) - 3600 }));
    expect(await statusOf(post(body, signWebhook(body, 'whsec_forged')))).toBe(401);
    expect(await statusOf(post(body))).toBe(401);
    expect(await statusOf(post(tampered, signWebhook(body, SECRET)))).toBe(401);
    expect(await statusOf(post(stale, signWebhook(stale, SECRET)))).toBe(401);
    // n8n records an execution before it answers a webhook: none means none started.
    expect(executions(), n8nServer!.describe()).toBe(0);
    expect(receiver!.received).toEqual([]);
  });

  it("runs the workflow once for Fay's signed Output delivery and ignores its Status events", async () => {
    const fay = fayServer!;
    const created = await fetch(`${fay.url}/api/v1/conversations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'Webhook e2e research' }),
    });
    const { data } = (await created.json()) as { data: { request_id: string } };
    const forJob = (d: WebhookDelivery) => d.event.data.request_id === data.request_id;

    firstDelivery = await fay.waitForDelivery(
      (d) => forJob(d) && d.event.type === 'Output',
      30_000,
    );
    // Status events for PENDING, PROCESSING and COMPLETED were sent before the Output event.
    const all = fay.deliveries.filter(forJob);
    await Promise.all(all.map((d) => fay.waitForDelivery((x) => x === d, 30_000)));
    expect(all.map((d) => d.event.type).sort()).toEqual(['Output', 'Status', 'Status', 'Status']);
    expect(
      all.map((d) => d.attempts.map((a) => a.result)),
      n8nServer!.describe(),
    ).toEqual(all.map(() => [200]));

    const [item] = await receiver!.waitFor(1);
    expect(item).toMatchObject({
      id: firstDelivery.event.id,
      type: 'Output',
      created: firstDelivery.event.created,
      data: { requestId: data.request_id, status: 'COMPLETED', output: expect.any(String) },
    });
    expect(executions(), n8nServer!.describe()).toBe(1);
  });

  it('answers a repeated delivery of the same event with 200 and does not run again', async () => {
    const delivery = firstDelivery!;
    expect(await statusOf(post(delivery.body, delivery.signature))).toBe(200);
    expect(executions(), n8nServer!.describe()).toBe(1);
  });

  it('accepts an event signed with the previous secret while secrets rotate', async () => {
    const body = JSON.stringify(outputEvent());
    expect(await statusOf(post(body, signWebhook(body, OLD_SECRET)))).toBe(200);
    const received = await receiver!.waitFor(2);
    // Exactly the two distinct events, in order: the replay above added nothing.
    expect(received.map((r) => (r as { id: string }).id)).toEqual([
      firstDelivery!.event.id,
      (JSON.parse(body) as { id: string }).id,
    ]);
    expect(executions()).toBe(2);
  });

  it('stops cleanly and never printed the key or the webhook secrets', async () => {
    const exit = await n8nServer!.stop();
    n8nServer = undefined;
    expect(exit.code, suite!.n8n.transcript().slice(-3000)).toBe(0);
    expect(receiver!.received).toHaveLength(2);
    const transcript = suite!.n8n.transcript();
    for (const secret of [KEY, SECRET, OLD_SECRET]) expect(transcript).not.toContain(secret);
  });
});
