// Running n8n processes for tests: spawned with stdin ignored and output captured, in their own
// process group (n8n starts a task-runner child), never left behind when the test process ends.
import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as delay } from 'node:timers/promises';
import type { N8nInstall } from './n8n-install.ts';

const TAIL_LINES = 40;

export type N8nOutput = { stdout: string; stderr: string };

export interface CliResult {
  command: string;
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The last lines n8n printed, readable: its JSON log lines reduced to "level: message". */
export function tail(output: N8nOutput, lines = TAIL_LINES): string {
  const readable = (line: string): string => {
    try {
      const entry = JSON.parse(line) as { level?: string; message?: string };
      if (typeof entry.message === 'string') return `${entry.level ?? '?'}: ${entry.message}`;
    } catch {
      // not a JSON log line: keep it as it is
    }
    return line;
  };
  const all = [
    ...output.stdout.split('\n').map(readable),
    ...output.stderr.split('\n').map((line) => `stderr: ${line}`),
  ].filter((line) => line.trim() && line !== 'stderr: ');
  return all
    .slice(-lines)
    .map((line) => (line.length > 600 ? `${line.slice(0, 600)}…` : line))
    .join('\n');
}

/** Children still running; killed if the test process exits without stopping them. */
const liveChildren = new Set<ChildProcess>();
function killLiveChildren(): void {
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
}
process.once('exit', killLiveChildren);
// A test process stopped by a signal runs no 'exit' handlers: kill n8n, then die of the signal.
for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killLiveChildren();
    process.kill(process.pid, signal);
  });
}

/** n8n runs in its own process group, so its task-runner children go with it. */
export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    child.kill(signal);
  }
}

export interface SpawnedN8n {
  child: ChildProcess;
  /** Grows while the process runs. */
  output: N8nOutput;
  exited: Promise<Exit>;
}

export function spawnN8n(
  install: N8nInstall,
  args: string[],
  env: Record<string, string>,
): SpawnedN8n {
  const child = spawn(process.execPath, [install.bin, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  liveChildren.add(child);
  const output: N8nOutput = { stdout: '', stderr: '' };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output.stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output.stderr += chunk));
  const exited = new Promise<Exit>((resolve) => {
    child.on('close', (code, signal) => {
      liveChildren.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (error) => {
      output.stderr += `\nspawn failed: ${error.message}`;
      liveChildren.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  return { child, output, exited };
}

export type Exit = { code: number | null; signal: NodeJS.Signals | null };

/** The exit, or undefined when it takes longer than `ms`. */
export async function exitWithin(exited: Promise<Exit>, ms: number): Promise<Exit | undefined> {
  const timer = new AbortController();
  const timeout = delay(ms, undefined, { signal: timer.signal }).catch(() => undefined);
  try {
    return await Promise.race([exited, timeout]);
  } finally {
    timer.abort();
  }
}
