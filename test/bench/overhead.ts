// Client overhead per status call (validation, headers, timeout, p-retry, zod, camelCase) next to
// a raw fetch + JSON parse of the same URL, against the same loopback server (in its own process).
// Goal ≤ 1.2×. The variants alternate call by call (so load from other processes hits all
// alike), and each figure is the median per-call time. The client's own CPU cost is measured
// too, with a transport that answers instantly.
import { FayClient, httpTransport } from '../../dist/core/index.js';
import { fixed, pass, spawnFayServer, type BenchTable } from './support.ts';

const KEY = 'fay_test_key';
const WARMUP = 500;
const ROUNDS = 4_000;

async function timePerCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i += 1) await call();
  return Number(process.hrtime.bigint() - start) / 1_000 / n; // µs
}

async function timeOne(call: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await call();
  return Number(process.hrtime.bigint() - start) / 1_000; // µs
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** µs of CPU the client spends per getStatus when the transport costs nothing. */
async function clientOnlyMicros(): Promise<number> {
  const requestId = '123e4567-e89b-42d3-a456-426614174000';
  const body = JSON.stringify({
    status: true,
    version: '1.0.24',
    data: { request_id: requestId, status: 'PROCESSING', prompt: 'q', conversation_id: null },
  });
  const headers = new Headers();
  const client = new FayClient({
    apiKey: KEY,
    transport: async () => ({ status: 200, headers, body }),
  });
  await timePerCall(() => client.getStatus(requestId), 20_000);
  return timePerCall(() => client.getStatus(requestId), 50_000);
}

export default async function overhead(): Promise<BenchTable[]> {
  const server = await spawnFayServer(3_600_000);
  try {
    const client = new FayClient({ apiKey: KEY, baseUrl: server.url });
    const { requestId } = await client.createConversation({ prompt: 'overhead' });
    const url = `${server.url}/api/v1/conversation/${requestId}/status`;
    const raw = async () => {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${KEY}` } });
      return (await res.json()) as unknown;
    };
    const ours = () => client.getStatus(requestId);
    const viaHttp = new FayClient({ apiKey: KEY, baseUrl: server.url, transport: httpTransport });
    const variants = [raw, ours, () => viaHttp.getStatus(requestId)];
    for (const variant of variants) await timePerCall(variant, WARMUP);
    const times: number[][] = variants.map(() => []);
    for (let i = 0; i < ROUNDS; i += 1) {
      // Rotate the order, so no variant always follows the same one.
      for (let k = 0; k < variants.length; k += 1) {
        const v = (i + k) % variants.length;
        times[v]?.push(await timeOne(variants[v] as () => Promise<unknown>));
      }
    }
    const [r, o, h] = times.map(median) as [number, number, number];
    const cpu = await clientOnlyMicros();
    const row = (label: string, t: number, goal: boolean) => [
      label,
      fixed(t),
      fixed(t - r),
      `${fixed(t / r, 2)}×`,
      goal ? `≤ 1.2× ${pass(t / r <= 1.2)}` : '',
    ];
    return [
      {
        title: `Overhead per status call (median of ${ROUNDS} rotating rounds, loopback)`,
        columns: ['call', 'µs', 'added (µs)', 'ratio', 'goal'],
        rows: [
          row('raw fetch + JSON', r, false),
          row('FayClient.getStatus (fetch, default)', o, true),
          row('FayClient.getStatus (httpTransport)', h, true),
        ],
        notes: [`client CPU per call with an instant transport: ${fixed(cpu)} µs`],
      },
    ];
  } finally {
    server.stop();
  }
}
