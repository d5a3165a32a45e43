// The Fay Trigger in real n8n 2.41, as a server (`n8n start`) with the trigger workflow published:
// the local Fay server delivers real signed webhooks to n8n's production URL, and the test posts
// forged, unsigned, stale and replayed ones: repeated in a row, copies at the same moment, bursts,
// and redeliveries after n8n restarts. Each execution forwards its item to a receiver, and n8n's
// own database says how many executions ran.
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
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
import {
  fayCredential,
  fayTrigger,
  outputEvent,
  postItemsTo,
  workflow,
} from './support/workflows.ts';

const KEY = `fay_e2e_${randomBytes(12).toString('hex')}`;
const SECRET = `whsec_e2e_${randomBytes(12).toString('hex')}`;
/** The secret being rotated out: the credential holds both, comma-separated. */
const OLD_SECRET = `whsec_e2e_old_${randomBytes(12).toString('hex')}`;
const PATH = 'fay-e2e';
/** Deliveries in the burst. */
const BURST = 50;
const SETTLE_TIMEOUT_MS = 90_000;
/**
 * Fay's per-attempt answer window for this suite's deliveries. The API's 5 s (the local server's
 * default, which the bench keeps) would make a slow machine's burst a timing test; 4 attempts of
 * 30 s still fit in one case.
 */
const DELIVERY_ATTEMPT_TIMEOUT_MS = 30_000;

