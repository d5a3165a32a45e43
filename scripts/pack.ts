// `npm run pack`: every release artifact, from the build, into release/ (or the folder given):
// - n8n-nodes-fay-<version>.tgz: the n8n nodes and credential only (dist/n8n-nodes-fay);
// - fay-mcp-<version>.tgz: the MCP server (`npx -y fay-mcp`) and the client (`fay-mcp/client`),
//   packed from the repository root, whose package.json is fay-mcp's;
// - fay-mcp-<version>.mcpb: the MCP bundle (scripts/mcpb.ts).
// Tests call packN8n and packFayMcp into their own temp folders, so what they install is what a
// release ships.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildMcpb } from './mcpb.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** The n8n package as the build lays it out (scripts/build.mjs). */
const N8N_PACKAGE_DIR = join(ROOT, 'dist', 'n8n-nodes-fay');

async function npmPack(packageDir: string, outDir: string): Promise<string> {
  await mkdir(outDir, { recursive: true });
  // npm_* variables of an enclosing `npm run`/`npm test` would configure this npm as that one.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const { stdout } = await run(
    npm,
    ['pack', '--json', '--ignore-scripts', '--pack-destination', outDir, packageDir],
    { cwd: ROOT, env },
  );
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  return join(outDir, packed.filename);
}

function requireBuilt(file: string): void {
  if (!existsSync(join(ROOT, file))) {
    throw new Error(`${file} missing: run \`npm run build\` first (npm test does).`);
  }
}

/** n8n-nodes-fay-<version>.tgz in `outDir`; returns its path. */
export async function packN8n(outDir: string): Promise<string> {
  requireBuilt('dist/n8n-nodes-fay/dist/nodes/Fay/Fay.node.js');
  return npmPack(N8N_PACKAGE_DIR, outDir);
}

/** fay-mcp-<version>.tgz in `outDir`; returns its path. */
export async function packFayMcp(outDir: string): Promise<string> {
  requireBuilt('dist/mcp/main.js');
  requireBuilt('dist/core/index.js');
  return npmPack(ROOT, outDir);
}

if (import.meta.main) {
  const outDir = join(ROOT, process.argv[2] ?? 'release');
  const written = [await packN8n(outDir), await packFayMcp(outDir)];
  written.push((await buildMcpb(false, outDir)).path);
  await rm(join(outDir, '.tmp'), { recursive: true, force: true }); // the bundle's stage folder
  process.stdout.write(`${written.join('\n')}\n`);
}
