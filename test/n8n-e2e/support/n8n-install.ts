// Installs real n8n for the end-to-end suite, once per machine: into a cache folder outside the
// checkout, reused while the version matches. n8n is not a dependency of the package (2.8 GB, and
// it must run on Node 24): it lives in its own folder with its own node_modules.
//
// Safe when several test processes race: one holds a lock folder and installs into a temporary
// sibling, then renames it into place (atomic on one file system); the others wait for the marker.
import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

export const N8N_VERSION = '2.41.1';

/** Written last, only after a verified install. */
const MARKER = '.done';
const LOCK_POLL_MS = 2_000;
const HEARTBEAT_MS = 30_000;

export interface N8nInstall {
  /** The install folder (holds node_modules/n8n). */
  dir: string;
  /** n8n's CLI entry, run as `<node 24> <bin> …`. */
  bin: string;
  /** How long this process spent installing; 0 when the cache was reused. */
  installMs: number;
  /** How long this process waited for another one to install. */
  waitedMs: number;
}

function log(message: string): void {
  process.stderr.write(`[n8n-install] ${message}\n`);
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

export function n8nCacheDir(): string {
  const cacheHome = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cacheHome, 'fay-n8n', `n8n-${N8N_VERSION}`);
}

function binOf(dir: string): string {
  return join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
}

async function installedVersion(dir: string): Promise<string | undefined> {
  try {
    const pkg = JSON.parse(
      await readFile(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
    ) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : undefined;
  } catch {
    return undefined;
  }
}

async function isReady(dir: string): Promise<boolean> {
  return existsSync(join(dir, MARKER)) && (await installedVersion(dir)) === N8N_VERSION;
}

/**
 * Environment for npm and n8n: Node 24 (the one running the tests) first on PATH, so npm and the
 * native rebuild target it; npm_* variables from an enclosing `npm test` dropped, so they do not
 * configure the nested npm as if it were installing into this repository.
 */
export function childEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^npm_/i.test(name)) env[name] = value;
  }
  env.PATH = [dirname(process.execPath), env.PATH ?? ''].join(':');
  return { ...env, ...extra };
}

