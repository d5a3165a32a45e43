// `npm run mcpb`: the MCP bundle for Claude Desktop and other MCPB hosts, written to
// fay-mcp-<version>.mcpb at the repository root. It stages the built server (dist/mcp/bin.js and
// main.js, which carry every dependency, so the bundle needs no node_modules) with a manifest, an
// icon and a package.json (it makes the .js files ES modules and gives the server its version),
// then validates and packs it with the official mcpb CLI. The manifest's tools are the ones the
// built server lists, so it cannot drift from them.
// `npm run mcpb -- --release` also writes the bundle's version and SHA-256 into server.json.
// scripts/mcpb-icon.png is fay.svg (src/n8n/icons) rendered at 512 px with rsvg-convert.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MCPB_CLI = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
/** Where the server sits, inside the bundle as in the package (version.ts finds ../../package.json). */
export const ENTRY = 'dist/mcp/bin.js';

interface PackageJson {
  name: string;
  version: string;
  description: string;
  license: string;
  homepage: string;
  author: { name: string; email?: string };
  keywords: string[];
  engines: { node: string };
}

export async function readPackageJson(): Promise<PackageJson> {
  return JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
}

export const mcpbFileName = (version: string): string => `fay-mcp-${version}.mcpb`;

/** The tools the built server lists (name and first sentence of its description). */
async function listedTools(): Promise<Array<{ name: string; description: string }>> {
  const client = new Client({ name: 'fay-mcpb-build', version: '1.0.0' });
  await client.connect(
    new StdioClientTransport({
      command: process.execPath,
      args: [join(ROOT, ENTRY)],
      stderr: 'ignore',
    }),
  );
  try {
    const { tools } = await client.listTools();
    return tools.map(({ name, description = '' }) => ({
      name,
      description: description.split(/(?<=\.)\s/)[0]!,
    }));
  } finally {
    await client.close();
  }
}

/** The MCPB manifest (format 0.3) for this package and the tools its server lists. */
export function manifest(pkg: PackageJson, tools: Array<{ name: string; description: string }>) {
  // The registry entry's title and description, so both listings read alike.
  const listing = JSON.parse(readFileSync(join(ROOT, 'server.json'), 'utf8')) as {
    title: string;
    description: string;
  };
  return {
    manifest_version: '0.3',
    name: 'fay-mcp',
    display_name: listing.title,
    version: pkg.version,
    description: listing.description,
    long_description:
      'Ask Fay a question and get a researched, sourced answer. Research takes minutes: ' +
      'fay_research waits up to the call window, then hands back a request_id that ' +
      'fay_get_research reads later. Cancelling a call never stops the research; only ' +
      'fay_stop_research does.',
    author: pkg.author,
    homepage: pkg.homepage,
    license: pkg.license,
    keywords: pkg.keywords.filter((keyword) => !keyword.startsWith('n8n')),
    icon: 'icon.png',
    server: {
      type: 'node',
      entry_point: ENTRY,
      mcp_config: {
        command: 'node',
        args: [`\${__dirname}/${ENTRY}`],
        env: {
          FAY_API_KEY: '${user_config.api_key}',
          FAY_BASE_URL: '${user_config.base_url}',
          FAY_CALL_WINDOW_SECONDS: '${user_config.call_window_seconds}',
          FAY_STATUS_CALLS_PER_HOUR: '${user_config.status_calls_per_hour}',
        },
      },
    },
    tools,
    compatibility: {
      platforms: ['darwin', 'win32', 'linux'],
      runtimes: { node: pkg.engines.node },
    },
    // Options left empty reach the server as unsubstituted placeholders, which it reads as unset
    // (src/mcp/config/bundle-env.ts): its own defaults then apply, stated here for the user.
    user_config: {
      api_key: {
        type: 'string',
        title: 'Fay API key',
        description: 'Your Fay API key. Kept in the system keychain.',
        sensitive: true,
        required: true,
      },
      base_url: {
        type: 'string',
        title: 'Fay API address',
        description: 'Only to go through a proxy. Empty: https://api.fay.work.',
        required: false,
      },
      call_window_seconds: {
        type: 'number',
        title: 'Call window (seconds)',
        description:
          'How long fay_research waits before handing back the request_id. Empty: 45 s, under ' +
          'the ~60 s many clients allow a tool call.',
        required: false,
        min: 1,
        max: 3600,
      },
      status_calls_per_hour: {
        type: 'number',
        title: 'Status calls per hour',
        description:
          'Budget of status calls shared by all waits (free plan: 100). Empty: unlimited.',
        required: false,
        min: 1,
      },
    },
  };
}

