// 500 concurrent researches in one process: wall time, RSS growth, status calls — FayClient next
// to a hand-written docs-style loop (raw fetch, poll every 2 s). The Fay server runs in its own
// process and each variant in a fresh child process, so RSS measures only the client side.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FayClient, fetchTransport, httpTransport } from '../../dist/core/index.js';
import { fixed, pass, spawnFayServer, type BenchTable } from './support.ts';

const KEY = 'fay_test_key';
const RESEARCHES = 500;
const JOB_MS = 5_000;
const SELF = fileURLToPath(import.meta.url);

interface Burst {
  wallMs: number;
  /** Peak RSS during the burst minus RSS just before it. */
  rssGrowthMb: number;
  statusCalls: number;
  failures: number;
}

interface VariantResult {
  cold: Burst;
  warm: Burst;
  /** Heap still used after both bursts and a full GC, minus the heap before them (leak check). */
  retainedMb: number;
}

const mb = (bytes: number) => bytes / 2 ** 20;

/** The docs' example: create, poll status every 2 s, fetch the output. */
async function docsLoop(baseUrl: string, prompt: string, count: () => void): Promise<unknown> {
  const headers = { Authorization: `Bearer ${KEY}`, 'Content-Type': 'application/json' };
  const created = (await (
    await fetch(`${baseUrl}/api/v1/conversations`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt }),
    })
  ).json()) as { data: { request_id: string } };
  const id = created.data.request_id;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    count();
    const status = (await (
      await fetch(`${baseUrl}/api/v1/conversation/${id}/status`, { headers })
    ).json()) as {
      data: { status: string };
    };
    if (['COMPLETED', 'FAILED', 'STOPPED'].includes(status.data.status)) break;
  }
  return (await fetch(`${baseUrl}/api/v1/conversation/${id}/output`, { headers })).json();
}

/** Runs in the child: one variant, two bursts (a fresh process, then a warmed-up one). */
async function runVariant(variant: string, baseUrl: string): Promise<VariantResult> {
  let statusCalls = 0;
  const count = () => (statusCalls += 1);
  const inner = variant === 'ours-http' ? httpTransport : fetchTransport;
  const client = new FayClient({
    apiKey: KEY,
    baseUrl,
    transport: (req) => {
      if (req.url.endsWith('/status')) count();
      return inner(req);
    },
  });
  const one = (prompt: string) =>
    variant === 'docs' ? docsLoop(baseUrl, prompt, count) : client.research({ prompt });
  const burst = async (): Promise<Burst> => {
    statusCalls = 0;
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    const start = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: RESEARCHES }, (_, i) => one(`Question ${i}`)),
    );
    const wallMs = performance.now() - start;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    const failures = outcomes.filter((o) => o.status === 'rejected').length;
    return { wallMs, rssGrowthMb: mb(peak - before), statusCalls, failures };
  };
  const gc = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
  await one('warm-up [fay:duration=10]');
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const cold = await burst();
  const warm = await burst();
  gc();
  return { cold, warm, retainedMb: mb(process.memoryUsage().heapUsed - heapBefore) };
}

function measure(variant: string, baseUrl: string): Promise<VariantResult> {
  const child = spawn(process.execPath, ['--expose-gc', SELF, variant, baseUrl], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  return new Promise((resolve, reject) =>
    child.once('close', (code) =>
      code === 0
        ? resolve(JSON.parse(out) as VariantResult)
        : reject(new Error(`${variant} exited ${code}`)),
    ),
  );
}

export default async function concurrency(): Promise<BenchTable[]> {
  const server = await spawnFayServer(JOB_MS);
  try {
    const ours = await measure('ours', server.url);
    const oursHttp = await measure('ours-http', server.url);
    const docs = await measure('docs', server.url);
    const row = (name: string, r: VariantResult, goal: boolean) => [
      name,
      fixed(r.cold.wallMs / 1000, 2),
      fixed(r.cold.rssGrowthMb),
      fixed(r.warm.rssGrowthMb),
      fixed(r.retainedMb),
      String(r.cold.statusCalls),
      String(r.cold.failures + r.warm.failures),
      goal ? `fresh ${pass(r.cold.rssGrowthMb <= 50)}, warm ${pass(r.warm.rssGrowthMb <= 50)}` : '',
    ];
    return [
      {
        title: `${RESEARCHES} concurrent researches in one process (jobs of ${JOB_MS / 1000} s, Fay server in another process)`,
        columns: [
          'client',
          'wall (s)',
          'RSS growth, fresh process (MB)',
          'RSS growth, warm process (MB)',
          'heap retained after GC (MB)',
          'status calls',
          'failures',
          'goal ≤ 50 MB',
        ],
        rows: [
          row('FayClient.research (fetch, default)', ours, true),
          row('FayClient.research (httpTransport)', oursHttp, true),
          row('docs 2 s loop (raw fetch)', docs, false),
        ],
        notes: [
          'Each client runs two bursts of 500 in a fresh child process: the first burst shows what a',
          'new process pays (mostly V8 growing its young generation), the second what a long-running',
          'host (MCP server, n8n) pays. fetch allocates ~45 KB per request, node:http much less.',
        ],
      },
    ];
  } finally {
    server.stop();
  }
}

// Child mode: `node concurrency.ts <variant> <baseUrl>` prints the result as JSON.
if (process.argv[1] === SELF && process.argv[2]) {
  const result = await runVariant(process.argv[2], process.argv[3] as string);
  process.stdout.write(JSON.stringify(result));
}
