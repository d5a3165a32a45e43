// The n8n package as a user's n8n gets it, not the build folder: the release tarball
// (n8n-nodes-fay-<version>.tgz, packed by scripts/pack.ts as `npm run pack` packs it), installed
// the way n8n installs a community package: extracted, its peer and dev dependencies dropped
// from package.json, then `npm install --ignore-scripts` in it. n8n-workflow (the only peer) is
// then absent, and the nodes resolve it, and zod, from n8n's own copy (n8n puts its node_modules on
// NODE_PATH), as on a real instance.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packN8n } from '../../../scripts/pack.ts';
import { childEnv } from './n8n-install.ts';

const run = promisify(execFile);

export interface StagedPackage {
  /** The package's npm name. */
  name: string;
  /** The installed package root (package.json, dist/). */
  root: string;
  /** Where n8n should look for *.node.js / *.credentials.js (N8N_CUSTOM_EXTENSIONS). */
  n8nDir: string;
  /** What the install left in the package's node_modules (nothing, for a package n8n Cloud takes). */
  installed: string[];
  dispose(): Promise<void>;
}

export async function stagePackage(): Promise<StagedPackage> {
  const dir = await mkdtemp(join(tmpdir(), 'fay-n8n-package-'));
  const tarball = await packN8n(dir);
  const root = join(dir, 'package');
  await run('tar', ['-xzf', tarball, '-C', dir]); // npm tarballs hold everything under package/

  const manifestPath = join(root, 'package.json');
  const pkg = JSON.parse(await readFile(manifestPath, 'utf8')) as Record<string, unknown> & {
    name: string;
  };
  delete pkg.peerDependencies;
  delete pkg.devDependencies;
  await writeFile(manifestPath, `${JSON.stringify(pkg, null, 2)}\n`);
  await run('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--omit=dev'], {
    cwd: root,
    env: childEnv(),
  });
  const installed = await readdir(join(root, 'node_modules')).catch(() => []);
  return {
    name: pkg.name,
    root,
    n8nDir: join(root, 'dist'),
    installed: installed.filter((name) => !name.startsWith('.')),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
