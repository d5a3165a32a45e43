// Shared by the bench modules: what a module returns, how run.ts prints it, and a Fay server in
// its own process (so its CPU and memory stay out of the client's figures).
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface BenchTable {
  title: string;
  columns: string[];
  rows: string[][];
  notes?: string[];
}

/** A bench module's default export. */
export type Bench = () => Promise<BenchTable[]>;

export function formatTable(table: BenchTable): string {
  const widths = table.columns.map((c, i) =>
    Math.max(c.length, ...table.rows.map((r) => (r[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    '| ' + cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ') + ' |';
  return [
    `## ${table.title}`,
    '',
    line(table.columns),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...table.rows.map(line),
    ...(table.notes ?? []).map((n) => `  ${n}`),
    '',
  ].join('\n');
}

export const fixed = (n: number, digits = 1): string => n.toFixed(digits);
export const pass = (ok: boolean): string => (ok ? 'ok' : 'MISSED');

const SERVER_CLI = fileURLToPath(new URL('../support/fay-server-cli.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The built MCP server, as clients start it. */
export const MCP_BIN = fileURLToPath(new URL('../../dist/mcp/bin.js', import.meta.url));

export function spawnFayServer(jobMs: number): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [SERVER_CLI, '--job-ms', String(jobMs)], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    createInterface({ input: child.stdout }).once('line', (line) =>
      resolve({ url: line.replace('FAY_BASE_URL=', '').trim(), stop: () => child.kill() }),
    );
  });
}

/** A server process run with `args` that prints "listening on <url>/mcp" on stderr once ready. */
export function spawnHttpServer(
  args: string[],
  env: Record<string, string>,
): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const found = /listening on (http:\/\/\S+\/mcp)/.exec(stderr);
      if (found) resolve({ url: found[1]!, child });
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr}`)));
  });
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

let nextId = 1;

/** One JSON-RPC call to an MCP endpoint over HTTP (protocol 2025-11-25) with `key` as the bearer. */
export async function mcpCall(
  url: string,
  key: string,
  method: string,
  params?: unknown,
): Promise<{ status: number; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2025-11-25',
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: nextId++, method, params }),
  });
  return { status: response.status, text: await response.text() };
}