/** Runs a command, teeing its output to `logFile` and to stderr (so CI shows progress). */
async function runLogged(command: string, args: string[], cwd: string, logFile: string) {
  const out = createWriteStream(logFile, { flags: 'a' });
  out.write(`\n$ ${command} ${args.join(' ')}\n`);
  const child = spawn(command, args, { cwd, env: childEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  const relay = (chunk: Buffer) => {
    out.write(chunk);
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) log(`  ${line}`);
  };
  child.stdout.on('data', relay);
  child.stderr.on('data', relay);
  const started = Date.now();
  const heartbeat = setInterval(
    () => log(`  … still running ${command} ${args[0]} (${seconds(Date.now() - started)})`),
    HEARTBEAT_MS,
  );
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (code !== 0) {
      throw new Error(`\`${command} ${args.join(' ')}\` exited with ${code}; see ${logFile}`);
    }
  } finally {
    clearInterval(heartbeat);
    await new Promise((resolve) => out.end(resolve));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

interface LockOwner {
  pid: number;
  host: string;
}

async function lockOwner(lockDir: string): Promise<LockOwner | undefined> {
  try {
    return JSON.parse(await readFile(join(lockDir, 'owner.json'), 'utf8')) as LockOwner;
  } catch {
    return undefined;
  }
}

/** A lock held by a process that no longer runs (on this host) can be taken over. */
async function isStale(lockDir: string): Promise<boolean> {
  const owner = await lockOwner(lockDir);
  // No owner file yet: the holder is between mkdir and writeFile; not stale.
  if (!owner) return false;
  return owner.host === hostname() && !isAlive(owner.pid);
}

/** Takes the lock (mkdir is atomic), or returns false while another live process holds it. */
async function tryLock(lockDir: string): Promise<boolean> {
  try {
    await mkdir(lockDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (!(await isStale(lockDir))) return false;
    log(`removing a stale lock left by a process that ended: ${lockDir}`);
    await rm(lockDir, { recursive: true, force: true });
    return tryLock(lockDir);
  }
  const owner: LockOwner = { pid: process.pid, host: hostname() };
  await writeFile(join(lockDir, 'owner.json'), JSON.stringify(owner));
  return true;
}

/** Leftovers of earlier runs that died mid-install (their pid is in the folder name). */
async function removeDeadSiblings(dir: string): Promise<void> {
  const parent = dirname(dir);
  const prefix = `${dir.slice(parent.length + 1)}.`;
  for (const name of await readdir(parent)) {
    const match = name.startsWith(prefix) ? /\.(?:tmp|old)-(\d+)$/.exec(name) : null;
    if (match && !isAlive(Number(match[1]))) {
      await rm(join(parent, name), { recursive: true, force: true });
    }
  }
}

async function install(dir: string): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  const logFile = join(tmp, 'install.log');
  const host = {
    name: 'fay-n8n-e2e-host',
    private: true,
    dependencies: { n8n: N8N_VERSION },
    // npm 11 warns about install scripts not listed here; sqlite3's is the one we run.
    allowScripts: { sqlite3: true },
  };
  await writeFile(join(tmp, 'package.json'), `${JSON.stringify(host, null, 2)}\n`);

  const started = Date.now();
  log(`installing n8n ${N8N_VERSION} into ${tmp} (about 7 minutes, 2.8 GB)`);
  // --ignore-scripts: n8n's dependency tree has many install scripts (some download from the
  // internet); the only native module n8n needs that has no prebuilt binary here is sqlite3.
  await runLogged(
    'npm',
    ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--save-exact', '--loglevel=warn'],
    tmp,
    logFile,
  );
  const installedMs = Date.now() - started;
  log(`npm install took ${seconds(installedMs)}; building sqlite3 for ${process.version}`);
  await runLogged('npm', ['rebuild', 'sqlite3', '--loglevel=warn'], tmp, logFile);
  const rebuildMs = Date.now() - started - installedMs;

  const version = await installedVersion(tmp);
  if (version !== N8N_VERSION) {
    throw new Error(`npm installed n8n ${version ?? '(nothing)'}, expected ${N8N_VERSION}`);
  }
  await runLogged(process.execPath, ['-e', "require('sqlite3')"], tmp, logFile);
  const marker = { version, node: process.version, installedMs, rebuildMs, at: new Date() };
  await writeFile(join(tmp, MARKER), `${JSON.stringify(marker)}\n`);

  // A folder without a marker here is a broken earlier install: move it aside, then ours in.
  if (existsSync(dir)) {
    log(`replacing an incomplete install at ${dir}`);
    await rename(dir, `${dir}.old-${process.pid}`);
  }
  await rename(tmp, dir);
  await rm(`${dir}.old-${process.pid}`, { recursive: true, force: true });
  log(
    `n8n ${N8N_VERSION} installed in ${seconds(Date.now() - started)} (npm install ${seconds(installedMs)}, sqlite3 build ${seconds(rebuildMs)})`,
  );
}

/** Returns a ready n8n install, installing it first when the cache lacks it. */
export async function ensureN8n(dir = n8nCacheDir()): Promise<N8nInstall> {
  if (await isReady(dir)) return { dir, bin: binOf(dir), installMs: 0, waitedMs: 0 };

  await mkdir(dirname(dir), { recursive: true });
  const lockDir = `${dir}.lock`;
  const waitStarted = Date.now();
  let announced = false;
  while (!(await tryLock(lockDir))) {
    if (!announced) {
      const owner = await lockOwner(lockDir);
      log(`waiting for process ${owner?.pid ?? '?'} to finish installing n8n into ${dir}`);
      announced = true;
    }
    await delay(LOCK_POLL_MS); // Another process is installing: poll for its lock to go.
    if (await isReady(dir)) {
      return { dir, bin: binOf(dir), installMs: 0, waitedMs: Date.now() - waitStarted };
    }
  }
  const waitedMs = Date.now() - waitStarted;
  try {
    // The previous holder may have finished between our check and the lock.
    if (await isReady(dir)) return { dir, bin: binOf(dir), installMs: 0, waitedMs };
    await removeDeadSiblings(dir);
    const started = Date.now();
    await install(dir);
    return { dir, bin: binOf(dir), installMs: Date.now() - started, waitedMs };
  } finally {
    await rm(lockDir, { recursive: true, force: true });
  }
}
