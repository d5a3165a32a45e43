// What signing in costs per call: `tools/list` on fay-mcp --http with an access token from a
// sign-in (the server opens the sealed token to find the key, and keeps what it opened) next to
// the same call on the same server with the raw Fay key as the bearer, alternating, in the same
// run; also the first call of each of 100 new tokens (each one opened). Goal: p50 ≤ 1.1× for a
// client reusing its token.
// Part of `npm run bench`; alone: `node test/bench/run.ts mcp-oauth` (after a build).
import { refreshAuthorization } from '@modelcontextprotocol/sdk/client/auth.js';
import { freePort } from '../support/free-port.ts';
import { signIn } from '../support/oauth-sign-in.ts';
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
const SECRET = 'bench-secret-0123456789abcdefghijklmnopqrstuv';
const GOAL = 1.1;
const WARM_UP = 30;
const SEQUENTIAL = 1000;
/** New access tokens (one refresh each) whose first call is measured. */
const FRESH_TOKENS = 100;
const SPREAD = SEQUENTIAL / FRESH_TOKENS;

async function listTools(url: string, bearer: string): Promise<void> {
  const { status, text } = await mcpCall(url, bearer, 'tools/list');
  if (status !== 200 || !text.includes('"result"'))
    throw new Error(`tools/list: ${status} ${text}`);
}

export default async function mcpOauth(): Promise<BenchTable[]> {
  const fay = await spawnFayServer(1500);
  const port = await freePort();
  const publicUrl = `http://127.0.0.1:${port}`;
  const server = await spawnHttpServer([MCP_BIN, '--http', '--port', String(port)], {
    FAY_BASE_URL: fay.url,
    FAY_MCP_PUBLIC_URL: publicUrl,
    FAY_MCP_OAUTH_SECRETS: SECRET,
  });
  try {
    const signInStarted = performance.now();
    const tokens = await signIn(publicUrl, KEY);
    const signInMs = performance.now() - signInStarted;
    // Fresh access tokens, by refreshing: a token's first call is the one that opens it.
    const fresh: string[] = [];
    let refreshToken = tokens.refresh_token!;
    for (let i = 0; i < FRESH_TOKENS; i++) {
      const next = await refreshAuthorization(publicUrl, {
        metadata: tokens.start.metadata,
        clientInformation: tokens.start.client,
        refreshToken,
        resource: new URL(`${publicUrl}/mcp`),
      });
      fresh.push(next.access_token);
      refreshToken = next.refresh_token!;
    }
    const contenders: Array<{ name: string; bearer: (round: number) => string | undefined }> = [
      { name: 'signed-in access token', bearer: () => tokens.access_token },
      // Spread over the run (every tenth round), so it meets the same conditions as the others.
      {
        name: 'signed-in, first call of a new token',
        bearer: (round) => (round % SPREAD === 0 ? fresh[round / SPREAD] : undefined),
      },
      { name: 'raw Fay key (baseline)', bearer: () => KEY },
    ];
    const times = contenders.map(() => [] as number[]);
    for (let i = 0; i < WARM_UP; i++) {
      await listTools(server.url, tokens.access_token);
      await listTools(server.url, KEY);
    }
    // Alternating, and the order turning each round, so load from other processes and the cost
    // of going first hit all alike.
    for (let round = 0; round < SEQUENTIAL; round++) {
      for (let k = 0; k < contenders.length; k++) {
        const index = (round + k) % contenders.length;
        const bearer = contenders[index]!.bearer(round);
        if (bearer === undefined) continue;
        const begun = performance.now();
        await listTools(server.url, bearer);
        times[index]!.push(performance.now() - begun);
      }
    }
    const baseline = percentile(times[2]!, 50);
    const rows = contenders.map(({ name }, index) => {
      const p50 = percentile(times[index]!, 50);
      const ratio = `${fixed(p50 / baseline, 2)}×`;
      return [
        name,
        String(times[index]!.length),
        fixed(p50, 2),
        fixed(percentile(times[index]!, 99), 2),
        index === 0 ? `${ratio} ${pass(p50 / baseline <= GOAL)}` : index === 1 ? ratio : '',
      ];
    });
    return [
      {
        title: `MCP over HTTP with sign-in: tools/list by bearer (sequential, alternating)`,
        columns: ['bearer', 'calls', 'p50 ms', 'p99 ms', `p50 vs raw key (goal ≤ ${GOAL}×)`],
        rows,
        notes: [
          'The goal is for a client reusing its token (as clients do, for up to an hour); a new token is opened (decrypted) on its first call.',
          `One whole sign-in (discovery, registration, consent with the key check, code exchange): ${fixed(signInMs, 0)} ms; the access token is ${tokens.access_token.length} characters.`,
        ],
      },
    ];
  } finally {
    server.child.kill();
    fay.stop();
  }
}
