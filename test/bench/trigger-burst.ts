// Trigger burst: 50 concurrent signed deliveries to a published Fay Trigger workflow in real
// n8n 2.41.1 (`n8n start`), next to the same burst to n8n's built-in Webhook node (onReceived,
// "Immediately") in the same n8n, alternating rounds. Both workflows end in the same No-Op node.
// Reuses the e2e support: the cached n8n install, the packed package, a throwaway n8n home.
import { randomBytes } from 'node:crypto';
import { signWebhook } from '../../dist/core/index.js';
import { setUpSuite, tearDownSuite, type E2eSuite } from '../n8n-e2e/support/suite.ts';
import {
  fayCredential,
  fayTrigger,
  node,
  outputEvent,
  webhookNode,
  workflow,
} from '../n8n-e2e/support/workflows.ts';
import { fixed, type BenchTable } from './support.ts';

const BURST = 50;
const ROUNDS = 3;
const SECRET = `whsec_bench_${randomBytes(8).toString('hex')}`;
/** Fay waits this long for an answer before it retries a delivery. */
const FAY_ANSWER_WINDOW_MS = 5_000;

interface Round {
  /** First request sent to last answer received. */
  wallMs: number;
  slowestMs: number;
  /** Answers other than 200, by status. */
  others: number[];
}

function signedEvent(): { body: string; signature: string } {
  const body = JSON.stringify(outputEvent());
  return { body, signature: signWebhook(body, SECRET) };
}

async function burst(url: string): Promise<Round> {
  const events = Array.from({ length: BURST }, signedEvent);
  const started = performance.now();
  const answers = await Promise.all(
    events.map(async ({ body, signature }) => {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fay-signature': signature },
        body,
      });
      await response.arrayBuffer();
      return { status: response.status, ms: performance.now() - started };
    }),
  );
  const slowestMs = Math.max(...answers.map((a) => a.ms));
  const others = answers.map((a) => a.status).filter((status) => status !== 200);
  return { wallMs: slowestMs, slowestMs, others };
}

/** "0", or e.g. "50× 500". */
function countsByStatus(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n}× ${status}`).join(', ') || '0';
}

/** Waits until n8n has finished every execution it started (so rounds do not overlap). */
async function drained(suite: E2eSuite, ids: string[]): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (ids.some((id) => suite.n8n.unfinishedExecutions(id) > 0)) {
    if (Date.now() > deadline) throw new Error('n8n did not finish the burst within 120 s');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export default async function triggerBurst(): Promise<BenchTable[]> {
  const suite = await setUpSuite('trigger burst bench');
  const credential = fayCredential('fayBench', {
    apiKey: 'fay_bench_key',
    baseUrl: 'http://127.0.0.1:9',
    webhookSecret: SECRET,
  });
  const fayFlow = workflow('benchFay', 'Bench: Fay Trigger', [
    [
      fayTrigger('Fay Trigger', credential, { path: 'bench-fay', events: ['Output'] }),
      node('Done', 'n8n-nodes-base.noOp', 1, {}),
    ],
  ]);
  const webhookFlow = workflow('benchHook', 'Bench: Webhook', [
    [webhookNode('bench-hook'), node('Done', 'n8n-nodes-base.noOp', 1, {})],
  ]);
  await suite.n8n.importCredentials([credential]);
  await suite.n8n.importWorkflows([fayFlow, webhookFlow]);
  await suite.n8n.publishWorkflow(fayFlow.id);
  await suite.n8n.publishWorkflow(webhookFlow.id);
  const server = await suite.n8n.start();
  const variants = [
    { label: "n8n's Webhook node", url: suite.n8n.webhookUrl('bench-hook'), rounds: [] as Round[] },
    { label: 'Fay Trigger', url: suite.n8n.webhookUrl('bench-fay'), rounds: [] as Round[] },
  ];
  try {
    await server.waitForWebhook(() => fetch(variants[1]!.url, { method: 'POST', body: '{}' }), 401);
    await server.waitForWebhook(() => fetch(variants[0]!.url, { method: 'POST', body: '{}' }), 200);
    await drained(suite, [fayFlow.id, webhookFlow.id]);
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of variants) {
        variant.rounds.push(await burst(variant.url));
        await drained(suite, [fayFlow.id, webhookFlow.id]);
      }
    }
  } finally {
    await server.stop();
    await tearDownSuite(suite);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  const perDelivery = variants.map((v) => median(v.rounds.map((r) => r.wallMs)) / BURST);
  const baseline = perDelivery[0]!;
  return [
    {
      title: `Trigger burst: ${BURST} concurrent signed deliveries, real n8n 2.41.1 (median of ${ROUNDS} rounds)`,
      columns: [
        'receiver',
        'all answered (s)',
        'slowest answer (s)',
        'per delivery (ms)',
        'vs Webhook node',
        'answers not 200',
        `all within ${FAY_ANSWER_WINDOW_MS / 1000} s`,
      ],
      rows: variants.map((v, i) => [
        v.label,
        fixed(median(v.rounds.map((r) => r.wallMs)) / 1000, 2),
        fixed(Math.max(...v.rounds.map((r) => r.slowestMs)) / 1000, 2),
        fixed(perDelivery[i]!, 0),
        `${fixed(perDelivery[i]! / baseline, 2)}×`,
        countsByStatus(v.rounds.flatMap((r) => r.others)),
        v.rounds.every((r) => r.slowestMs < FAY_ANSWER_WINDOW_MS) ? 'ok' : 'MISSED',
      ]),
      notes: [
        'Per delivery = time until the whole burst is answered ÷ 50. Both workflows run the same No-Op after the trigger.',
        'Fay retries a delivery it has not had an answer to within 5 s.',
      ],
    },
  ];
}