async function mcpb(verbose: boolean, ...args: string[]): Promise<void> {
  const { stdout } = await run(process.execPath, [MCPB_CLI, ...args], { cwd: ROOT });
  if (verbose) process.stderr.write(stdout);
}

/**
 * Builds, validates and packs the bundle into `outDir` (default the repository root; its stage
 * folder is `<outDir>/.tmp/mcpb`), verbose: with the CLI's report; returns its path, size and
 * SHA-256. Tests pass their own folder, so they never replace a release bundle.
 */
export async function buildMcpb(
  verbose = false,
  outDir = ROOT,
): Promise<{ path: string; bytes: number; sha256: string }> {
  const pkg = await readPackageJson();
  const stage = join(outDir, '.tmp', 'mcpb');
  await rm(stage, { recursive: true, force: true });
  await mkdir(join(stage, 'dist', 'mcp'), { recursive: true });
  for (const file of ['bin.js', 'main.js']) {
    await copyFile(join(ROOT, 'dist', 'mcp', file), join(stage, 'dist', 'mcp', file));
  }
  await copyFile(join(ROOT, 'scripts', 'mcpb-icon.png'), join(stage, 'icon.png'));
  await copyFile(join(ROOT, 'LICENSE'), join(stage, 'LICENSE'));
  const { name, version, license } = pkg;
  const stagedPackage = { name, version, license, private: true, type: 'module' };
  await writeFile(join(stage, 'package.json'), `${JSON.stringify(stagedPackage, null, 2)}\n`);
  const manifestJson = manifest(pkg, await listedTools());
  await writeFile(join(stage, 'manifest.json'), `${JSON.stringify(manifestJson, null, 2)}\n`);

  const path = join(outDir, mcpbFileName(version));
  await rm(path, { force: true });
  await mcpb(verbose, 'validate', join(stage, 'manifest.json'));
  await mcpb(verbose, 'pack', stage, path);
  const bytes = (await stat(path)).size;
  const sha256 = createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
  return { path, bytes, sha256 };
}

/** server.json's MCPB package follows the bundle just built: version, file name and SHA-256. */
async function recordRelease(version: string, sha256: string): Promise<void> {
  const file = join(ROOT, 'server.json');
  const server = JSON.parse(await readFile(file, 'utf8')) as {
    packages: Array<{
      registryType: string;
      identifier: string;
      version?: string;
      fileSha256?: string;
    }>;
  };
  for (const entry of server.packages.filter((p) => p.registryType === 'mcpb')) {
    entry.identifier = entry.identifier.replace(
      /\/v[^/]+\/[^/]+$/,
      `/v${version}/${mcpbFileName(version)}`,
    );
    entry.version = version;
    entry.fileSha256 = sha256;
  }
  await writeFile(file, `${JSON.stringify(server, null, 2)}\n`);
}

if (import.meta.main) {
  const { path, bytes, sha256 } = await buildMcpb(true);
  process.stdout.write(`${path}\n${(bytes / 1024).toFixed(0)} kB, SHA-256 ${sha256}\n`);
  if (process.argv.includes('--release')) {
    await recordRelease((await readPackageJson()).version, sha256);
    process.stdout.write('server.json: MCPB package version and SHA-256 updated\n');
  }
}
