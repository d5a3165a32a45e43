// The MCP Inspector's schema lint (its CLI, strict mode) against the built server: any portability
// warning (empty `{}` schemas, `type` arrays, …) fails the test with the Inspector's own report.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, it } from 'vitest';
import { API_KEY, builtBin } from '../support/mcp.ts';

const require = createRequire(import.meta.url);
const INSPECTOR = join(
  dirname(require.resolve('@modelcontextprotocol/inspector/package.json')),
  'clients/launcher/build/index.js',
);

function inspect(args: string[]) {
  // Its own HOME: the Inspector keeps a catalog there.
  const env = { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'fay-inspector-')) };
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [INSPECTOR, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('mcp-inspector --cli --strict tools/list: four tools, no warning and no error', async () => {
  const { code, stdout, stderr } = await inspect([
    '--cli',
    '--strict',
    '--method',
    'tools/list',
    '-e',
    `FAY_API_KEY=${API_KEY}`,
    process.execPath,
    builtBin(),
  ]);
  // The server's own stderr line passes through; anything else is the lint's report.
  const report = stderr
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('fay-mcp:'))
    .join('\n');
  expect(report).toBe('');
  expect(code).toBe(0);
  const { tools } = JSON.parse(stdout) as { tools: Array<{ name: string }> };
  expect(tools.map((t) => t.name).sort()).toEqual([
    'fay_get_research',
    'fay_research',
    'fay_start_research',
    'fay_stop_research',
  ]);
});
