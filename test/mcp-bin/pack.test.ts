// The package as a user gets it: npm pack, install the tarball into an empty folder (without the
// MCP SDK, which the bundled server carries), start the server through node_modules/.bin/fay-mcp
// (what `npx -y n8n-nodes-fay` runs) and list its tools.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let workDir: string | undefined;

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

it(
  'installs from the packed tarball and starts through its fay-mcp bin',
  { timeout: 300_000 },
  async () => {
    workDir = await mkdtemp(join(tmpdir(), 'fay-mcp-pack-'));
    const packDir = join(workDir, 'pack');
    const appDir = join(workDir, 'app');
    await mkdir(packDir);
    await mkdir(appDir);
    await run(npm, ['pack', '--pack-destination', packDir, '--ignore-scripts'], { cwd: ROOT });
    const [tarball] = (await readdir(packDir)).filter((name) => name.endsWith('.tgz'));
    expect(tarball).toBeDefined();

    await writeFile(join(appDir, 'package.json'), '{ "name": "app", "private": true }\n');
    await run(npm, ['install', '--no-audit', '--no-fund', join(packDir, tarball!)], {
      cwd: appDir,
    });
    // The server is bundled: the MCP SDK and its dependencies (pkce-challenge's index.node.js
    // trips n8n's extension loader) are not installed with the package.
    const installed = await readdir(join(appDir, 'node_modules'));
    expect(installed).toContain('n8n-nodes-fay');
    expect(installed).not.toContain('@modelcontextprotocol');
    expect(installed).not.toContain('pkce-challenge');

    const transport = new StdioClientTransport({
      command: join(appDir, 'node_modules', '.bin', 'fay-mcp'),
      // The bin's `#!/usr/bin/env node` needs a Node 22+ first on PATH, as a user would have.
      env: { PATH: `${join(process.execPath, '..')}:${process.env.PATH ?? ''}` },
      cwd: appDir,
      stderr: 'pipe',
    });
    const client = new Client({ name: 'pack-test', version: '1.0.0' });
    await client.connect(transport);
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
      await client.close();
    }
  },
);
