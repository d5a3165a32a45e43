// Shared by the bench modules: what a module returns, how run.ts prints it, and a Fay server in
// its own process (so its CPU and memory stay out of the client's figures).
import { spawn } from 'node:child_process';
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
