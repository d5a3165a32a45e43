// The run data `n8n execute --rawOutput` prints, and the items each node output.
import { tail, type CliResult } from './n8n-process.ts';

export interface N8nItem {
  json: Record<string, unknown>;
  pairedItem?: { item: number } | Array<{ item: number }> | number;
}

export interface N8nError {
  message: string;
  description?: string | null;
  name?: string;
  node?: { name?: string };
}

interface NodeRun {
  executionStatus?: string;
  data?: { main: Array<N8nItem[] | null> };
  error?: N8nError;
}

export interface N8nRun {
  status?: string;
  data: {
    resultData: {
      runData: Record<string, NodeRun[]>;
      error?: N8nError;
      lastNodeExecuted?: string;
    };
  };
}

/** `execute` logs the run data as one JSON log line (a success result or the "execution error"). */
function runDataIn(stdout: string): N8nRun | undefined {
  let found: N8nRun | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { message?: unknown };
      if (typeof entry.message !== 'string' || !entry.message.startsWith('{')) continue;
      const run = JSON.parse(entry.message) as Partial<N8nRun>;
      if (run.data?.resultData?.runData) found = run as N8nRun;
    } catch {
      // some other log line
    }
  }
  return found;
}

export class Execution {
  readonly result: CliResult;
  readonly run: N8nRun | undefined;

  constructor(result: CliResult) {
    this.result = result;
    this.run = runDataIn(result.stdout);
  }

  /** The workflow's error, when the execution failed. */
  get error(): N8nError | undefined {
    return this.run?.data.resultData.error;
  }

  /** n8n's last lines, for assertion messages. */
  describe(): string {
    return `\`${this.result.command}\` exited with ${this.result.code}; n8n's last lines:\n${tail(this.result)}`;
  }

  /** The items a node put on its first output (its last run). */
  items(nodeName: string): N8nItem[] {
    if (!this.run) throw new Error(`no run data in n8n's output. ${this.describe()}`);
    const runs = this.run.data.resultData.runData[nodeName];
    const last = runs?.[runs.length - 1];
    if (!last) {
      const ran = Object.keys(this.run.data.resultData.runData).join(', ');
      throw new Error(`node "${nodeName}" did not run (ran: ${ran}). ${this.describe()}`);
    }
    if (last.error) {
      throw new Error(`node "${nodeName}" failed: ${last.error.message}. ${this.describe()}`);
    }
    return last.data?.main[0] ?? [];
  }
}
