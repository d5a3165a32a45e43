// The package as a user's n8n gets it, not the working tree: `npm pack` (so the `files` list is
// what ships), extracted, with the declared runtime dependencies linked in. `n8n-workflow` is a
// peer dependency and deliberately absent: like a community install, the nodes then resolve it
// from n8n's own copy (n8n puts its node_modules on NODE_PATH), so there is one n8n-workflow.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { childEnv } from './n8n-install.ts';

const run = promisify(execFile);
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** What the nodes need from the build; without them `npm pack` would ship a broken package. */
const BUILT_FILES = [
  'dist/n8n/credentials/FayApi.credentials.js',
  'dist/n8n/nodes/Fay/Fay.node.js',
  'dist/n8n/nodes/FayTrigger/FayTrigger.node.js',
  'dist/n8n/package.json',
];

export interface StagedPackage {
  /** The package's npm name. */
  name: string;
  /** The extracted package root (package.json, dist/, node_modules/). */
  root: string;
  /** Where n8n should look for *.node.js / *.credentials.js (N8N_CUSTOM_EXTENSIONS). */
  n8nDir: string;
  dispose(): Promise<void>;
}

export async function stagePackage(): Promise<StagedPackage> {
  const missing = BUILT_FILES.filter((file) => !existsSync(join(REPO, file)));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (npm test does).`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'fay-n8n-package-'));
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', dir], {
    cwd: REPO,
    env: childEnv(),
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  await run('tar', ['-xzf', join(dir, packed.filename), '-C', dir]);
  const root = join(dir, 'package'); // npm tarballs hold everything under package/

  const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    name: string;
    dependencies?: Record<string, string>;
  };
  for (const name of Object.keys(pkg.dependencies ?? {})) {
    const link = join(root, 'node_modules', name);
    await mkdir(dirname(link), { recursive: true });
    await symlink(join(REPO, 'node_modules', name), link, 'dir');
  }
  return {
    name: pkg.name,
    root,
    n8nDir: join(root, 'dist', 'n8n'),
    dispose: () => rm(dir, { recursive: true, force: true }),
  };
}
