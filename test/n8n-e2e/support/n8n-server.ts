// A long-running n8n process (`n8n start`, `worker` or `webhook`) for tests: ready when healthy,
// then (for webhooks) when the trigger is live.
import type { ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type { N8nHome } from './n8n-cli.ts';
import {
  exitWithin,
  killGroup,
  tail,
  type Exit,
  type N8nOutput,
  type SpawnedN8n,
} from './n8n-process.ts';

const READY_POLL_MS = 250;
const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 60_000;

export class N8nServer {
  readonly home: N8nHome;
  readonly output: N8nOutput;
  /** Where it listens: webhooks and the REST API (main), webhooks (webhook), /healthz (all). */
  readonly url: string;
  readonly command: string;
  private readonly child: ChildProcess;
  private readonly exited: Promise<Exit>;
  private hasExited = false;

  constructor(home: N8nHome, spawned: SpawnedN8n, url = home.url, command = 'start') {
    this.home = home;
    this.url = url;
    this.command = command;
    this.child = spawned.child;
    this.output = spawned.output;
    this.exited = spawned.exited.then((result) => {
      this.hasExited = true;
      return result;
    });
  }

  describe(): string {
    return `n8n ${this.command} (${this.url}); its last lines:\n${tail(this.output)}`;
  }

  /** Polls /healthz until n8n answers; fails at once, with n8n's output, if it exits. */
  async waitUntilHealthy(timeoutMs = READY_TIMEOUT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.hasExited) throw new Error(`n8n exited before it was ready. ${this.describe()}`);
      if (Date.now() > deadline) {
        throw new Error(`n8n was not healthy after ${timeoutMs / 1000}s. ${this.describe()}`);
      }
      try {
        const response = await fetch(`${this.url}/healthz`);
        await response.arrayBuffer();
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      await delay(READY_POLL_MS);
    }
  }

  webhookUrl(path: string): string {
    return `${this.url}/webhook/${path}`;
  }

  /** Everything it printed, stdout then stderr. */
  printed(): string {
    return `${this.output.stdout}\n${this.output.stderr}`;
  }

  /**
   * Published workflows are activated in the background after n8n is healthy (2.x publication
   * service), and n8n may answer 503 while busy starting: poll the production webhook with
   * `probe` (a request that starts no execution, e.g. an unsigned event) until it gets the
   * answer the trigger gives once live (`expectedStatus`), not 404 "not registered".
   */
  async waitForWebhook(
    probe: () => Promise<Response>,
    expectedStatus: number,
    timeoutMs = READY_TIMEOUT_MS,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    const seen = new Set<number>();
    for (;;) {
      if (this.hasExited) throw new Error(`n8n exited. ${this.describe()}`);
      const response = await probe();
      await response.arrayBuffer();
      if (response.status === expectedStatus) return;
      seen.add(response.status);
      if (Date.now() > deadline) {
        const registered = this.home.registeredWebhooks().join(', ') || 'none';
        throw new Error(
          `the production webhook answered ${[...seen].join('/')}, never ${expectedStatus}, for ${timeoutMs / 1000}s; n8n registered: ${registered}. ${this.describe()}`,
        );
      }
      await delay(READY_POLL_MS);
    }
  }

  /** SIGTERM and wait for n8n's graceful shutdown (it finishes running executions first). */
  async stop(): Promise<Exit> {
    // n8n itself stops its task runner; only a hung n8n gets its whole group killed.
    this.child.kill('SIGTERM');
    const exit = await exitWithin(this.exited, STOP_TIMEOUT_MS);
    if (exit) return exit;
    killGroup(this.child, 'SIGKILL');
    throw new Error(`n8n did not stop within ${STOP_TIMEOUT_MS / 1000}s. ${this.describe()}`);
  }
}