describe('Fay Trigger in real n8n (n8n start)', { timeout: CASE_TIMEOUT_MS }, () => {
  let suite: E2eSuite | undefined;
  let fayServer: FayServer | undefined;
  let receiver: Receiver | undefined;
  let n8nServer: N8nServer | undefined;
  let workflowId = '';

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
  /** Posts an event signed with the current secret: n8n's status and JSON answer. */
  const deliver = async (event: object) => {
    const body = JSON.stringify(event);
    const answer = await post(body, signWebhook(body, SECRET));
    return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
  };
  const receivedIds = () => receiver!.received.map((r) => (r as { id: string }).id);
  /**
   * The trigger answers an accepted delivery just before n8n records its execution, and a
   * duplicate is decided before its answer: once every expected event has run and no execution
   * is left unfinished, the counts are final.
   */
  const settled = async (ids: string[]) => {
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    for (;;) {
      const seen = new Set(receivedIds());
      const missing = ids.filter((id) => !seen.has(id));
      const running = suite!.n8n.unfinishedExecutions(workflowId);
      if (missing.length === 0 && running === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `after ${SETTLE_TIMEOUT_MS / 1000}s, ${missing.length} events never ran and ${running} executions are unfinished. ${n8nServer!.describe()}`,
        );
      }
      await delay(100);
    }
  };
  /** Each id ran exactly once, and every execution recorded is one of the events received. */
  const expectRanOnceEach = async (ids: string[]) => {
    await settled(ids);
    const all = receivedIds();
    for (const id of ids)
      expect(
        all.filter((x) => x === id),
        id,
      ).toHaveLength(1);
    expect(executions(), n8nServer!.describe()).toBe(all.length);
  };

  beforeAll(async () => {
    suite = await setUpSuite('Fay Trigger');
    receiver = await startReceiver();
    fayServer = await startFayServer({
      apiKeys: [KEY],
      jobDurationMs: 300,
      webhook: {
        url: suite.n8n.webhookUrl(PATH),
        secret: SECRET,
        events: ['Status', 'Output'],
        timeoutMs: DELIVERY_ATTEMPT_TIMEOUT_MS,
      },
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
    const before = executions();
    expect(await statusOf(post(body, signWebhook(body, 'whsec_forged')))).toBe(401);
    expect(await statusOf(post(body))).toBe(401);
    expect(await statusOf(post(tampered, signWebhook(body, SECRET)))).toBe(401);
    expect(await statusOf(post(stale, signWebhook(stale, SECRET)))).toBe(401);
    // A refusal is decided before the answer: nothing can start after it.
    expect(executions(), n8nServer!.describe()).toBe(before);
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

    const firstDelivery = await fay.waitForDelivery(
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

    await expectRanOnceEach([firstDelivery.event.id]);
    const item = receiver!.received.find(
      (r) => (r as { id: string }).id === firstDelivery.event.id,
    );
    expect(item).toMatchObject({
      id: firstDelivery.event.id,
      type: 'Output',
      created: firstDelivery.event.created,
      data: { requestId: data.request_id, status: 'COMPLETED', output: expect.any(String) },
    });
  });

  it('answers every delivery with its own JSON: accepted, duplicate, ignored, refused', async () => {
    const event = outputEvent();
    const status = { ...outputEvent(), type: 'Status' };
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true } });
    expect(await deliver(event)).toEqual({
      status: 200,
      body: {
        received: true,
        duplicate: true,
        ignored: `event ${event.id} was received before; it starts the workflow once`,
      },
    });
    expect(await deliver(status)).toEqual({
      status: 200,
      body: { received: true, ignored: 'Status events are not selected in this trigger' },
    });
    const body = JSON.stringify(event);
    const refused = await post(body);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({
      error: expect.stringMatching(/signature/i),
      code: 'WEBHOOK_INVALID_SIGNATURE',
    });
    await expectRanOnceEach([event.id]);
  });

  it('runs each of several events once, repeated in a row or sent as copies at once', async () => {
    const inARow = [outputEvent(), outputEvent(), outputEvent()];
    const atOnce = Array.from({ length: 10 }, () => outputEvent());
    for (const event of inARow) {
      const answers = [await deliver(event), await deliver(event), await deliver(event)];
      expect(answers.map((a) => a.body.duplicate ?? false)).toEqual([false, true, true]);
    }
    // Two copies of each of ten events, all at the same moment; then all of them again.
    const copies = [...atOnce, ...atOnce];
    const first = await Promise.all(copies.map(deliver));
    expect(first.map((a) => a.status)).toEqual(copies.map(() => 200));
    expect(first.filter((a) => a.body.duplicate === true)).toHaveLength(atOnce.length);
    const again = await Promise.all(atOnce.map(deliver));
    expect(again.map((a) => a.body.duplicate)).toEqual(atOnce.map(() => true));
    await expectRanOnceEach([...inARow, ...atOnce].map((e) => e.id));
  });

  it(`a burst of ${BURST} signed deliveries from Fay: each delivered, each run once`, async () => {
    const events = Array.from({ length: BURST }, () => outputEvent());
    const deliveries = await Promise.all(events.map((e) => fayServer!.deliverWebhook(e)));
    // Fay retries an attempt left unanswered in its window: whether or not the first copy was
    // accepted, the event is delivered and runs once. How fast n8n answers is measured in `npm run bench`.
    expect(
      deliveries.map((d) => d.outcome),
      n8nServer!.describe(),
    ).toEqual(events.map(() => 'delivered'));
    const retried = deliveries.filter((d) => d.attempts.length > 1).length;
    process.stderr.write(`[n8n-e2e] Fay Trigger: burst of ${BURST}, ${retried} retried by Fay\n`);
    await expectRanOnceEach(events.map((e) => e.id));
  });

  it('after a restart, redeliveries of events it already ran do not run again', async () => {
    const before = [outputEvent(), outputEvent(), outputEvent()];
    for (const event of before) expect((await deliver(event)).body).toEqual({ received: true });
    await expectRanOnceEach(before.map((e) => e.id));

    await n8nServer!.stop();
    n8nServer = await suite!.n8n.start();
    await n8nServer.waitForWebhook(() => post('{}'), 401);

    const answers = await Promise.all(before.map(deliver));
    expect(answers.map((a) => a.body.duplicate)).toEqual([true, true, true]);
    const after = outputEvent();
    expect((await deliver(after)).body).toEqual({ received: true });
    await expectRanOnceEach([...before, after].map((e) => e.id));
  });

  it('accepts an event signed with the previous secret while secrets rotate', async () => {
    const event = outputEvent();
    const body = JSON.stringify(event);
    expect(await statusOf(post(body, signWebhook(body, OLD_SECRET)))).toBe(200);
    await expectRanOnceEach([event.id]);
  });

  it('stops cleanly and never printed the key or the webhook secrets', async () => {
    const exit = await n8nServer!.stop();
    n8nServer = undefined;
    expect(exit.code, suite!.n8n.transcript().slice(-3000)).toBe(0);
    const transcript = suite!.n8n.transcript();
    for (const secret of [KEY, SECRET, OLD_SECRET]) expect(transcript).not.toContain(secret);
  });
});
