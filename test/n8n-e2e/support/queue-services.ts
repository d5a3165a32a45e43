// What n8n's queue mode needs besides n8n: Redis (Debian's redis-server) and a throwaway
// Postgres cluster (Debian's postgresql), each on a free loopback port in a temp folder, installed
// with apt-get when missing (as root, or through passwordless sudo), stopped and removed at the
// end. Postgres refuses to run as root, so as root the cluster belongs to the `postgres` user.
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { access, chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { aptInstall } from '../../support/apt.ts';
import { freePort } from '../../support/free-port.ts';

const run = promisify(execFile);
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

export interface QueueServices {
  /** n8n settings for queue mode on these services. */
  env: Record<string, string>;
  /** Runs SQL on n8n's database: rows as objects. */
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** What setting up cost: apt install (0 when installed), Postgres, Redis. */
  timings: { aptMs: number; postgresMs: number; redisMs: number };
  stop(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

/** The part of n8n's `pg` driver used here. */
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}

/**
 * The installed Postgres's binaries: Debian puts each major version in its own folder (15 on
 * Debian 12, 17 on Debian 13, 16 on Ubuntu 24.04); the newest wins.
 */
async function postgresBin(): Promise<string | undefined> {
  const root = '/usr/lib/postgresql';
  const majors = (await readdir(root).catch(() => []))
    .filter((name) => /^\d+$/.test(name))
    .sort((a, b) => Number(b) - Number(a));
  for (const major of majors) {
    if (await exists(join(root, major, 'bin', 'initdb'))) return join(root, major, 'bin');
  }
  return undefined;
}

/** Installs what is missing (non-interactively); returns the Postgres bin folder, time taken. */
async function ensurePackages(): Promise<{ pgBin: string; aptMs: number }> {
  const found = await postgresBin();
  const missing = [
    ...(found ? [] : ['postgresql']),
    ...((await exists('/usr/bin/redis-server')) ? [] : ['redis-server']),
  ];
  if (found && missing.length === 0) return { pgBin: found, aptMs: 0 };
  const started = Date.now();
  const installed = await aptInstall(missing);
  const pgBin = await postgresBin();
  if (!installed || !pgBin) {
    throw new Error(
      `queue-mode tests need ${missing.join(' and ')}: apt-get install ${missing.join(' ')}`,
    );
  }
  return { pgBin, aptMs: Date.now() - started };
}

/** As root: runs a Postgres binary as the `postgres` user (Postgres refuses root). */
function pgCommand(pgBin: string, binary: string, args: string[]): [string, string[]] {
  const path = join(pgBin, binary);
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', path, ...args]]
    : [path, args];
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = Date.now();
  return [await work(), Date.now() - started];
}

export async function startQueueServices(n8nRequire: NodeJS.Require): Promise<QueueServices> {
  const { pgBin, aptMs } = await ensurePackages();
  const dir = await mkdtemp(join(tmpdir(), 'fay-n8n-queue-'));
  await chmod(dir, 0o755);
  const pgData = join(dir, 'pg');
  const pgPort = await freePort();
  const redisPort = await freePort();
  let redis: ChildProcess | undefined;
  let pgStarted = false;

  // Postgres runs detached (pg_ctl) and Redis as a child: neither may outlive a test process
  // that ends without its afterAll.
  const leftBehind = () => {
    if (pgStarted) {
      const [command, args] = pgCommand(pgBin, 'pg_ctl', ['-D', pgData, '-m', 'immediate', 'stop']);
      spawnSync(command, args, { stdio: 'ignore', timeout: START_TIMEOUT_MS });
    }
    redis?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  // n8n-process.ts re-raises SIGTERM/SIGINT/SIGHUP after its own cleanup; this runs first too.
  const events = ['exit', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const;
  for (const event of events) process.once(event, leftBehind);

  const stop = async () => {
    for (const event of events) process.removeListener(event, leftBehind);
    if (pgStarted) {
      const [command, args] = pgCommand(pgBin, 'pg_ctl', [
        '-D',
        pgData,
        '-m',
        'fast',
        '-w',
        'stop',
      ]);
      await run(command, args, { timeout: START_TIMEOUT_MS }).catch(() => undefined);
      pgStarted = false;
    }
    if (redis && redis.exitCode === null && redis.signalCode === null) {
      const exited = once(redis, 'exit');
      redis.kill('SIGTERM');
      const timer = setTimeout(() => redis?.kill('SIGKILL'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const [, postgresMs] = await timed(async () => {
      if (process.getuid?.() === 0) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        await chown(dir, Number(stdout.trim()), Number(gid.trim()));
      }
      const [initdb, initArgs] = pgCommand(pgBin, 'initdb', [
        '-D',
        pgData,
        '-A',
        'trust',
        '-U',
        'postgres',
        '--no-sync',
      ]);
      await run(initdb, initArgs, { timeout: START_TIMEOUT_MS });
      const options = `-p ${pgPort} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
      const [pgCtl, ctlArgs] = pgCommand(pgBin, 'pg_ctl', [
        '-D',
        pgData,
        '-o',
        options,
        '-l',
        join(dir, 'pg.log'),
        '-w',
        'start',
      ]);
      await run(pgCtl, ctlArgs, { timeout: START_TIMEOUT_MS });
      pgStarted = true;
    });
    const [, redisMs] = await timed(async () => {
      redis = spawn(
        '/usr/bin/redis-server',
        [
          '--port',
          String(redisPort),
          '--bind',
          '127.0.0.1',
          '--save',
          '',
          '--appendonly',
          'no',
          '--dir',
          dir,
        ],
        { stdio: 'ignore' },
      );
      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        const { stdout } = await run('redis-cli', ['-p', String(redisPort), 'ping']).catch(() => ({
          stdout: '',
        }));
        if (stdout.trim() === 'PONG') return;
        if (Date.now() > deadline || redis.exitCode !== null)
          throw new Error('redis-server did not start');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    });

    // n8n's own Postgres driver, from its install.
    const { Client } = n8nRequire('pg') as { Client: new (config: object) => PgClient };
    const query = async <Row>(sql: string, params: unknown[] = []): Promise<Row[]> => {
      const client = new Client({
        host: '127.0.0.1',
        port: pgPort,
        user: 'postgres',
        database: 'postgres',
      });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as Row[];
      } finally {
        await client.end();
      }
    };

    return {
      env: {
        EXECUTIONS_MODE: 'queue',
        QUEUE_BULL_REDIS_HOST: '127.0.0.1',
        QUEUE_BULL_REDIS_PORT: String(redisPort),
        DB_TYPE: 'postgresdb',
        DB_POSTGRESDB_HOST: '127.0.0.1',
        DB_POSTGRESDB_PORT: String(pgPort),
        DB_POSTGRESDB_DATABASE: 'postgres',
        DB_POSTGRESDB_USER: 'postgres',
        DB_POSTGRESDB_PASSWORD: 'unused-trust-auth',
      },
      query,
      timings: { aptMs, postgresMs, redisMs },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
