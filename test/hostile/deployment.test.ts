// How a hurried operator deploys fay-mcp --http, tried as they would: a server-held key behind a
// same-host reverse proxy that rewrites Host to the upstream (nginx's default), and a team token
// set without a key. Neither may open the operator's Fay account or send a token to Fay.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import {
  builtBin,
  LIST_TOOLS,
  post,
  startHttpServer,
  startRoundRobinProxy,
} from '../support/mcp.ts';

const KEY = 'fay_deploy_key_Vb63rNc4';
const TOKEN = 'team-token-deploy-2c7e';
let fay: FayServer;

beforeAll(async () => {
  fay = await startFayServer({ apiKeys: [KEY] });
});
afterAll(() => fay?.close());

/** Starts `fay-mcp --http` on loopback with `env` and resolves with its exit code and stderr. */
function refusedStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [builtBin(), '--http', '--port', '0'], {
    env: { PATH: process.env.PATH ?? '', FAY_BASE_URL: fay.url, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    // A server that starts is not refused: stop it, the test reads the exit code.
    if (stderr.includes('listening on')) child.kill();
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

const START_RESEARCH = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'tools/call',
  params: { name: 'fay_start_research', arguments: { prompt: 'Anonymous' } },
});

describe('a server-held key behind a same-host proxy that rewrites Host', () => {
  it('is never served without FAY_MCP_TOKEN, even on loopback', async () => {
    const { code, stderr } = await refusedStart({ FAY_API_KEY: KEY });
    expect(code).toBe(1);
    expect(stderr).toContain('FAY_MCP_TOKEN');
    expect(stderr).not.toContain(KEY);
  });

  it('with FAY_MCP_TOKEN: an anonymous call through the proxy gets 401 and starts nothing', async () => {
    const server = await startHttpServer({
      FAY_API_KEY: KEY,
      FAY_BASE_URL: fay.url,
      FAY_MCP_TOKEN: TOKEN,
    });
    const proxy = await startRoundRobinProxy([server.url]);
    try {
      const creates = fay.count('create');
      const anonymous = await post(proxy.url, START_RESEARCH);
      expect(anonymous.status).toBe(401);
      expect(fay.count('create')).toBe(creates);
      const withToken = await post(proxy.url, LIST_TOOLS, { authorization: `Bearer ${TOKEN}` });
      expect(withToken.status).toBe(200);
    } finally {
      await proxy.close();
      await server.stop();
    }
  });
});

describe('FAY_MCP_TOKEN without FAY_API_KEY', () => {
  it.each([
    ['unset', {}],
    ['blank', { FAY_API_KEY: '   ' }],
  ])(
    'FAY_API_KEY %s: refused at start, naming FAY_API_KEY; nothing reaches Fay',
    async (_, env) => {
      const before = fay.count();
      const { code, stderr } = await refusedStart({ FAY_MCP_TOKEN: TOKEN, ...env });
      expect(code).toBe(1);
      expect(stderr).toContain('FAY_API_KEY');
      expect(stderr).not.toContain(TOKEN);
      expect(fay.count()).toBe(before);
    },
  );
});
