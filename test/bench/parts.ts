// Long answers in parts. (1) The time to split a 2 MB answer (a Markdown report, one 2 MB line,
// a structured answer; src/mcp/research/parts.ts), next to JSON.stringify of the same text, the
// least any server pays to send it once. Goal: under 50 ms. The two alternate run by run (so load
// from other processes hits both alike); figures are medians. (2) The Fay calls made to read
// every part of a 20-part answer through the built fay-mcp --http: one process, then two replicas
// read in turn, next to what reading each part from Fay would cost; and the largest result.
// Part of `npm run bench`; alone: `node test/bench/run.ts parts` (after a build).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { splitAnswer } from '../../src/mcp/research/parts.ts';
import { startFayServer } from '../support/fay-server.ts';
import { FINDINGS_SCHEMA, longLine, longMarkdown } from '../support/fay-server/long-output.ts';
import { structuredOutput } from '../support/fay-server/output.ts';
import { fixed, pass, spawnHttpServer, MCP_BIN, type BenchTable } from './support.ts';

const KEY = 'fay_test_key';
const LIMIT = 80_000;

const SIZE = 2_000_000;
const PART = 72_000;
const RUNS = 21;
const GOAL_MS = 50;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function ms(run: () => unknown): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function splitTimes(): BenchTable {
  const answers: Array<[string, unknown]> = [
    ['Markdown report', longMarkdown('bench report', SIZE)],
    ['one 2 MB line', longLine('bench line', SIZE)],
    ['structured (JSON)', structuredOutput('bench json', FINDINGS_SCHEMA, SIZE)],
  ];
  const rows = answers.map(([label, answer]) => {
    const text = typeof answer === 'string' ? answer : JSON.stringify(answer, null, 2);
    const split: number[] = [];
    const stringify: number[] = [];
    let count = 0;
    for (let i = 0; i < RUNS; i += 1) {
      split.push(ms(() => (count = splitAnswer(answer, PART).parts.length)));
      stringify.push(ms(() => JSON.stringify(text)));
    }
    const ours = median(split);
    return [
      label,
      fixed(text.length / 1e6, 2),
      String(count),
      fixed(ours),
      fixed(median(stringify)),
      `${fixed(ours / median(stringify))}×`,
      `< ${GOAL_MS}`,
      pass(ours < GOAL_MS),
    ];
  });
  return {
    title: `Long answers: splitting a 2 MB answer into parts of ${PART.toLocaleString('en')} weighted characters (median of ${RUNS})`,
    columns: [
      'answer',
      'MB',
      'parts',
      'split (ms)',
      'JSON.stringify (ms)',
      'ratio',
      'goal',
      'goal met',
    ],
    rows,
    notes: ['JSON.stringify: of the same text, as a server does once to send it'],
  };
}

async function connect(url: string): Promise<Client> {
  const client = new Client({ name: 'bench', version: '1.0.0' });
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: { headers: { authorization: `Bearer ${KEY}` } },
  });
  await client.connect(transport);
  return client;
}

async function getPart(client: Client, requestId: string, part: number) {
  const result = (await client.callTool({
    name: 'fay_get_research',
    arguments: { request_id: requestId, part },
  })) as CallToolResult;
  const facts = result.structuredContent as { parts?: number } | undefined;
  const size = JSON.stringify({ content: result.content, structuredContent: facts }).length;
  return { parts: facts?.parts ?? 1, size };
}

async function callTable(): Promise<BenchTable> {
  const fay = await startFayServer({ apiKeys: [KEY], jobDurationMs: 10 });
  const replicas = await Promise.all(
    [1, 2].map(() =>
      spawnHttpServer([MCP_BIN, '--http', '--port', '0'], { FAY_BASE_URL: fay.url }),
    ),
  );
  const clients = await Promise.all(replicas.map((replica) => connect(replica.url)));
  try {
    const rows: string[][] = [];
    for (const [label, readers] of [
      ['one process', [clients[0]!]],
      ['two replicas, read in turn', clients],
    ] as const) {
      const created = (await (
        await fetch(`${fay.url}/api/v1/conversations`, {
          method: 'POST',
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: JSON.stringify({ prompt: `Bench ${label} [fay:long=1150000]` }),
        })
      ).json()) as { data: { request_id: string } };
      const id = created.data.request_id;
      while (fay.jobState(id) !== 'COMPLETED') await new Promise((r) => setTimeout(r, 5));
      const first = await getPart(readers[0]!, id, 1);
      let largest = first.size;
      for (let part = 2; part <= first.parts; part += 1) {
        const { size } = await getPart(readers[(part - 1) % readers.length]!, id, part);
        largest = Math.max(largest, size);
      }
      const status = fay.count('status', { requestId: id });
      const output = fay.count('output', { requestId: id });
      rows.push([
        label,
        String(first.parts),
        String(status),
        String(output),
        `${first.parts} + ${first.parts}`,
        largest.toLocaleString('en'),
        pass(status <= readers.length && output <= readers.length && largest < LIMIT),
      ]);
    }
    return {
      title: 'Long answers: Fay calls to read every part of a 20-part answer (fay_get_research)',
      columns: [
        'reader',
        'parts',
        'status calls',
        'output calls',
        'each part from Fay (status + output)',
        'largest result (chars)',
        'goal met',
      ],
      rows,
      notes: [
        'goal: 1 status + 1 output per process that reads; every result under 80,000 characters',
      ],
    };
  } finally {
    await Promise.all(clients.map((client) => client.close()));
    for (const replica of replicas) replica.child.kill();
    await fay.close();
  }
}

export default async function parts(): Promise<BenchTable[]> {
  return [splitTimes(), await callTable()];
}
