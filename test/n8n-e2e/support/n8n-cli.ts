// A throwaway n8n home for tests (user folder, sqlite DB, encryption key, the packed package) and
// the CLI commands run in it: import, publish, execute, start. Everything n8n prints is kept, so
// failures show its last lines and tests can check that no secret was ever printed.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { freePort } from '../../support/free-port.ts';
import { childEnv, type N8nInstall } from './n8n-install.ts';
import {
  exitWithin,
  killGroup,
  spawnN8n,
  tail,
  type CliResult,
  type N8nOutput,
} from './n8n-process.ts';
import { Execution } from './n8n-run-data.ts';
import { N8nServer } from './n8n-server.ts';
import type { StagedPackage } from './package-stage.ts';
import type { PhaseTimings } from './timings.ts';
import type { N8nCredential, N8nWorkflow } from './workflows.ts';

const COMMAND_TIMEOUT_MS = 150_000;

export interface N8nHomeOptions {
  install: N8nInstall;
  /**
   * Loaded two ways: its dist/n8n folder as a custom extension (N8N_CUSTOM_EXTENSIONS: node
   * types CUSTOM.*), and the package itself as an installed community package (in
   * <user folder>/.n8n/nodes/node_modules, read through package.json's `n8n` section: node
   * types <package name>.*). Both are the same files, so the credential type is the same class.
   */
  pkg: StagedPackage;
  timings: PhaseTimings;
  /** Settings for every n8n process of this home (e.g. queue mode, Postgres). */
  env?: Record<string, string>;
}

/** n8n's long-running commands: the main process, a queue-mode worker, a webhook process. */
export type N8nServerCommand = 'start' | 'worker' | 'webhook';

/** Variables from the developer's or CI's shell that would change how this n8n behaves. */
const FOREIGN_ENV =
  /^(N8N_|DB_|EXECUTIONS_|QUEUE_|WEBHOOK_URL$|GENERIC_TIMEZONE$|VITEST|NODE_ENV$|NODE_OPTIONS$)/;

export class N8nHome {
  readonly dir: string;
  readonly port: number;
  readonly url: string;
  private readonly install: N8nInstall;
  private readonly timings: PhaseTimings;
  private readonly env: Record<string, string>;
  private readonly outputs: N8nOutput[] = [];

  private constructor(options: N8nHomeOptions, dir: string, port: number, brokerPort: number) {
    this.install = options.install;
    this.timings = options.timings;
    this.dir = dir;
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    const inherited = Object.fromEntries(
      Object.entries(childEnv()).filter(([name]) => !FOREIGN_ENV.test(name)),
    );
    this.env = {
      ...inherited,
      // Vitest sets NODE_ENV=test, which makes n8n skip its process exit after CLI commands.
      NODE_ENV: 'production',
      N8N_USER_FOLDER: dir,
      // n8n's temporary files (e.g. data-table uploads) go away with the home.
      TMPDIR: join(dir, 'tmp'),
      N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex'),
      N8N_CUSTOM_EXTENSIONS: options.pkg.n8nDir,
      N8N_PORT: String(port),
      N8N_LISTEN_ADDRESS: '127.0.0.1',
      // The internal task runner's broker has a fixed default port: give each n8n its own.
      N8N_RUNNERS_BROKER_PORT: String(brokerPort),
      // Offline and quiet: no telemetry, version checks, templates, banners, MCP registry fetch.
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_DYNAMIC_BANNERS_ENABLED: 'false',
      N8N_DISABLED_MODULES: 'mcp-registry',
      // One JSON object per log line: `execute` logs the run data as one of them.
      N8N_LOG_FORMAT: 'json',
      N8N_LOG_LEVEL: 'info',
      N8N_LOG_OUTPUT: 'console',
      NO_COLOR: '1',
      N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '20',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
      EXECUTIONS_DATA_SAVE_ON_SUCCESS: 'all',
      EXECUTIONS_DATA_SAVE_ON_ERROR: 'all',
      ...options.env,
    };
  }

  static async create(options: N8nHomeOptions): Promise<N8nHome> {
    const dir = await mkdtemp(join(tmpdir(), 'fay-n8n-e2e-'));
    // Where n8n's community-node installer puts packages (it scans n8n-nodes-* there).
    const nodeModules = join(dir, '.n8n', 'nodes', 'node_modules');
    await mkdir(nodeModules, { recursive: true });
    await symlink(options.pkg.root, join(nodeModules, options.pkg.name), 'dir');
    await mkdir(join(dir, 'tmp'));
    return new N8nHome(options, dir, await freePort(), await freePort());
  }

  webhookUrl(path: string): string {
    return `${this.url}/webhook/${path}`;
  }

