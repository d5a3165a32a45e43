// What signing in costs per call: `tools/list` on fay-mcp --http with an access token from a
// sign-in (the server opens the sealed token to find the key) next to the same call on the same
// server with the raw Fay key as the bearer, alternating, in the same run. Goal: p50 ≤ 1.1×.
// Part of `npm run bench`; alone: `node test/bench/run.ts mcp-oauth` (after a build).
import { createServer } from 'node:net';
import { signIn } from '../support/oauth-sign-in.ts';
import {
  fixed,
  MCP_BIN,
  mcpRpc,
  pass,
  percentile,
  spawnFayServer,
  spawnListening,
  type BenchTable,
} from './support.ts';

const KEY = 'fay_test_key';
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
const GOAL = 1.1;
const WARM_UP = 30;
const SEQUENTIAL = 1000;

/** A port free right now: the server needs its own URL (FAY_MCP_PUBLIC_URL) before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export default async function mcpOauth(): Promise<BenchTable[]> {
  const fay = await spawnFayServer(1500);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const server = await spawnListening([MCP_BIN, '--http', '--port', String(port)], {
    FAY_BASE_URL: fay.url,
    FAY_MCP_PUBLIC_URL: publicUrl,
    FAY_MCP_OAUTH_SECRETS: SECRET,
  });
  try {
    const signInStarted = performance.now();
    const tokens = await signIn(publicUrl, KEY);
    const signInMs = performance.now() - signInStarted;
    const bearers: Array<[string, string]> = [
      ['signed-in access token', tokens.access_token],
      ['raw Fay key (baseline)', KEY],
    ];
    const times = bearers.map(() => [] as number[]);
    for (const [, bearer] of bearers) {
      for (let i = 0; i < WARM_UP; i++) await mcpRpc(server.url, bearer, 'tools/list');
    }
    // Alternating, and each going first every other round, so load from other processes and
    // the cost of going first hit both alike.
    for (let i = 0; i < SEQUENTIAL; i++) {
      const order = i % 2 === 0 ? [0, 1] : [1, 0];
      for (const index of order) {
        const begun = performance.now();
        await mcpRpc(server.url, bearers[index]![1], 'tools/list');
        times[index]!.push(performance.now() - begun);
      }
    }
    const baseline = percentile(times[1]!, 50);
    const rows = bearers.map(([name], index) => {
      const p50 = percentile(times[index]!, 50);
      return [
        name,
        fixed(p50, 2),
        fixed(percentile(times[index]!, 99), 2),
        index === 0 ? `${fixed(p50 / baseline, 2)}× ${pass(p50 / baseline <= GOAL)}` : '',
      ];
    });
    return [
      {
        title: `MCP over HTTP with sign-in: tools/list by bearer (sequential, ${SEQUENTIAL} each, alternating)`,
        columns: ['bearer', 'p50 ms', 'p99 ms', `p50 vs raw key (goal ≤ ${GOAL}×)`],
        rows,
        notes: [
          `One whole sign-in (discovery, registration, consent with the key check, code exchange): ${fixed(signInMs, 0)} ms; the access token is ${tokens.access_token.length} characters.`,
        ],
      },
    ];
  } finally {
    server.child.kill();
    fay.stop();
  }
}
