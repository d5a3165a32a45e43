// Both Fay nodes in n8n 2.41.1's queue mode, all real processes started here: Redis and a
// throwaway Postgres cluster (support/queue-services.ts), and n8n's main process, a worker and a
// webhook process sharing them. Executions are enqueued by the process that takes the webhook and
// run on the worker; n8n's logs and its Postgres database say where and how often.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signWebhook } from '../../src/core/index.ts';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { N8nHome } from './support/n8n-cli.ts';
import { ensureN8n, type N8nInstall } from './support/n8n-install.ts';
import type { N8nServer } from './support/n8n-server.ts';
import { stagePackage, type StagedPackage } from './support/package-stage.ts';
import { startQueueServices, type QueueServices } from './support/queue-services.ts';
import { startReceiver, type Receiver } from './support/receiver.ts';
import { CASE_TIMEOUT_MS, SETUP_TIMEOUT_MS, TEARDOWN_TIMEOUT_MS } from './support/suite.ts';
import { PhaseTimings } from './support/timings.ts';
import {
  fay,
  fayCredential,
  fayTrigger,
  outputEvent,
  postItemsTo,
  webhookNode,
  workflow,
} from './support/workflows.ts';

const KEY = `fay_queue_${randomBytes(12).toString('hex')}`;
const SECRET = `whsec_queue_${randomBytes(12).toString('hex')}`;
const WAIT_TIMEOUT_MS = 120_000;
/** Events sent as two copies at once, one to main and one to the webhook process. */
const SIMULTANEOUS = 20;