  /** Runs one CLI command to completion; one that hangs is killed after `timeoutMs`. */
  async run(args: string[], phase: string, timeoutMs = COMMAND_TIMEOUT_MS): Promise<CliResult> {
    return this.timings.time(phase, async () => {
      const { child, output, exited } = spawnN8n(this.install, args, this.env);
      this.outputs.push(output);
      let exit = await exitWithin(exited, timeoutMs);
      if (!exit) {
        killGroup(child, 'SIGKILL');
        output.stderr += `\n(killed by the test: still running after ${timeoutMs / 1000}s)`;
        exit = await exited;
      }
      return { command: `n8n ${args.join(' ')}`, ...exit, ...output };
    });
  }

  private async runOrThrow(args: string[], phase: string): Promise<CliResult> {
    const result = await this.run(args, phase);
    if (result.code !== 0) {
      throw new Error(`\`${result.command}\` exited with ${result.code}:\n${tail(result)}`);
    }
    return result;
  }

  private async inputFile(name: string, content: unknown): Promise<string> {
    const file = join(this.dir, name);
    await writeFile(file, JSON.stringify(content, null, 2));
    return file;
  }

  /** Plain `data` is encrypted by n8n on import. */
  async importCredentials(credentials: N8nCredential[]): Promise<void> {
    const file = await this.inputFile('credentials.json', credentials);
    await this.runOrThrow(['import:credentials', `--input=${file}`], 'import');
    await rm(file); // holds the keys in plain text
  }

  async importWorkflows(workflows: N8nWorkflow[]): Promise<void> {
    const file = await this.inputFile('workflows.json', workflows);
    await this.runOrThrow(['import:workflow', `--input=${file}`], 'import');
  }

  /** Makes the workflow's triggers live at the next `n8n start` (2.x: publish, not activate). */
  async publishWorkflow(id: string): Promise<void> {
    await this.runOrThrow(['publish:workflow', `--id=${id}`], 'publish');
  }

  async execute(workflowId: string): Promise<Execution> {
    return new Execution(
      await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], 'execute'),
    );
  }

  async start(): Promise<N8nServer> {
    return this.startServer('start');
  }

  /**
   * Another process of this home: `start` on this home's port, or a worker / webhook process on
   * a port of its own (its /healthz); each gets its own task-runner broker port.
   */
  async startServer(command: N8nServerCommand): Promise<N8nServer> {
    return this.timings.time(command, async () => {
      const port = command === 'start' ? this.port : await freePort();
      const env = {
        ...this.env,
        N8N_RUNNERS_BROKER_PORT:
          command === 'start' ? this.env.N8N_RUNNERS_BROKER_PORT! : String(await freePort()),
        ...(command === 'worker'
          ? {
              QUEUE_HEALTH_CHECK_ACTIVE: 'true',
              QUEUE_HEALTH_CHECK_PORT: String(port),
              N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
            }
          : { N8N_PORT: String(port) }),
      };
      const url = `http://127.0.0.1:${port}`;
      const server = new N8nServer(this, spawnN8n(this.install, [command], env), url, command);
      this.outputs.push(server.output);
      await server.waitUntilHealthy();
      return server;
    });
  }

  /** n8n's sqlite database, read-only (n8n keeps writing to it). */
  private query<Row>(sql: string, ...params: string[]): Row[] {
    const db = new DatabaseSync(join(this.dir, '.n8n', 'database.sqlite'), { readOnly: true });
    try {
      return db.prepare(sql).all(...params) as Row[];
    } finally {
      db.close();
    }
  }

  /** Executions n8n recorded for a workflow (it records one before answering a webhook). */
  countExecutions(workflowId: string): number {
    const sql = 'SELECT COUNT(*) AS n FROM execution_entity WHERE workflowId = ?';
    return this.query<{ n: number }>(sql, workflowId)[0]?.n ?? 0;
  }

  /** Executions of a workflow that n8n has recorded but not finished. */
  unfinishedExecutions(workflowId: string): number {
    const sql =
      "SELECT COUNT(*) AS n FROM execution_entity WHERE workflowId = ? AND status IN ('new', 'running')";
    return this.query<{ n: number }>(sql, workflowId)[0]?.n ?? 0;
  }

  /** "POST <path>" of each production webhook n8n registered, for failure messages. */
  registeredWebhooks(): string[] {
    const sql = 'SELECT method, webhookPath FROM webhook_entity';
    return this.query<{ method: string; webhookPath: string }>(sql).map(
      (w) => `${w.method} /webhook/${w.webhookPath}`,
    );
  }

  /** Everything every n8n process of this home printed, for "never printed the key" checks. */
  transcript(): string {
    return this.outputs.map((o) => `${o.stdout}\n${o.stderr}`).join('\n');
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}
