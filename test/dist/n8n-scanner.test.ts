// n8n's verification gate, @n8n/scan-community-package, on what we would publish. The scanner
// itself needs the registry (provenance, download) and GitHub (the attested source); its two lint
// legs are exported and run here offline, each exactly as the scanner runs it:
// - the source leg lints the package that carries our name in a checkout of the repository: a
//   copy of the files git would check out (tracked and new, not ignored; no dist/ or node_modules,
//   as in GitHub's archive), found by name with the scanner's findPackageRoot;
// - the tarball leg lints every shipped .js and the package.json of the packed n8n-nodes-fay.
// Any error fails; both legs must have real files to lint (the scanner passes on none).
import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import glob from 'fast-glob';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findPackageRoot,
  SOURCE_FILE_PATTERNS,
  type ScanResult,
} from '@n8n/scan-community-package/scanner/scanner.mjs';
import { packN8n } from '../../scripts/pack.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PACKAGE = 'n8n-nodes-fay';
/** The tarball leg's patterns (scanner.mjs, analyzePackageByName). */
const TARBALL_FILE_PATTERNS = ['**/*.js', 'package.json'];

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'fay-n8n-scan-'));
});
afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

/** What the scanner's analyzePackage would lint in `dir` (its own glob and ignores). */
function filesToLint(dir: string, patterns: string[]): string[] {
  return glob
    .sync(patterns, { cwd: dir, ignore: ['node_modules/**', '**/package-lock.json'] })
    .sort();
}

const SCAN_LEG = fileURLToPath(new URL('./support/scan-leg.ts', import.meta.url));

async function expectClean(dir: string, patterns: string[]): Promise<void> {
  const env = { ...process.env };
  delete env.NODE_ENV;
  const { stdout } = await run(process.execPath, [SCAN_LEG, dir, ...patterns], {
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(stdout) as ScanResult;
  expect(result.details ?? result.message ?? '').not.toMatch(/\d+ errors?\b/);
  expect(result).toMatchObject({ passed: true });
  // "No files found to analyze" also passes: the legs must have linted something.
  expect(result.message).toBeUndefined();
}

describe("n8n's scanner", () => {
  it(
    'source leg: finds the n8n package by name and lints its real node and credential sources',
    { timeout: 180_000 },
    async () => {
      const checkout = join(workDir, 'source');
      const { stdout } = await run(
        'git',
        ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
        { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 },
      );
      for (const file of stdout.split('\0').filter(Boolean)) {
        await mkdir(dirname(join(checkout, file)), { recursive: true });
        await cp(join(ROOT, file), join(checkout, file)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error; // deleted in the working tree, not yet in git
        });
      }
      const packageRoot = findPackageRoot(checkout, PACKAGE);
      expect(packageRoot && relative(checkout, packageRoot)).toBe(join('src', 'n8n'));

      const linted = filesToLint(packageRoot!, SOURCE_FILE_PATTERNS);
      expect(linted).toEqual(
        expect.arrayContaining([
          'package.json',
          'credentials/FayApi.credentials.ts',
          'nodes/Fay/Fay.node.ts',
          'nodes/FayTrigger/FayTrigger.node.ts',
        ]),
      );
      expect(linted.filter((file) => file.endsWith('.ts')).length).toBeGreaterThan(3);
      await expectClean(packageRoot!, SOURCE_FILE_PATTERNS);
    },
  );

  it(
    'tarball leg: every shipped .js and the package.json of the packed package',
    { timeout: 180_000 },
    async () => {
      const tarball = await packN8n(join(workDir, 'pack'));
      const extracted = join(workDir, 'tarball');
      await mkdir(extracted);
      await run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);

      const linted = filesToLint(extracted, TARBALL_FILE_PATTERNS);
      expect(linted).toEqual([
        'dist/credentials/FayApi.credentials.js',
        'dist/nodes/Fay/Fay.node.js',
        'dist/nodes/FayTrigger/FayTrigger.node.js',
        'package.json',
      ]);
      await expectClean(extracted, TARBALL_FILE_PATTERNS);
    },
  );
});
