// fay-mcp as its users get it: the packed fay-mcp-<version>.tgz (scripts/pack.ts, as
// `npm run pack` packs it).
// - MCP users: `npx -y --package=<tarball> fay-mcp`, which runs the bin as `npx -y fay-mcp` does
//   from the registry; a real MCP client lists its tools.
// - Library users: the tarball installed into an empty project, which imports `fay-mcp/client`
//   from plain Node and runs one research against the local Fay server.
// And the package holds no n8n face: that is n8n-nodes-fay's.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packFayMcp } from '../../scripts/pack.ts';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { connectStdio } from '../support/mcp.ts';
import { BUILT_SERVER, filesUnder } from './support/files.ts';

const run = promisify(execFile);
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const KEY = 'fay_pack_secret_Qm41Zx';
/** Node 22+ first on PATH, as a user would have (the bin's `#!/usr/bin/env node`). */
const env = () => {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k, v]) => v !== undefined && !/^npm_/i.test(k)),
  ) as Record<string, string>;
  return { ...inherited, PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` };
};

let workDir: string;
let tarball: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'fay-mcp-pack-'));
  tarball = await packFayMcp(join(workDir, 'pack'));
}, 120_000);
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('the packed fay-mcp', () => {
  it('ships the server and the client, and no n8n face', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.split('\n').filter(Boolean);
    const server = (await filesUnder(BUILT_SERVER)).map((file) => `package/dist/mcp/${file}`);
    expect(server).toContain('package/dist/mcp/bin.js');
    expect(files.filter((file) => file.startsWith('package/dist/mcp/')).sort()).toEqual(server);
    expect(files).toContain('package/dist/core/index.js');
    expect(files).toContain('package/dist/core/index.d.ts');
    expect(files.filter((file) => /n8n|\.node\.js$|credentials/.test(file))).toEqual([]);
  });

  it(
    'starts with `npx -y --package=<tarball> fay-mcp` and lists its tools',
    { timeout: 300_000 },
    async () => {
      const cwd = join(workDir, 'npx');
      await mkdir(cwd);
      const { client, close } = await connectStdio(env(), {
        command: process.platform === 'win32' ? 'npx.cmd' : 'npx',
        args: ['-y', `--package=${tarball}`, 'fay-mcp'],
        cwd,
      });
      try {
        const { tools } = await client.listTools();
        expect(tools.map((tool) => tool.name).sort()).toEqual([
          'fay_get_research',
          'fay_research',
          'fay_start_research',
          'fay_stop_research',
        ]);
        expect(client.getServerVersion()?.name).toBe('fay-mcp');
      } finally {
        await close();
      }
    },
  );

  describe('installed into a project, as a library', () => {
    let fay: FayServer;
    beforeAll(async () => {
      fay = await startFayServer({ apiKeys: [KEY], jobDurationMs: 200 });
    });
    afterAll(async () => {
      await fay?.close();
    });

    it(
      "imports fay-mcp/client and researches; the server's dependencies stay out",
      { timeout: 300_000 },
      async () => {
        const app = join(workDir, 'app');
        await mkdir(app);
        await writeFile(join(app, 'package.json'), '{ "name": "app", "private": true }\n');
        await run(npm, ['install', '--no-audit', '--no-fund', tarball], { cwd: app, env: env() });
        // The server is bundled: the MCP SDK and its dependencies are not installed with it.
        const installed = await readdir(join(app, 'node_modules'));
        expect(installed).toContain('fay-mcp');
        expect(installed).not.toContain('@modelcontextprotocol');

        await writeFile(
          join(app, 'research.mjs'),
          [
            "import { FayClient, FayError } from 'fay-mcp/client';",
            'const fay = new FayClient({ apiKey: process.env.KEY, baseUrl: process.env.URL });',
            "const result = await fay.research({ prompt: 'Tidal energy in Brittany' });",
            'console.log(JSON.stringify({ status: result.status, isError: typeof FayError }));',
          ].join('\n'),
        );
        const { stdout } = await run(process.execPath, ['research.mjs'], {
          cwd: app,
          env: { ...env(), KEY, URL: fay.url },
        });
        expect(JSON.parse(stdout)).toEqual({ status: 'COMPLETED', isError: 'function' });
        expect(fay.requests.length).toBeGreaterThan(2);
      },
    );
  });
});