/** Polls `check` until it returns a value, or fails with `what` after WAIT_TIMEOUT_MS. */
async function until<T>(what: () => string, check: () => Promise<T | undefined> | T | undefined) {
  const deadline = Date.now() + WAIT_TIMEOUT_MS;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${WAIT_TIMEOUT_MS / 1000}s passed: ${what()}`);
    await delay(200);
  }
}

describe(
  'Fay nodes in n8n queue mode (main + worker + webhook process)',
  { timeout: CASE_TIMEOUT_MS },
  () => {
    const timings = new PhaseTimings('queue mode');
    let install: N8nInstall | undefined;
    let pkg: StagedPackage | undefined;
    let services: QueueServices | undefined;
    let home: N8nHome | undefined;
    let fayServer: FayServer | undefined;
    /** A Fay whose jobs never end, for stopping a running execution. */
    let endlessFay: FayServer | undefined;
    let receiver: Receiver | undefined;
    let main: N8nServer | undefined;
    let worker: N8nServer | undefined;
    let webhooks: N8nServer | undefined;

    const ids = { create: '', endless: '', trigger: '' };
    const describeAll = () => [main, worker, webhooks].map((p) => p?.describe() ?? '').join('\n\n');
    const executionsOf = async (workflowId: string) =>
      services!.query<{ id: string; status: string }>(
        'SELECT id::text AS id, status FROM execution_entity WHERE "workflowId" = $1 ORDER BY id',
        [workflowId],
      );
    /** The workflow's static data as n8n saved it (the trigger's durable record of event ids). */
    const savedStaticData = async (workflowId: string) =>
      JSON.stringify(
        await services!.query('SELECT "staticData" FROM workflow_entity WHERE id = $1', [
          workflowId,
        ]),
      );
    const post = (url: string, body: string, headers: Record<string, string> = {}) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
    const deliver = async (process: N8nServer, event: object) => {
      const body = JSON.stringify(event);
      const answer = await post(process.webhookUrl('queue-fay'), body, {
        'x-fay-signature': signWebhook(body, SECRET),
      });
      return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
    };
    /** The execution ids the worker finished, from its log. */
    const finishedOnWorker = () =>
      [...worker!.printed().matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]!);

    beforeAll(async () => {
      pkg = await timings.time('pack', () => stagePackage());
      install = await timings.time('install', () => ensureN8n());
      const n8nRequire = createRequire(join(install.dir, 'node_modules', 'n8n', 'package.json'));
      services = await startQueueServices(n8nRequire);
      timings.add('apt install', services.timings.aptMs);
      timings.add('postgres', services.timings.postgresMs);
      timings.add('redis', services.timings.redisMs);
      home = await N8nHome.create({ install, pkg, timings, env: services.env });
      receiver = await startReceiver();
      fayServer = await startFayServer({ apiKeys: [KEY], jobDurationMs: 300 });
      endlessFay = await startFayServer({ apiKeys: [KEY], jobDurationMs: 24 * 3_600_000 });

      const credential = fayCredential('fayQueue', {
        apiKey: KEY,
        baseUrl: fayServer.url,
        webhookSecret: SECRET,
      });
      const endlessCredential = fayCredential('fayEndless', {
        apiKey: KEY,
        baseUrl: endlessFay.url,
      });
      const createFlow = workflow('queueCreate', 'Queue: create and wait', [
        [
          webhookNode('queue-create'),
          fay('Fay', credential, {
            operation: 'create',
            prompt: '={{ $json.body.prompt }}',
            maxWaitSeconds: 120,
          }),
          postItemsTo('Forward', receiver.url),
        ],
      ]);
      const endlessFlow = workflow('queueEndless', 'Queue: never-ending research', [
        [
          webhookNode('queue-endless'),
          fay('Fay', endlessCredential, { operation: 'create', prompt: 'Never ends' }),
        ],
      ]);
      const triggerFlow = workflow('queueTrigger', 'Queue: Fay Trigger', [
        [
          fayTrigger('Fay Trigger', credential, { path: 'queue-fay', events: ['Output'] }),
          postItemsTo('Forward', receiver.url),
        ],
      ]);
      ids.create = createFlow.id;
      ids.endless = endlessFlow.id;
      ids.trigger = triggerFlow.id;
      await home.importCredentials([credential, endlessCredential]);
      await home.importWorkflows([createFlow, endlessFlow, triggerFlow]);
      for (const flow of [createFlow, endlessFlow, triggerFlow])
        await home.publishWorkflow(flow.id);

      main = await home.startServer('start');
      [worker, webhooks] = await Promise.all([
        home.startServer('worker'),
        home.startServer('webhook'),
      ]);
      // Unsigned probes: 404 until the trigger is live on each process, then refused (401).
      await main.waitForWebhook(() => post(main!.webhookUrl('queue-fay'), '{}'), 401);
      await webhooks.waitForWebhook(() => post(webhooks!.webhookUrl('queue-fay'), '{}'), 401);
    }, SETUP_TIMEOUT_MS);

    afterAll(async () => {
      for (const process of [webhooks, worker, main]) await process?.stop().catch(() => undefined);
      await fayServer?.close();
      await endlessFay?.close();
      await receiver?.close();
      await services?.stop();
      process.stderr.write(`${timings.summary(install)}\n`);
      await home?.dispose();
      await pkg?.dispose();
    }, TEARDOWN_TIMEOUT_MS);

    it('a webhook-started workflow that creates and waits runs on the worker and succeeds', async () => {
      const prompt = `Queue question ${randomBytes(4).toString('hex')}`;
      const answer = await post(main!.webhookUrl('queue-create'), JSON.stringify({ prompt }));
      expect(answer.status).toBe(200);
      const item = (await until(describeAll, () =>
        receiver!.received.find((r) => (r as { output?: string }).output?.includes(prompt)),
      )) as { requestId: string; status: string };
      expect(item.status).toBe('COMPLETED');

      const [execution] = await until(describeAll, async () => {
        const rows = await executionsOf(ids.create);
        return rows.some((r) => r.status === 'success') ? rows : undefined;
      });
      expect(execution).toMatchObject({ status: 'success' });
      expect(main!.printed()).toContain(`Enqueued execution ${execution!.id} `);
      expect(worker!.printed()).toContain(`Worker started execution ${execution!.id} `);
      expect(finishedOnWorker()).toContain(execution!.id);
      expect(main!.printed()).not.toMatch(/Worker (started|finished) execution/);
    });

    it('ten concurrent executions each get their own research, with no duplicate creates', async () => {
      const tag = randomBytes(4).toString('hex');
      const prompts = Array.from({ length: 10 }, (_, i) => `Concurrent ${tag} #${i}`);
      const createsBefore = fayServer!.count('create');
      const answers = await Promise.all(
        prompts.map((prompt) => post(main!.webhookUrl('queue-create'), JSON.stringify({ prompt }))),
      );
      expect(answers.map((a) => a.status)).toEqual(prompts.map(() => 200));
      const items = await until(describeAll, () => {
        const mine = receiver!.received.filter((r) =>
          (r as { output?: string }).output?.includes(tag),
        );
        return mine.length >= prompts.length
          ? (mine as Array<{ requestId: string; output: string }>)
          : undefined;
      });
      expect(new Set(items.map((i) => i.requestId)).size).toBe(prompts.length);
      for (const prompt of prompts)
        expect(items.filter((i) => i.output.includes(prompt))).toHaveLength(1);
      expect(fayServer!.count('create') - createsBefore).toBe(prompts.length);
    });

    it('a Fay Trigger event runs once on the worker, redelivered to main or the webhook process', async () => {
      const [first, second, third] = [outputEvent(), outputEvent(), outputEvent()];
      const ran = (id: string) => receiver!.received.some((r) => (r as { id?: string }).id === id);
      // Another process recognises a repeat once the first copy's record is saved (docs/n8n.md): n8n
      // saves the whole static data as the trigger answers, so each record is let land before a
      // delivery reaches another process (Fay's own redeliveries come seconds apart).
      const recorded = (...events: Array<{ id: string }>) =>
        until(describeAll, async () => {
          const saved = await savedStaticData(ids.trigger);
          return events.every((e) => saved.includes(e.id) && ran(e.id)) ? true : undefined;
        });
      expect((await deliver(main!, first)).body).toEqual({ received: true });
      expect((await deliver(main!, second)).body).toEqual({ received: true });
      await recorded(first, second);
      expect((await deliver(webhooks!, third)).body).toEqual({ received: true });
      await recorded(first, second, third);

      // Each redelivered to the other process, and to the same one again.
      for (const [process, event] of [
        [webhooks!, second],
        [webhooks!, first],
        [main!, third],
        [main!, second],
      ] as const) {
        expect((await deliver(process, event)).body, event.id).toMatchObject({ duplicate: true });
      }
      const rows = await until(describeAll, async () => {
        const all = await executionsOf(ids.trigger);
        return all.every((r) => r.status === 'success') ? all : undefined;
      });
      expect(rows).toHaveLength(3);
      for (const row of rows) expect(finishedOnWorker()).toContain(row.id);
      for (const event of [first, second, third]) {
        expect(
          receiver!.received.filter((r) => (r as { id?: string }).id === event.id),
        ).toHaveLength(1);
      }
    });

    it('copies of one event reaching main and the webhook process at once: none lost, counted', async () => {
      const events = Array.from({ length: SIMULTANEOUS }, () => outputEvent());
      const answers = await Promise.all(
        events.flatMap((event) => [deliver(main!, event), deliver(webhooks!, event)]),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      const runsOf = (id: string) =>
        receiver!.received.filter((r) => (r as { id?: string }).id === id).length;
      await until(describeAll, () => (events.every((e) => runsOf(e.id) > 0) ? true : undefined));
      await until(describeAll, async () =>
        (await executionsOf(ids.trigger)).every((r) => r.status === 'success') ? true : undefined,
      );
      const twice = events.filter((e) => runsOf(e.id) === 2).length;
      // n8n gives a webhook no atomic store: this is the measured gap docs/n8n.md states.
      process.stderr.write(
        `[n8n-e2e] queue mode: of ${SIMULTANEOUS} events sent to main and the webhook process at once, ${twice} ran twice\n`,
      );
      for (const event of events) expect(runsOf(event.id)).toBeLessThanOrEqual(2);
    });

    it('stopping a running execution stops its Fay job, and the worker logs what happened', async () => {
      expect((await post(main!.webhookUrl('queue-endless'), '{}')).status).toBe(200);
      const requestId = await until(describeAll, () => [...endlessFay!.jobs.keys()][0]);
      const execution = await until(describeAll, async () =>
        (await executionsOf(ids.endless)).find((r) => r.status === 'running'),
      );

      // Headless login: the owner set up on the fresh database gets the auth cookie.
      const browserId = randomBytes(8).toString('hex');
      const setup = await fetch(`${main!.url}/rest/owner/setup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'browser-id': browserId },
        body: JSON.stringify({
          email: 'owner@example.com',
          firstName: 'Queue',
          lastName: 'Owner',
          password: `Pw1-${randomBytes(8).toString('hex')}`,
        }),
      });
      expect(setup.status, await setup.clone().text()).toBe(200);
      const cookie = (setup.headers.get('set-cookie') ?? '').split(';')[0]!;
      const stop = await fetch(`${main!.url}/rest/executions/${execution.id}/stop`, {
        method: 'POST',
        headers: { cookie, 'browser-id': browserId, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(stop.status, await stop.clone().text()).toBe(200);

      await until(describeAll, () =>
        endlessFay!.jobState(requestId) === 'STOPPED' ? true : undefined,
      );
      expect(endlessFay!.count('stop')).toBe(1);
      await until(describeAll, async () =>
        (await executionsOf(ids.endless)).find(
          (r) => r.id === execution.id && r.status === 'canceled',
        ),
      );
      // What the worker says about the research: it was stopped, and the user has nothing to do.
      const said = await until(describeAll, () => {
        const lines = worker!
          .printed()
          .split('\n')
          .filter((line) => line.includes(requestId));
        return lines.length > 0 ? lines.join('\n') : undefined;
      });
      expect(said).not.toContain('use stopOnAbort');
      expect(said).toMatch(/stopped/i);
    });

    it('never printed the key or the webhook secret', () => {
      const transcript = home!.transcript();
      for (const secret of [KEY, SECRET]) expect(transcript).not.toContain(secret);
    });
  },
);
