// fay-mcp --http with slow attackers connected: 256 raw sockets that send a request's headers
// (any bearer passes them in bring-your-own-key mode) and then its body a byte a second, and
// reconnect whenever the server drops them. A real client's latency (tools/list and
// fay_get_research, sequential) with them connected, next to none connected, in the same run;
// and how many of its requests were refused (503). Part of `npm run bench`; alone:
// `node test/bench/run.ts slow-clients` (after a build).
import { connect, type Socket } from 'node:net';
import {
  fixed,
  MCP_BIN,
  mcpCall,
  percentile,
  spawnFayServer,
  spawnHttpServer,
  type BenchTable,
} from './support.ts';

const KEY = 'fay_test_key';
const ATTACKERS = 256;
const SEQUENTIAL = 300;

/** One attacker: headers, then a body byte a second; it reconnects when dropped, until stopped. */
function attack(url: string, stopped: () => boolean): void {
  const { hostname, port, host, pathname } = new URL(url);
  const socket: Socket = connect({ host: hostname, port: Number(port) });
  let timer: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    socket.write(
      `POST ${pathname} HTTP/1.1\r\nhost: ${host}\r\nauthorization: Bearer not-a-key-but-long-enough\r\n` +
        'content-type: application/json\r\naccept: application/json, text/event-stream\r\n' +
        'content-length: 4096\r\n\r\n{',
    );
    timer = setInterval(() => socket.write(' '), 1_000);
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    clearInterval(timer);
    if (!stopped()) setTimeout(() => attack(url, stopped), 100);
  });
  attackers.add(socket);
}
const attackers = new Set<Socket>();

/** One call; resolves with its status (200, or the refusal's). */
async function rpc(url: string, method: string, params?: unknown): Promise<number> {
  return (await mcpCall(url, KEY, method, params)).status;
}

async function measure(run: () => Promise<number>): Promise<{ times: number[]; refused: number }> {
  for (let i = 0; i < 20; i++) await run(); // warm-up
  const times: number[] = [];
  let refused = 0;
  for (let i = 0; i < SEQUENTIAL; i++) {
    const begun = performance.now();
    if ((await run()) !== 200) refused += 1;
    times.push(performance.now() - begun);
  }
  return { times, refused };
}

export default async function slowClients(): Promise<BenchTable[]> {
  const fay = await spawnFayServer(1500);
  const server = await spawnHttpServer([MCP_BIN, '--http', '--port', '0'], {
    FAY_BASE_URL: fay.url,
  });
  let stopping = false;
  try {
    const { text: started } = await mcpCall(server.url, KEY, 'tools/call', {
      name: 'fay_start_research',
      arguments: { prompt: 'Bench [fay:never]' },
    });
    const requestId = /"request_id":"([0-9a-f-]{36})"/.exec(started)![1]!;
    const operations: Array<[string, () => Promise<number>]> = [
      ['tools/list', () => rpc(server.url, 'tools/list')],
      [
        'get research',
        () =>
          rpc(server.url, 'tools/call', {
            name: 'fay_get_research',
            arguments: { request_id: requestId },
          }),
      ],
    ];
    const rows: string[][] = [];
    for (const attackersConnected of [false, true]) {
      if (attackersConnected) {
        for (let i = 0; i < ATTACKERS; i++) attack(server.url, () => stopping);
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
      for (const [operation, run] of operations) {
        const { times, refused } = await measure(run);
        rows.push([
          operation,
          attackersConnected ? `${ATTACKERS} slow attackers` : 'none',
          fixed(percentile(times, 50), 2),
          fixed(percentile(times, 99), 2),
          `${refused}/${SEQUENTIAL}`,
        ]);
      }
    }
    return [
      {
        title: `MCP over HTTP: a real client with ${ATTACKERS} slow attackers connected (sequential, ${SEQUENTIAL} each)`,
        columns: ['operation', 'attackers', 'p50 ms', 'p99 ms', 'refused'],
        rows,
        notes: [
          'Attackers send headers, then a body byte a second (dropped at the 20 s request timeout, and reconnect); default FAY_MCP_MAX_CALLS_IN_FLIGHT (256).',
        ],
      },
    ];
  } finally {
    stopping = true;
    for (const socket of attackers) socket.destroy();
    server.child.kill();
    fay.stop();
  }
}
