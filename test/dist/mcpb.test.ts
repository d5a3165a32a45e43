// The MCP bundle as a host installs it. buildMcpb (what `npm run mcpb` runs) writes
// fay-mcp-<version>.mcpb, here into a temp folder so a release bundle at the repository root is
// never replaced; `mcpb validate` checks the manifest, `mcpb unpack` lays the bundle out in an
// empty folder, and the server starts from there alone (no node_modules), with the command and
// environment a host derives from the manifest (@anthropic-ai/mcpb's getMcpConfigForManifest,
// the reference host code), lists its tools and runs one research against the local Fay server.
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McpbManifestAny } from '@anthropic-ai/mcpb';
import { getMcpConfigForManifest } from '@anthropic-ai/mcpb/node';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { buildMcpb, ENTRY, manifest, readPackageJson } from '../../scripts/mcpb.ts';
import { DEFAULT_BASE_URL } from '../../src/core/index.ts';
import { DEFAULT_CALL_WINDOW_SECONDS } from '../../src/mcp/config/index.ts';
import { startFayServer, type FayServer } from '../support/fay-server.ts';
import { connectStdio, type Session } from '../support/mcp.ts';
import { BUILT_SERVER, filesUnder } from './support/files.ts';

const run = promisify(execFile);
const MCPB_CLI = fileURLToPath(
  new URL('../../node_modules/@anthropic-ai/mcpb/dist/cli/cli.js', import.meta.url),
);
const API_KEY = 'fay_mcpb_secret_Vb27Qe';
const TOOLS = ['fay_get_research', 'fay_research', 'fay_start_research', 'fay_stop_research'];

describe('the packed bundle, unpacked into an empty folder', () => {
  let workDir: string;
  let fay: FayServer;
  let session: Session | undefined;
  let unpacked: McpbManifestAny;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'fay-mcpb-'));
    fay = await startFayServer({ apiKeys: [API_KEY], jobDurationMs: 1_000 });
  });
  afterAll(async () => {
    await session?.close();
    await fay?.close();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(
    'validates, unpacks without node_modules, starts as a host starts it and researches',
    { timeout: 120_000 },
    async () => {
      // Its own folder: the bundle at the repository root may be a release one.
      const { path, bytes } = await buildMcpb(false, join(workDir, 'out'));
      expect(path).toBe(join(workDir, 'out', `fay-mcp-${(await readPackageJson()).version}.mcpb`));
      expect(bytes).toBeLessThan(1_000_000);

      const dir = join(workDir, 'extension');
      await run(process.execPath, [MCPB_CLI, 'unpack', path, dir]);
      await run(process.execPath, [MCPB_CLI, 'validate', join(dir, 'manifest.json')]);
      expect((await readdir(dir)).sort()).toEqual([
        'LICENSE',
        'dist',
        'icon.png',
        'manifest.json',
        'package.json',
      ]);
      expect(await filesUnder(join(dir, 'dist', 'mcp'))).toEqual(await filesUnder(BUILT_SERVER));
      unpacked = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as McpbManifestAny;

      // The user filled in the key (and, here, the local server's address) and left the rest.
      const config = await getMcpConfigForManifest({
        manifest: unpacked,
        extensionPath: dir,
        systemDirs: {},
        userConfig: { api_key: API_KEY, base_url: fay.url },
        pathSeparator: sep,
      });
      expect(config?.command).toBe('node');
      expect(config?.env?.FAY_CALL_WINDOW_SECONDS).toBe('${user_config.call_window_seconds}');

      session = await connectStdio(config!.env!, {
        command: process.execPath, // the host's own Node, in place of "node"
        args: config!.args!,
        cwd: workDir,
      });
      const { client } = session;

      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(TOOLS);
      expect(unpacked.tools?.map((tool) => tool.name).sort()).toEqual(TOOLS);
      expect(client.getServerVersion()).toMatchObject({
        name: 'fay-mcp',
        version: (await readPackageJson()).version,
      });

      const result = (await client.callTool({
        name: 'fay_research',
        arguments: { prompt: 'Tidal energy in Brittany' },
      })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(JSON.stringify(result.content)).toContain('# Research: Tidal energy in Brittany');
      expect(fay.requests.length).toBeGreaterThan(0);
      expect(session.stderr()).not.toContain(API_KEY);
    },
  );
});

describe('the manifest', () => {
  it('maps the user options onto the server environment, the key marked sensitive', async () => {
    const built = manifest(await readPackageJson(), []);
    expect(built.server.mcp_config.env).toEqual({
      FAY_API_KEY: '${user_config.api_key}',
      FAY_BASE_URL: '${user_config.base_url}',
      FAY_CALL_WINDOW_SECONDS: '${user_config.call_window_seconds}',
      FAY_STATUS_CALLS_PER_HOUR: '${user_config.status_calls_per_hour}',
    });
    expect(built.user_config.api_key).toMatchObject({ sensitive: true, required: true });
  });

  it("states the server's own defaults for the options a user may leave empty", async () => {
    const options = manifest(await readPackageJson(), []).user_config;
    expect(options.base_url.description).toContain(DEFAULT_BASE_URL);
    expect(options.call_window_seconds.description).toContain(`${DEFAULT_CALL_WINDOW_SECONDS} s`);
  });

  it('points a Windows host at the bundle with Windows separators', async () => {
    const extension = 'C:\\Users\\Ada\\AppData\\Roaming\\Claude\\Claude Extensions\\fay-mcp';
    const config = await getMcpConfigForManifest({
      manifest: manifest(await readPackageJson(), []) as McpbManifestAny,
      extensionPath: extension,
      systemDirs: {},
      userConfig: { api_key: 'k' },
      pathSeparator: '\\',
    });
    expect(win32.normalize(config!.args![0]!)).toBe(win32.join(extension, ...ENTRY.split('/')));
  });
});
