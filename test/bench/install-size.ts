// Install size of each release artifact (`npm run pack`) next to the single package this
// repository published before the split (commit dece73e: the n8n nodes, the core and the MCP
// server in one n8n-nodes-fay tarball), rebuilt from git in the same run. Each is installed as
// its users install it: the n8n package as n8n installs a community package (extracted, peer and
// dev dependencies dropped, `npm install --ignore-scripts`), the npm tarballs with
// `npm install <tarball>` into an empty project, the MCP bundle unpacked by the mcpb CLI.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildMcpb } from '../../scripts/mcpb.ts';
import { packFayMcp, packN8n } from '../../scripts/pack.ts';
import { fixed, type Bench } from './support.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BASELINE_COMMIT = 'dece73e';
const MCPB_CLI = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const env = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)),
) as Record<string, string>;
env.PATH = `${join(process.execPath, '..')}:${env.PATH ?? ''}`;

interface Size {
  bytes: number;
  files: number;
}

async function sizeOf(dir: string): Promise<Size> {
  let bytes = 0;
  let files = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    files++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { bytes, files };
}

async function tarballFiles(tarball: string): Promise<number> {
  const { stdout } = await run('tar', ['-tzf', tarball]);
  return stdout.split('\n').filter((line) => line && !line.endsWith('/')).length;
}

/** As n8n installs a community package; returns the package folder. */
async function installAsN8n(tarball: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await run('tar', ['-xzf', tarball, '-C', dir]);
  const root = join(dir, 'package');
  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as Record<
    string,
    unknown
  >;
  delete pkg.peerDependencies;
  delete pkg.devDependencies;
  await writeFile(join(root, 'package.json'), JSON.stringify(pkg));
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: root, env });
  return root;
}

/** `npm install <tarball>` into an empty project; returns its node_modules. */
async function installWithNpm(tarball: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "name": "app", "private": true }\n');
  await run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd: dir, env });
  return join(dir, 'node_modules');
}

/** The single package as of BASELINE_COMMIT, built and packed from `git archive` of it. */
async function packBaseline(work: string): Promise<string> {
  const tree = join(work, 'baseline');
  await mkdir(tree);
  const archive = join(work, 'baseline.tar');
  await run('git', ['archive', '--output', archive, BASELINE_COMMIT], { cwd: ROOT });
  await run('tar', ['-xf', archive, '-C', tree]);
  await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'), 'dir');
  await run(process.execPath, ['scripts/build.mjs'], { cwd: tree, env });
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', work], {
    cwd: tree,
    env,
  });
  return join(work, (JSON.parse(stdout) as Array<{ filename: string }>)[0]!.filename);
}

const kb = (bytes: number) => `${fixed(bytes / 1024, 0)} kB`;

const bench: Bench = async () => {
  const work = await mkdtemp(join(tmpdir(), 'fay-install-size-'));
  try {
    const rows: string[][] = [];
    const row = async (name: string, file: string, installed: Size, how: string) => {
      const packed = (await stat(file)).size;
      rows.push([
        name,
        kb(packed),
        String(await tarballFiles(file).catch(() => 0)),
        kb(installed.bytes),
        String(installed.files),
        how,
      ]);
    };

    const baseline = await packBaseline(work);
    await row(
      `n8n-nodes-fay before the split (${BASELINE_COMMIT})`,
      baseline,
      await sizeOf(await installAsN8n(baseline, join(work, 'baseline-n8n'))),
      'as n8n installs it',
    );
    const n8n = await packN8n(join(work, 'pack'));
    await row(
      'n8n-nodes-fay',
      n8n,
      await sizeOf(await installAsN8n(n8n, join(work, 'n8n'))),
      'as n8n installs it',
    );
    const mcp = await packFayMcp(join(work, 'pack'));
    await row(
      'fay-mcp',
      mcp,
      await sizeOf(await installWithNpm(mcp, join(work, 'mcp'))),
      'npm install (npx)',
    );
    const bundle = await buildMcpb(false, join(work, 'mcpb'));
    const unpacked = join(work, 'mcpb-unpacked');
    await run(process.execPath, [MCPB_CLI, 'unpack', bundle.path, unpacked], { env });
    const bundled = await sizeOf(unpacked);
    rows.push([
      'fay-mcp .mcpb',
      kb(bundle.bytes),
      String(bundled.files),
      kb(bundled.bytes),
      String(bundled.files),
      'unpacked by the host',
    ]);
    return [
      {
        title: 'Install size per artifact',
        columns: [
          'artifact',
          'packed',
          'files packed',
          'installed',
          'files installed',
          'installed how',
        ],
        rows,
        notes: [
          'installed: the package folder with its node_modules (n8n), or the whole node_modules (npm)',
        ],
      },
    ];
  } finally {
    await rm(work, { recursive: true, force: true });
  }
};

export default bench;
