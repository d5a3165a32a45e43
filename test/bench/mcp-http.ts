// fay-mcp --http next to a minimal stateless SDK HTTP server in the same run: p50/p99 latency and
// requests/s for tools/list and for a tool that reads one research's status from the local Fay
// server (fay_get_research; the minimal server's one tool fetches the same status endpoint), and
// the server's RSS growth with 100 open connections. Both servers build a fresh MCP server per
// request (stateless), take the Fay key as the bearer, and answer over SSE. Goal: ≤ 1.2× latency.
// Part of `npm run bench`; alone: `node test/bench/run.ts mcp-http` (after a build).
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import {
  fixed,
  MCP_BIN,
  mcpCall,
  pass,
  percentile,
  spawnFayServer,
  spawnHttpServer,
  type BenchTable,
} from './support.ts';

const KEY = 'fay_test_key';
const GOAL = 1.2;
const SEQUENTIAL = 300;
const CONCURRENCY = 16;
const THROUGHPUT_REQUESTS = 800;
const CONNECTIONS = 100;

// Plain JavaScript, stateless like fay-mcp: one McpServer and transport per POST.
const MINIMAL_SERVER = `
import { createServer } from 'node:http';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import * as z from 'zod';
const fay = process.env.FAY_BASE_URL;
createServer(async (req, res) => {
  const key = /^Bearer (\\S+)$/.exec(req.headers.authorization ?? '')?.[1];
  const server = new McpServer({ name: 'minimal', version: '1.0.0' });
  server.registerTool('get', { inputSchema: { request_id: z.string() } }, async ({ request_id }) => {
    const answer = await fetch(fay + '/api/v1/conversation/' + request_id + '/status', {
      headers: { authorization: 'Bearer ' + key },
    });
    return { content: [{ type: 'text', text: await answer.text() }] };
  });
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
  res.on('close', () => { transport.close(); server.close(); });
  await server.connect(transport);
  await transport.handleRequest(req, res);
}).listen(0, '127.0.0.1', function () {
  process.stderr.write('listening on http://127.0.0.1:' + this.address().port + '/mcp\\n');
});
`;

interface Contender {
  name: string;
  url: string;
  child: ChildProcess;
  /** tools/call arguments of the status-reading tool. */
  getCall: { name: string; arguments: Record<string, unknown> };
}

async function rpc(url: string, method: string, params?: unknown): Promise<string> {
  const { status, text } = await mcpCall(url, KEY, method, params);
  if (status !== 200 || !text.includes('"result"')) throw new Error(`${method}: ${status} ${text}`);
  return text;
}

function rssKb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+)/m);
  return Number(line?.[1] ?? 0);
}

export default async function mcpHttp(): Promise<BenchTable[]> {
  const fay = await spawnFayServer(1500);
  const env = { FAY_BASE_URL: fay.url };
  const ours = await spawnHttpServer([MCP_BIN, '--http', '--port', '0'], env);
  const minimal = await spawnHttpServer(['--input-type=module', '-e', MINIMAL_SERVER], env);
  try {
    const started = await rpc(ours.url, 'tools/call', {
      name: 'fay_start_research',
      arguments: { prompt: 'Bench research [fay:never]' },
    });
    const requestId = /"request_id":"([0-9a-f-]{36})"/.exec(started)![1]!;
    const contenders: Contender[] = [
      {
        name: 'fay-mcp --http',
        ...ours,
        getCall: { name: 'fay_get_research', arguments: { request_id: requestId } },
      },
      {
        name: 'minimal SDK HTTP server',
        ...minimal,
        getCall: { name: 'get', arguments: { request_id: requestId } },
      },
    ];
    const operations: Array<[string, (c: Contender) => Promise<string>]> = [
      ['tools/list', (c) => rpc(c.url, 'tools/list')],
      ['get research', (c) => rpc(c.url, 'tools/call', c.getCall)],
    ];

    const latencyRows: string[][] = [];
    for (const [operation, run] of operations) {
      const times = contenders.map(() => [] as number[]);
      for (const contender of contenders) for (let i = 0; i < 20; i++) await run(contender); // warm-up
      // Alternating, so load from other processes hits both alike.
      for (let i = 0; i < SEQUENTIAL; i++) {
        for (const [index, contender] of contenders.entries()) {
          const begun = performance.now();
          await run(contender);
          times[index]!.push(performance.now() - begun);
        }
      }
      const throughput = [];
      for (const contender of contenders) {
        let left = THROUGHPUT_REQUESTS;
        const begun = performance.now();
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (left-- > 0) await run(contender);
          }),
        );
        throughput.push(THROUGHPUT_REQUESTS / ((performance.now() - begun) / 1000));
      }
      const baseline = percentile(times[1]!, 50);
      for (const [index, contender] of contenders.entries()) {
        const p50 = percentile(times[index]!, 50);
        latencyRows.push([
          operation,
          contender.name,
          fixed(p50, 2),
          fixed(percentile(times[index]!, 99), 2),
          fixed(throughput[index]!, 0),
          index === 0 ? `${fixed(p50 / baseline, 2)}× ${pass(p50 / baseline <= GOAL)}` : '',
        ]);
      }
    }

    const memoryRows: string[][] = [];
    for (const contender of contenders) {
      const before = rssKb(contender.child.pid!);
      // CONNECTIONS requests at once: fetch opens a connection for each, kept alive afterwards.
      await Promise.all(Array.from({ length: CONNECTIONS }, () => operations[0]![1](contender)));
      const after = rssKb(contender.child.pid!);
      memoryRows.push([contender.name, fixed(before / 1024, 1), fixed((after - before) / 1024, 1)]);
    }

    return [
      {
        title: `MCP over HTTP: latency (sequential, ${SEQUENTIAL} each) and throughput (${CONCURRENCY} at once)`,
        columns: [
          'operation',
          'server',
          'p50 ms',
          'p99 ms',
          'req/s',
          `p50 vs minimal (goal ≤ ${GOAL}×)`,
        ],
        rows: latencyRows,
        notes: [
          'get research: fay_get_research on a running research (one Fay status call) vs a tool that fetches the same status.',
        ],
      },
      {
        title: `MCP over HTTP: memory with ${CONNECTIONS} connections (tools/list on each at once)`,
        columns: ['server', 'RSS before (MB)', `RSS growth per ${CONNECTIONS} connections (MB)`],
        rows: memoryRows,
      },
    ];
  } finally {
    ours.child.kill();
    minimal.child.kill();
    fay.stop();
  }
}
