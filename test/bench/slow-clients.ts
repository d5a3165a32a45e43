// fay-mcp --http with slow attackers connected: 256 raw sockets that send a request's headers
// (any bearer passes them in bring-your-own-key mode) and then its body a byte a second, and
// reconnect whenever the server drops them. A real client's latency (tools/list and
// fay_get_research, sequential) with them connected, next to none connected, in the same run;
// and how many of its requests were refused (503). Part of `npm run bench`; alone:
// `node test/bench/run.ts slow-clients` (after a build).
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { fixed, spawnFayServer, type BenchTable } from './support.ts';

const BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));
const KEY = 'fay_test_key';
const ATTACKERS = 256;
const SEQUENTIAL = 300;

function start(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, '--http', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (found) resolve({ url: found[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
}

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

let nextId = 1;
/** One call; resolves with its status (200, or the refusal's). */
async function rpc(url: string, method: string, params?: unknown): Promise<number> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${KEY}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  await response.text();
  return response.status;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
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
  const server = await start({ FAY_BASE_URL: fay.url });
  let stopping = false;
  try {
    const started = await fetch(server.url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${KEY}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 0,
        method: 'tools/call',
        params: { name: 'fay_start_research', arguments: { prompt: 'Bench [fay:never]' } },
      }),
    }).then((response) => response.text());
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
